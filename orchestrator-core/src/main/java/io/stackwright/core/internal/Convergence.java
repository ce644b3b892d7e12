package io.stackwright.core.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from one observation of the platform, whether a stack has converged to its spec, is
 * still on its way, or has failed. Pure: the waiting happens elsewhere.
 */
public final class Convergence {

  /**
   * Engine timestamps and the orchestrator's clock may differ a little; a failure this much older
   * than the deployment's start still counts as part of it.
   */
  static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  private Convergence() {}

  /** The verdict on a whole stack. */
  public record Verdict(
      Map<String, String> pending, Map<String, String> failed, List<String> converged) {
    public Verdict {
      pending = Map.copyOf(pending);
      failed = Map.copyOf(failed);
      converged = List.copyOf(converged);
    }

    public boolean isConverged() {
      return pending.isEmpty() && failed.isEmpty();
    }

    public boolean isFailed() {
      return !failed.isEmpty();
    }
  }

  /**
   * @param since failures older than this (less {@link #CLOCK_SLACK}) belong to earlier deployments
   *     and are ignored
   */
  public static Verdict evaluate(StackSpec stack, StackState state, Instant since) {
    Map<String, String> pending = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    List<String> converged = new java.util.ArrayList<>();
    for (ServiceSpec service : stack.services().values()) {
      Optional<ServiceState> observed = state.service(service.name());
      if (observed.isEmpty()) {
        pending.put(service.name(), "not created yet");
        continue;
      }
      Optional<String> failure = failure(observed.get(), since);
      if (failure.isPresent()) {
        failed.put(service.name(), failure.get());
        continue;
      }
      Optional<String> waitingFor = waitingFor(service, observed.get());
      if (waitingFor.isPresent()) {
        pending.put(service.name(), waitingFor.get());
      } else {
        converged.add(service.name());
      }
    }
    return new Verdict(pending, failed, converged);
  }

  private static Optional<String> failure(ServiceState service, Instant since) {
    String updateState = service.updateState();
    if ("paused".equals(updateState) || "rollback_completed".equals(updateState)) {
      return Optional.of("the platform's rolling update ended in state " + updateState);
    }
    Instant cutoff = since.minus(CLOCK_SLACK);
    // A failed task the platform has already replaced by a running one in the same place is
    // history: a node cut off and healed reports, late, how its replaced tasks ended ("error while
    // removing network"), and those reports are newer than the deployment.
    java.util.Set<String> runningPlaces =
        service.tasks().stream()
            .filter(TaskState::current)
            .filter(
                t -> t.status() == TaskStatus.RUNNING && t.desiredStatus() == TaskStatus.RUNNING)
            .map(Convergence::place)
            .collect(java.util.stream.Collectors.toSet());
    Optional<String> failed =
        service.tasks().stream()
            .filter(TaskState::current)
            .filter(t -> t.status().isFailure())
            .filter(t -> t.updatedAt() == null || !t.updatedAt().isBefore(cutoff))
            .filter(
                t -> t.desiredStatus() == TaskStatus.RUNNING || !runningPlaces.contains(place(t)))
            .findFirst()
            .map(Convergence::describeFailure);
    if (failed.isPresent()) {
      return failed;
    }
    // The engine calls a replica unhealthy only once its healthcheck budget is spent (the start
    // period, then `retries` failures in a row): waiting out the deploy's timeout would only
    // delay the same verdict. A replica still running unhealthy (one engine), or one the engine
    // stopped for it (Swarm) and has not replaced by a running one yet, fails the deployment;
    // replicas started before this deployment are not its doing.
    return service.tasks().stream()
        .filter(TaskState::current)
        .filter(t -> t.health() == HealthStatus.UNHEALTHY)
        .filter(
            t ->
                (t.status() == TaskStatus.RUNNING && t.desiredStatus() == TaskStatus.RUNNING)
                    || (t.status().isTerminal() && !runningPlaces.contains(place(t))))
        .filter(t -> t.updatedAt() != null && !t.updatedAt().isBefore(cutoff))
        .findFirst()
        .map(Convergence::describeUnhealthy);
  }

  private static String describeUnhealthy(TaskState task) {
    String detail = task.error() != null && !task.error().isBlank() ? ": " + task.error() : "";
    return "replica "
        + task.slot()
        + " unhealthy (its healthcheck failed past its start period and retries), in this state"
        + " since "
        + task.updatedAt()
        + detail;
  }

  /** Where a replica runs: its slot, or its node for a global service's (slot 0) replicas. */
  private static String place(TaskState task) {
    return task.slot() > 0 ? "slot " + task.slot() : "node " + task.nodeId();
  }

  private static String describeFailure(TaskState task) {
    String error = task.error() != null && !task.error().isBlank() ? task.error() : task.message();
    return "replica " + task.slot() + " " + task.status().name().toLowerCase() + ": " + error;
  }

  private static Optional<String> waitingFor(ServiceSpec spec, ServiceState service) {
    List<TaskState> current = service.currentTasks();
    switch (spec.mode()) {
      case REPLICATED_JOB:
      case GLOBAL_JOB:
        long complete =
            service.tasks().stream()
                .filter(TaskState::current)
                .filter(t -> t.status() == TaskStatus.COMPLETE)
                .count();
        long wanted = spec.mode() == ServiceSpec.Mode.REPLICATED_JOB ? spec.replicas() : 1;
        return complete >= wanted
            ? Optional.empty()
            : Optional.of(complete + "/" + wanted + " completions");
      default:
        break;
    }
    long ready = current.stream().filter(TaskState::isReady).count();
    long stale =
        service.tasks().stream()
            .filter(t -> !t.current() && t.status() == TaskStatus.RUNNING)
            .count();
    if (spec.mode() == ServiceSpec.Mode.GLOBAL) {
      if (current.isEmpty() || ready < current.size()) {
        return Optional.of(ready + "/" + current.size() + " replicas ready" + unhealthy(current));
      }
    } else if (ready < spec.replicas() || current.size() > spec.replicas()) {
      return Optional.of(ready + "/" + spec.replicas() + " replicas ready" + unhealthy(current));
    }
    if (stale > 0) {
      return Optional.of(stale + " replicas of the previous version still running");
    }
    return Optional.empty();
  }

  private static String unhealthy(List<TaskState> tasks) {
    long starting = tasks.stream().filter(t -> t.health() == HealthStatus.STARTING).count();
    long unhealthy = tasks.stream().filter(t -> t.health() == HealthStatus.UNHEALTHY).count();
    StringBuilder text = new StringBuilder();
    if (starting > 0) {
      text.append(", ").append(starting).append(" health starting");
    }
    if (unhealthy > 0) {
      text.append(", ").append(unhealthy).append(" unhealthy");
    }
    return text.toString();
  }
}
