package io.stackwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.Store;
import io.stackwright.store.Stores;
import io.stackwright.testing.InMemoryPlatform;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rollback in a process that deployed nothing itself (another CLI process, a restarted host)
 * returns to the newest revision whose deploy succeeded as the store holds it: resolved as it was
 * accepted, not a file interpolated again.
 */
class StoredRollbackTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final InMemoryPlatform platform = InMemoryPlatform.create();
  private final Store store = Stores.inMemory();

  @AfterEach
  void close() {
    store.close();
  }

  private static StackSpec shop(String image, String version) {
    return StackSpec.builder("shop")
        .service(ServiceSpec.builder("web", image).replicas(2).env("VERSION", version))
        .build();
  }

  private Orchestrator orchestrator() {
    return Orchestrator.builder().platform(platform).store(store).build();
  }

  @Test
  void anotherProcessRollsBackToTheRevisionThatLastSucceededAsItWasAccepted() {
    try (Orchestrator first = orchestrator()) {
      DeploymentResult good =
          first.deploy(shop("shop/web:1", "v10"), DeployOptions.waitingUpTo(WAIT)).await(WAIT);
      assertThat(good.succeeded()).as(good.message()).isTrue();
      platform.failImage("shop/web:2");
      DeploymentResult bad =
          first.deploy(shop("shop/web:2", "v11"), DeployOptions.waitingUpTo(WAIT)).await(WAIT);
      assertThat(bad.succeeded()).isFalse();
    }

    try (Orchestrator second = orchestrator()) {
      DeploymentResult back = second.rollback("shop", DeployOptions.waitingUpTo(WAIT)).await(WAIT);

      assertThat(back.succeeded()).as(back.message()).isTrue();
      ServiceSpec web = platform.applied("shop").orElseThrow().service("web");
      assertThat(web.image()).isEqualTo("shop/web:1");
      assertThat(web.environment()).containsEntry("VERSION", "v10");
    }
  }

  @Test
  void withoutASucceededRevisionARollbackIsRefused() {
    try (Orchestrator only = orchestrator()) {
      assertThatThrownBy(() -> only.rollback("shop", DeployOptions.waitingUpTo(WAIT)))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("no revision of stack shop that deployed successfully");
    }
  }
}
