package io.stackwright.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.testing.InMemoryPlatform;
import io.stackwright.testing.RecordingRouter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The snippets of README.md that need no engine, compiled and run. */
class ReadmeExampleTest {

  static StackSpec shop() {
    return StackSpec.builder("shop")
        .service(
            ServiceSpec.builder("web", "shop:1")
                .replicas(2)
                .routing(
                    RoutingPolicy.builder()
                        .port(8080)
                        .route(Route.builder("main").host("shop.test").build())
                        .build())
                .build())
        .build();
  }

  // README: orchestrator begin
  @Test
  void theOrchestratorPublishesRoutesOnceTheStackIsApplied() {
    InMemoryPlatform platform = InMemoryPlatform.create();
    RecordingRouter router = RecordingRouter.create();
    try (Orchestrator orchestrator =
        Orchestrator.builder().platform(platform).router(router).build()) {
      orchestrator.deploy(shop(), DeployOptions.defaults()).await(Duration.ofSeconds(30));
    }
    assertThat(platform.writes(InMemoryPlatform.Applied.class)).hasSize(1);
    assertThat(router.isPublished("shop")).isTrue();
    assertThat(router.calls(RecordingRouter.Closed.class)).hasSize(1);
  }

  // README: orchestrator end

  // README: extension begin
  static final InMemoryPlatform PLATFORM = InMemoryPlatform.create();

  @RegisterExtension
  static final StackwrightExtension SHOP =
      StackwrightExtension.forStack(shop()).platform(PLATFORM).build();

  @Test
  void theExtensionRunsTheStackForTheClass(RunningStack shop) {
    assertThat(shop.name()).startsWith("shop-");
    assertThat(shop.status().service("web").orElseThrow().readyReplicas()).isEqualTo(2);
    assertThat(PLATFORM.stacks()).containsExactly(shop.name());
  }
  // README: extension end
}
