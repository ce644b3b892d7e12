package io.stackwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceProgressTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static OrchestratorEvent event(int second, String service, EventDetail detail) {
    return new OrchestratorEvent(T0.plusSeconds(second), "shop", service, "m", detail);
  }

  private static EventDetail task(String service, String id, String state, String health) {
    return new EventDetail.TaskStateChanged(
        service,
        id,
        1,
        TaskStatus.valueOf(state),
        null,
        HealthStatus.valueOf(health),
        null,
        null,
        null,
        null);
  }

  private static String line(ServiceProgress progress, String service, int second) {
    return progress.render(T0.plusSeconds(second)).stream()
        .map(ServiceProgress.Rendered::text)
        .filter(t -> t.startsWith(" " + service + " "))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aServiceMovesFromCreatingThroughHealthToHealthyWithItsElapsedTime() {
    ServiceProgress progress =
        new ServiceProgress(List.of("web", "db"), Map.of("web", 2, "db", 1), Set.of("web"), T0);
    progress.plan(new Plan("shop", List.of(new Change.Create(ResourceKind.SERVICE, "web"))), T0);

    assertThat(line(progress, "web", 1)).contains("creating").contains("1.0s");
    assertThat(line(progress, "db", 1)).contains("up to date");
    progress.onEvent(
        event(
            1, "web", new EventDetail.ResourceCreated(EventDetail.Resource.SERVICE, "web", null)));
    progress.onEvent(event(2, "web", task("web", "a", "RUNNING", "STARTING")));
    assertThat(line(progress, "web", 3)).contains("waiting for health").contains("3.0s");
    progress.onEvent(event(3, "web", task("web", "a", "RUNNING", "HEALTHY")));
    progress.onEvent(event(4, "web", task("web", "b", "RUNNING", "HEALTHY")));
    assertThat(progress.isDone()).isFalse();
    progress.onEvent(event(5, "web", new EventDetail.ServiceConverged("web", 2)));

    assertThat(line(progress, "web", 60)).contains("healthy").contains("5.0s");
    assertThat(progress.isDone()).isTrue();
  }

  @Test
  void anUpdatedServiceRollsReplicaByReplicaAndAFailedDeploymentFailsWhatIsNotDone() {
    ServiceProgress progress = new ServiceProgress(List.of("api"), Map.of("api", 3), Set.of(), T0);
    progress.plan(
        new Plan("shop", List.of(new Change.Update(ResourceKind.SERVICE, "api", List.of(), 1))),
        T0);
    progress.onEvent(
        event(
            1,
            "api",
            new EventDetail.ResourceUpdated(EventDetail.Resource.SERVICE, "api", null, "updated")));
    progress.onEvent(event(2, "api", task("api", "n1", "RUNNING", "NONE")));

    assertThat(line(progress, "api", 2)).contains("rolling 1/3");
    progress.onEvent(
        event(
            9,
            null,
            new EventDetail.DeploymentFailed(
                1, DeploymentResult.Outcome.FAILED, java.time.Duration.ofSeconds(9), "failed")));
    assertThat(line(progress, "api", 10)).contains("failed");
  }
}
