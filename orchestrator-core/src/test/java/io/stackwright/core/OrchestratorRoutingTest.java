package io.stackwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the orchestrator drives its router around a deployment, with recording fakes. */
class OrchestratorRoutingTest {
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();

  private final StackSpec stack =
      StackSpec.builder("routed")
          .service(ServiceSpec.builder("web", "stackwright/workload:test").build())
          .build();

  @Test
  @DisplayName("validate with the platform's checks, prepare before plan, publish after apply")
  void deployOrder() {
    try (Orchestrator orchestrator = orchestrator(new RecordingRouter(List.of()))) {
      DeploymentResult result =
          orchestrator.deploy(stack, DeployOptions.noWait()).await(Duration.ofSeconds(10));

      assertThat(result.succeeded()).isTrue();
      assertThat(calls)
          .containsSubsequence(
              "platform.validate",
              "router.validate",
              "router.prepare",
              "platform.plan labeled",
              "platform.apply labeled",
              "router.publish labeled");
      assertThat(events).extracting(OrchestratorEvent::type).contains(EventType.ROUTES_PUBLISHED);
    }
  }

  @Test
  @DisplayName("the router's problems fail the deployment before anything is planned or written")
  void routerProblems() {
    SpecProblem problem = SpecProblem.at("services.web.x-stackwright.routing", "internal only");
    try (Orchestrator orchestrator = orchestrator(new RecordingRouter(List.of(problem)))) {
      assertThatThrownBy(() -> orchestrator.deploy(stack, DeployOptions.noWait()))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("internal only");
      assertThat(calls)
          .doesNotContain("platform.plan labeled", "platform.apply labeled")
          .noneMatch(c -> c.startsWith("router.publish"));
    }
  }

  @Test
  @DisplayName("remove withdraws the routes; close closes the router")
  void removeAndClose() {
    Orchestrator orchestrator = orchestrator(new RecordingRouter(List.of()));
    orchestrator.remove("routed", RemoveOptions.keepVolumes());
    assertThat(calls).containsSubsequence("platform.remove", "router.withdraw routed");
    orchestrator.close();
    assertThat(calls).contains("router.close");
  }

  @Test
  @DisplayName("a router asked for by name must be on the class path")
  void unknownRouter() {
    assertThatThrownBy(
            () -> Orchestrator.builder().platform(new RecordingPlatform()).router("nginx").build())
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("no router named 'nginx'");
  }

  private Orchestrator orchestrator(Router router) {
    return Orchestrator.builder()
        .platform(new RecordingPlatform())
        .router(router)
        .listener(events::add)
        .build();
  }

  private static String labeled(StackSpec stack) {
    return stack.service("web").deployLabels().containsKey("traefik.enable") ? "labeled" : "bare";
  }

  private final class RecordingRouter implements Router {
    private final List<SpecProblem> problems;

    RecordingRouter(List<SpecProblem> problems) {
      this.problems = problems;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public List<SpecProblem> validate(StackSpec stack) {
      calls.add("router.validate");
      return problems;
    }

    @Override
    public StackSpec prepare(StackSpec stack) {
      calls.add("router.prepare");
      ServiceSpec web =
          stack.service("web").toBuilder().deployLabel("traefik.enable", "true").build();
      return stack.toBuilder().service(web).build();
    }

    @Override
    public void publish(StackSpec stack, EventListener events) {
      calls.add("router.publish " + labeled(stack));
      events.onEvent(
          OrchestratorEvent.of(
              java.time.Instant.now(),
              EventType.ROUTES_PUBLISHED,
              stack.name(),
              null,
              "published"));
    }

    @Override
    public void setWeights(
        String stack, String route, Map<String, Integer> weights, EventListener events) {}

    @Override
    public void withdraw(String stack, EventListener events) {
      calls.add("router.withdraw " + stack);
    }

    @Override
    public void close() {
      calls.add("router.close");
    }
  }

  private final class RecordingPlatform implements Platform {
    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public List<SpecProblem> validate(StackSpec stack) {
      calls.add("platform.validate");
      return List.of();
    }

    @Override
    public Plan plan(StackSpec stack) {
      calls.add("platform.plan " + labeled(stack));
      return new Plan(stack.name(), List.of());
    }

    @Override
    public void apply(StackSpec stack, Plan plan, EventListener events) {
      calls.add("platform.apply " + labeled(stack));
    }

    @Override
    public StackState status(String stack) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> stacks() {
      return List.of();
    }

    @Override
    public void scale(String stack, String service, int replicas) {}

    @Override
    public void remove(String stack, RemoveOptions options, EventListener events) {
      calls.add("platform.remove");
    }

    @Override
    public Subscription watch(String stack, EventListener events) {
      return () -> {};
    }
  }
}
