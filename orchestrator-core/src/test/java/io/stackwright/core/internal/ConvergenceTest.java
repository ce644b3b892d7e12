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
