package io.stackwright.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import io.stackwright.testing.InMemoryPlatform;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Subscriptions per handle: only the handle's events, and none once closed. */
class SubscriptionsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<OrchestratorEvent> everything = new CopyOnWriteArrayList<>();
  private final InMemoryPlatform platform = InMemoryPlatform.create();
  private final Orchestrator orchestrator =
      Orchestrator.builder().platform(platform).listener(everything::add).build();

  private static StackSpec stack(String name) {
    return stack(name, "1");
  }

  private static StackSpec stack(String name, String version) {
    return StackSpec.builder(name)
        .service(ServiceSpec.builder("web", "stackwright/workload:test").env("V", version).build())
        .build();
  }

  @AfterEach
  void close() {
    orchestrator.close();
  }

  @Test
  @DisplayName("a stack's subscription gets that stack's events only, until it is closed")
  void aStackSubscriptionIsForItsStackOnly() {
    List<OrchestratorEvent> shop = new CopyOnWriteArrayList<>();
    Subscription subscription = orchestrator.stack("shop").subscribe(shop::add);

    orchestrator.stack("shop").deploy(stack("shop"), DeployOptions.defaults()).await(WAIT);
    orchestrator.stack("blog").deploy(stack("blog"), DeployOptions.defaults()).await(WAIT);

    assertThat(shop).isNotEmpty().allMatch(e -> e.stack().equals("shop"));
    assertThat(shop)
        .extracting(OrchestratorEvent::type)
        .contains(EventType.DEPLOYMENT_STARTED, EventType.DEPLOYMENT_SUCCEEDED);
    assertThat(everything).anyMatch(e -> e.stack().equals("blog"));

    subscription.close();
    int before = shop.size();
    orchestrator.stack("shop").deploy(stack("shop", "2")).await(WAIT);
    assertThat(shop).hasSize(before);
    // the builder-level listener still gets everything
    assertThat(everything.stream().filter(e -> e.stack().equals("shop")).count())
        .isGreaterThan(before);
  }

  @Test
  @DisplayName("a deployment's subscription replays, follows, and stops when closed")
  void aDeploymentSubscriptionStopsWhenClosed() {
    Deployment first = orchestrator.deploy(stack("shop"), DeployOptions.defaults());
    first.await(WAIT);
    List<OrchestratorEvent> seen = new CopyOnWriteArrayList<>();
    Subscription subscription = first.subscribe(seen::add);
    assertThat(seen).extracting(OrchestratorEvent::type).contains(EventType.DEPLOYMENT_SUCCEEDED);
    assertThat(seen).containsExactlyElementsOf(first.events());

    subscription.close();
    Deployment second = orchestrator.deploy(stack("shop", "2"), DeployOptions.defaults());
    List<OrchestratorEvent> ofSecond = new CopyOnWriteArrayList<>();
    second.subscribe(ofSecond::add);
    second.await(WAIT);
    assertThat(seen).hasSize(first.events().size());
    assertThat(ofSecond).isNotEmpty().doesNotContainAnyElementsOf(first.events());
  }
}
