package io.stackwright.core.rollout.internal;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.RolloutCheck;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Core's rolling update for platforms without one of their own (a single engine): replaces the
 * replicas of one service batch by batch with the service's {@link UpdatePolicy} (parallelism,
 * order, delay, monitor window, failure action, max failure ratio), through {@link
 * Platform#startReplica} and {@link Platform#removeReplica}. Every replica running when it starts
 * is replaced, failed ones first; with start-first, an old replica is removed only once its
 * successor is ready, so capacity never drops.
 */
final class ReplicaRoller {
  private static final Duration READY_POLL = Duration.ofMillis(250);

  /** Waits at most the given time for an engine event; false when interrupted. */
  interface Pause {
    boolean pause(Duration atMost);
  }

  private final Platform platform;
  private final EventListener events;
  private final Clock clock;
  private final Pause pause;
  private final List<RolloutCheck> checks;

  ReplicaRoller(Platform platform, EventListener events, Clock clock, Pause pause) {
    this(platform, events, clock, pause, List.of());
  }

  /** A roller that also asks {@code checks} about each batch while it is monitored. */
  ReplicaRoller(
      Platform platform,
      EventListener events,
      Clock clock,
      Pause pause,
      List<RolloutCheck> checks) {
    this.platform = platform;
    this.events = events;
    this.clock = clock;
    this.pause = pause;
    this.checks = List.copyOf(checks);
  }

  /**
   * Rolls {@code service} of {@code stack} out. Returns empty when done, or why it stopped (a batch
   * failed beyond the tolerated ratio and the failure action is pause or rollback).
   */
  Optional<String> roll(StackSpec stack, String service, Instant deadline) {
    ServiceSpec spec = stack.services().get(service);
    UpdatePolicy policy =
        spec.updatePolicy() != null ? spec.updatePolicy() : UpdatePolicy.defaults();
    Deque<TaskState> old = new ArrayDeque<>(oldReplicas(stack.name(), service));
    int wanted = spec.replicas();
    int batchSize = policy.parallelism() == 0 ? Math.max(wanted, old.size()) : policy.parallelism();
    int started = 0;
    int failed = 0;
    int batch = 0;
    while (started < wanted || !old.isEmpty()) {
      batch++;
      int toStart = Math.min(batchSize, wanted - started);
      List<TaskState> leaving = new ArrayList<>();
      for (int i = 0; i < batchSize && !old.isEmpty(); i++) {
        leaving.add(old.poll());
      }
      step(stack, service, batch, toStart, leaving.size());
      if (policy.order() == UpdatePolicy.Order.STOP_FIRST) {
        remove(stack.name(), leaving);
      }
      List<TaskState> fresh = new ArrayList<>();
      for (int i = 0; i < toStart; i++) {
        fresh.add(platform.startReplica(stack, service, events));
      }
      started += toStart;
      Optional<String> problem = awaitReady(stack, service, fresh, policy.monitor(), deadline);
      if (problem.isPresent()) {
        failed += toStart;
        double ratio = (double) failed / Math.max(1, wanted);
        if (policy.failureAction() != UpdatePolicy.FailureAction.CONTINUE
            && ratio > policy.maxFailureRatio()) {
          if (policy.order() == UpdatePolicy.Order.START_FIRST) {
            // the old replicas of this batch still serve: keep them, drop the failed new ones
            remove(stack.name(), fresh);
          }
          return Optional.of(
              "service " + service + ": batch " + batch + " failed: " + problem.get());
        }
      }
      if (policy.order() == UpdatePolicy.Order.START_FIRST) {
        remove(stack.name(), leaving);
      }
      if (!policy.delay().isZero() && (started < wanted || !old.isEmpty())) {
        pause.pause(policy.delay());
      }
    }
    return Optional.empty();
  }

  /** Every replica of the service there is now, failed and unready ones first. */
  private List<TaskState> oldReplicas(String stack, String service) {
    return platform
        .status(stack)
        .service(service)
        .map(ServiceState::tasks)
        .orElse(List.of())
        .stream()
        .filter(t -> t.containerId() != null)
        .sorted(Comparator.comparing((TaskState t) -> t.isReady() ? 1 : 0))
        .toList();
  }

  private void remove(String stack, List<TaskState> replicas) {
    for (TaskState replica : replicas) {
      platform.removeReplica(stack, replica, events);
    }
  }

  /**
   * Waits until every one of {@code fresh} is ready, then watches them for {@code monitor}. Returns
   * why one failed, or empty.
   */
  private Optional<String> awaitReady(
      StackSpec spec, String service, List<TaskState> fresh, Duration monitor, Instant deadline) {
    String stack = spec.name();
    Instant readySince = null;
    while (true) {
      List<TaskState> now = current(stack, service, fresh);
      Optional<TaskState> broken =
          now.stream().filter(failed().or(t -> t.health() == HealthStatus.UNHEALTHY)).findFirst();
      if (now.size() < fresh.size()) {
        return Optional.of("a new replica vanished");
      }
      if (broken.isPresent()) {
        TaskState t = broken.get();
        return Optional.of(
            "replica "
                + t.slot()
                + " "
                + (t.health() == HealthStatus.UNHEALTHY
                    ? "unhealthy"
                    : t.status().name().toLowerCase())
                + (t.error() == null ? "" : ": " + t.error()));
      }
      boolean allReady = now.stream().allMatch(TaskState::isReady);
      Instant at = clock.instant();
      if (allReady) {
        Optional<String> checked = check(spec, service, now);
        if (checked.isPresent()) {
          return checked;
        }
        if (readySince == null) {
          readySince = at;
        }
        if (!Duration.between(readySince, at).minus(monitor).isNegative()) {
          return Optional.empty();
        }
      } else if (readySince != null) {
        return Optional.of("a new replica stopped being ready during the monitor window");
      }
      if (!at.isBefore(deadline)) {
        return Optional.of("new replicas not ready in time");
      }
      if (!pause.pause(READY_POLL)) {
        return Optional.of("interrupted");
      }
    }
  }

  private static Predicate<TaskState> failed() {
    return t -> t.status().isFailure() || t.status() == TaskStatus.COMPLETE;
  }

  /**
   * What the rollout checks (external probes, metric thresholds) say of the batch: they see the
   * service as its new replicas, which the platform does not count as current until the new spec is
   * applied at the end.
   */
  private Optional<String> check(StackSpec spec, String service, List<TaskState> batch) {
    if (checks.isEmpty()) {
      return Optional.empty();
    }
    StackState state;
    try {
      state = platform.status(spec.name());
    } catch (OrchestratorException e) {
      return Optional.empty(); // judged at the next poll
    }
    List<TaskState> asCurrent =
        batch.stream()
            .map(
                t ->
                    new TaskState(
                        t.id(),
                        t.service(),
                        t.slot(),
                        t.nodeId(),
                        t.containerId(),
                        t.status(),
                        t.desiredStatus(),
                        t.health(),
                        true,
                        t.message(),
                        t.error(),
                        t.updatedAt()))
            .toList();
    List<ServiceState> services =
        state.services().stream()
            .map(
                s ->
                    s.name().equals(service)
                        ? new ServiceState(
                            s.name(),
                            s.platformId(),
                            s.image(),
                            s.desiredReplicas(),
                            s.version(),
                            s.updateState(),
                            s.labels(),
                            asCurrent)
                        : s)
            .toList();
    StackState view =
        new StackState(
            state.stack(),
            services,
            state.networks(),
            state.secrets(),
            state.configs(),
            state.volumes());
    for (RolloutCheck check : checks) {
      Optional<String> problem = check.problem(spec, view);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private List<TaskState> current(String stack, String service, List<TaskState> fresh) {
    List<TaskState> all;
    try {
      all = platform.status(stack).service(service).map(ServiceState::tasks).orElse(List.of());
    } catch (OrchestratorException e) {
      return fresh;
    }
    return all.stream().filter(t -> fresh.stream().anyMatch(f -> f.id().equals(t.id()))).toList();
  }

  private void step(StackSpec stack, String service, int batch, int starting, int stopping) {
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack.name(),
            service,
            "batch " + batch + ": starting " + starting + ", removing " + stopping + " replicas",
            new EventDetail.RolloutStep(service, 0, "rolling", "batch", batch, 0, null, starting)));
  }
}
