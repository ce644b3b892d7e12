package io.stackwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.FileContent;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Capability;
import io.stackwright.testing.InMemoryPlatform;
import io.stackwright.testing.RecordingRouter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the orchestrator drives its router around a deployment (in-memory platform, recording
 * router).
 */
class OrchestratorRoutingTest {
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final InMemoryPlatform platform = InMemoryPlatform.create();

  private final StackSpec stack =
      StackSpec.builder("routed")
          .service(ServiceSpec.builder("web", "stackwright/workload:test").build())
          .build();

  /** A router that labels {@code web}, as label-based providers do. */
  private static RecordingRouter labelling(List<SpecProblem> problems) {
    return RecordingRouter.builder()
        .problems(s -> problems)
        .preparing(
            s ->
                s.toBuilder()
                    .service(
                        s.service("web").toBuilder().deployLabel("traefik.enable", "true").build())
                    .build())
        .build();
  }

  private static boolean labeled(StackSpec stack) {
    return stack.service("web").deployLabels().containsKey("traefik.enable");
  }

  private static List<Class<?>> kinds(RecordingRouter router) {
    return router.calls().stream().<Class<?>>map(Object::getClass).toList();
  }

  @Test
  @DisplayName("validate, then prepare before plan and apply, then publish after apply")
  void deployOrder() {
    RecordingRouter router = labelling(List.of());
    try (Orchestrator orchestrator = orchestrator(router)) {
      DeploymentResult result =
          orchestrator.deploy(stack, DeployOptions.noWait()).await(Duration.ofSeconds(10));

      assertThat(result.succeeded()).isTrue();
      assertThat(kinds(router))
          .containsSubsequence(
              RecordingRouter.Validated.class,
              RecordingRouter.Prepared.class,
              RecordingRouter.Published.class);
      assertThat(labeled(platform.applied("routed").orElseThrow()))
          .as("the platform planned and applied the prepared stack")
          .isTrue();
      assertThat(labeled(router.published("routed").orElseThrow())).isTrue();
      assertThat(events)
          .extracting(OrchestratorEvent::type)
          .containsSubsequence(EventType.RESOURCE_CREATED, EventType.ROUTES_PUBLISHED);
    }
  }

  @Test
  @DisplayName(
      "the router's and the platform's problems fail the deployment together, before any write")
  void routerProblems() {
    SpecProblem problem = SpecProblem.at("services.web.x-stackwright.routing", "internal only");
    InMemoryPlatform withoutSecrets =
        InMemoryPlatform.builder().without(Capability.SECRETS).build();
    StackSpec withSecret =
        stack.toBuilder()
            .secret(SecretSpec.of("token", FileContent.secret("s3cr3t")))
            .service(stack.service("web").toBuilder().secret("token").build())
            .build();
    RecordingRouter router = labelling(List.of(problem));
    try (Orchestrator orchestrator =
        Orchestrator.builder().platform(withoutSecrets).router(router).build()) {
      assertThatThrownBy(() -> orchestrator.deploy(withSecret, DeployOptions.noWait()))
          .isInstanceOfSatisfying(
              InvalidSpecException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(SpecProblem::message)
                      .contains("internal only")
                      .anySatisfy(m -> assertThat(m).contains("SECRETS")));
      assertThat(withoutSecrets.writes()).isEmpty();
      assertThat(router.calls(RecordingRouter.Published.class)).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "remove removes from the platform, then withdraws the routes; close closes the router")
  void removeAndClose() {
    RecordingRouter router = labelling(List.of());
    Orchestrator orchestrator = orchestrator(router);
    orchestrator.deploy(stack, DeployOptions.noWait()).await(Duration.ofSeconds(10));
    events.clear();

    orchestrator.remove("routed", RemoveOptions.keepVolumes());

    assertThat(platform.stacks()).isEmpty();
    assertThat(router.isPublished("routed")).isFalse();
    assertThat(events)
        .extracting(OrchestratorEvent::type)
        .containsSubsequence(
            EventType.RESOURCE_DELETED, EventType.ROUTES_PUBLISHED, EventType.STACK_REMOVED);
    orchestrator.close();
    assertThat(router.calls(RecordingRouter.Closed.class)).hasSize(1);
  }

  @Test
  @DisplayName("a router asked for by name must be on the class path")
  void unknownRouter() {
    assertThatThrownBy(() -> Orchestrator.builder().platform(platform).router("nginx").build())
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("no router named 'nginx'");
  }

  private Orchestrator orchestrator(RecordingRouter router) {
    return Orchestrator.builder().platform(platform).router(router).listener(events::add).build();
  }
}
