package io.stackwright.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceTest {
  private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

  private final StackSpec stack =
      StackSpec.builder("shop")
          .service(
              ServiceSpec.builder("web", "workload:test")
                  .replicas(2)
                  .healthcheck(HealthcheckSpec.cmd("/server", "--probe"))
                  .build())
          .build();

  @Test
  void aServiceThatDoesNotExistYetIsPending() {
    Convergence.Verdict verdict = Convergence.evaluate(stack, state(), START);

    assertThat(verdict.isConverged()).isFalse();
    assertThat(verdict.pending()).containsEntry("web", "not created yet");
  }

  @Test
  void convergesWhenEveryReplicaRunsTheCurrentSpecAndIsHealthy() {
    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack,
            state(
                task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true),
                task("b", 2, TaskStatus.RUNNING, HealthStatus.HEALTHY, true)),
            START);

    assertThat(verdict.isConverged()).isTrue();
    assertThat(verdict.converged()).containsExactly("web");
  }

  @Test
  void aReplicaWhoseHealthIsStartingIsNotReady() {
    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack,
            state(
                task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true),
                task("b", 2, TaskStatus.RUNNING, HealthStatus.STARTING, true)),
            START);

    assertThat(verdict.pending()).containsEntry("web", "1/2 replicas ready, 1 health starting");
  }

  @Test
  void replicasOfThePreviousVersionStillRunningKeepTheServicePending() {
    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack,
            state(
                task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true),
                task("b", 2, TaskStatus.RUNNING, HealthStatus.HEALTHY, true),
                task("old", 2, TaskStatus.RUNNING, HealthStatus.HEALTHY, false)),
            START);

    assertThat(verdict.pending())
        .containsEntry("web", "1 replicas of the previous version still running");
  }

  @Test
  void aFailedReplicaOfTheCurrentSpecFailsTheServiceWithTheEnginesError() {
    TaskState failed =
        new TaskState(
            "f",
            "web",
            1,
            "node",
            null,
            TaskStatus.REJECTED,
            TaskStatus.SHUTDOWN,
            HealthStatus.NONE,
            true,
            "preparing",
            "No such image: workload:nope",
            START.plusSeconds(3));

    Convergence.Verdict verdict = Convergence.evaluate(stack, state(failed), START);

    assertThat(verdict.isFailed()).isTrue();
    assertThat(verdict.failed())
        .containsEntry("web", "replica 1 rejected: No such image: workload:nope");
  }

  @Test
  void aFailureOfAReplicaAlreadyReplacedByARunningOneIsHistory() {
    // A node cut off during the deployment reports, once healed, how its replaced task ended.
    TaskState lateReport =
        new TaskState(
            "old",
            "web",
            2,
            "healed-node",
            "cold",
            TaskStatus.FAILED,
            TaskStatus.SHUTDOWN,
            HealthStatus.NONE,
            true,
            "failed",
            "error while removing network: unknown network shop_default",
            START.plusSeconds(30));

    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack,
            state(
                task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true),
                task("b", 2, TaskStatus.RUNNING, HealthStatus.HEALTHY, true),
                lateReport),
            START);

    assertThat(verdict.isConverged()).isTrue();
  }

  @Test
  void aFailedReplicaWhoseReplacementDoesNotRunYetStillFails() {
    TaskState crashed =
        new TaskState(
            "f",
            "web",
            2,
            "node",
            "cf",
            TaskStatus.FAILED,
            TaskStatus.SHUTDOWN,
            HealthStatus.NONE,
            true,
            "failed",
            "exit 1",
            START.plusSeconds(3));

    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack,
            state(
                task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true),
                task("b", 2, TaskStatus.STARTING, HealthStatus.NONE, true),
                crashed),
            START);

    assertThat(verdict.failed()).containsEntry("web", "replica 2 failed: exit 1");
  }

  @Test
  void failuresFromBeforeTheDeploymentAreIgnored() {
    TaskState oldFailure =
        new TaskState(
            "f",
            "web",
            1,
            "node",
            null,
            TaskStatus.FAILED,
            TaskStatus.SHUTDOWN,
            HealthStatus.NONE,
            true,
            "failed",
            "exit 1",
            START.minusSeconds(60));

    Convergence.Verdict verdict = Convergence.evaluate(stack, state(oldFailure), START);

    assertThat(verdict.isFailed()).isFalse();
    assertThat(verdict.pending()).containsKey("web");
  }

  @Test
  void aPausedPlatformUpdateIsAFailure() {
    ServiceState paused =
        new ServiceState("web", "id", "workload:test", 2, 7, "paused", Map.of(), List.of());

    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack,
            new StackState("shop", List.of(paused), List.of(), List.of(), List.of(), List.of()),
            START);

    assertThat(verdict.failed()).containsKey("web");
  }

  @Test
  void aReplicaOfThisDeploymentThatTheEngineCallsUnhealthyFailsItAtOnce() {
    TaskState spent =
        new TaskState(
            "b",
            "web",
            2,
            "node",
            "cb",
            TaskStatus.RUNNING,
            TaskStatus.RUNNING,
            HealthStatus.UNHEALTHY,
            true,
            "running",
            "healthcheck failed 3 times; last at 2026-11-24T10:00:09Z (exit 1): not ready",
            START.plusSeconds(1));
    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack,
            state(task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true), spent),
            START);

    assertThat(verdict.isFailed()).isTrue();
    assertThat(verdict.failed().get("web"))
        .startsWith("replica 2 unhealthy")
        .contains("since 2026-11-24T10:00:01Z", "last at 2026-11-24T10:00:09Z (exit 1): not ready");
  }

  @Test
  void aReplicaTheEngineStoppedAsUnhealthyFailsItUntilARunningOneTakesItsSlot() {
    TaskState stopped =
        new TaskState(
            "b",
            "web",
            2,
            "node",
            "cb",
            TaskStatus.COMPLETE,
            TaskStatus.SHUTDOWN,
            HealthStatus.UNHEALTHY,
            true,
            "finished",
            "stopped by the engine as unhealthy: healthcheck failed 2 times",
            START.plusSeconds(4));
    TaskState healthy = task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true);
    TaskState starting = task("c", 2, TaskStatus.STARTING, HealthStatus.STARTING, true);

    Convergence.Verdict failing =
        Convergence.evaluate(stack, state(healthy, stopped, starting), START);
    assertThat(failing.failed().get("web"))
        .startsWith("replica 2 unhealthy")
        .contains("stopped by the engine as unhealthy");

    TaskState replaced = task("c", 2, TaskStatus.RUNNING, HealthStatus.HEALTHY, true);
    Convergence.Verdict recovered =
        Convergence.evaluate(stack, state(healthy, stopped, replaced), START);
    assertThat(recovered.isFailed()).isFalse();
  }

  @Test
  void anUnhealthyReplicaStartedBeforeThisDeploymentIsNotItsFailure() {
    TaskState old =
        new TaskState(
            "b",
            "web",
            2,
            "node",
            "cb",
            TaskStatus.RUNNING,
            TaskStatus.RUNNING,
            HealthStatus.UNHEALTHY,
            true,
            "running",
            null,
            START.minusSeconds(600));
    Convergence.Verdict verdict =
        Convergence.evaluate(
            stack, state(task("a", 1, TaskStatus.RUNNING, HealthStatus.HEALTHY, true), old), START);

    assertThat(verdict.isFailed()).isFalse();
    assertThat(verdict.pending().get("web")).contains("1 unhealthy");
  }

  private static TaskState task(
      String id, int slot, TaskStatus status, HealthStatus health, boolean current) {
    return new TaskState(
        id,
        "web",
        slot,
        "node",
        "c" + id,
        status,
        TaskStatus.RUNNING,
        health,
        current,
        "",
        null,
        START);
  }

  private static StackState state(TaskState... tasks) {
    List<ServiceState> services =
        tasks.length == 0
            ? List.of()
            : List.of(
                new ServiceState(
                    "web", "id", "workload:test", 2, 3, null, Map.of(), List.of(tasks)));
    return new StackState("shop", services, List.of(), List.of(), List.of(), List.of());
  }
}
