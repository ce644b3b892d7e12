package io.stackwright.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How replicas are replaced when a service changes (Compose {@code update_config}) or rolled back
 * ({@code rollback_config}).
 *
 * @param parallelism replicas replaced at a time; 0 means all at once
 * @param delay the pause between batches
 * @param failureAction what to do when a batch fails
 * @param monitor how long to watch each new replica for failure
 * @param maxFailureRatio the tolerated share of failed replicas, 0 to 1
 * @param order stop the old replica first, or start the new one first
 */
public record UpdatePolicy(
    int parallelism,
    Duration delay,
    FailureAction failureAction,
    Duration monitor,
    double maxFailureRatio,
    Order order) {

  public enum FailureAction {
    PAUSE,
    CONTINUE,
    ROLLBACK
  }

  public enum Order {
    STOP_FIRST,
    START_FIRST
  }

  public UpdatePolicy {
    List<SpecProblem> problems = new ArrayList<>();
    if (parallelism < 0) {
      problems.add(
          SpecProblem.at(
              "parallelism", "cannot be negative (" + parallelism + "); 0 means all at once"));
    }
    if (!(maxFailureRatio >= 0 && maxFailureRatio <= 1)) {
      problems.add(
          SpecProblem.at("max_failure_ratio", "must be between 0 and 1, was " + maxFailureRatio));
    }
    String delayProblem = SpecChecks.nonNegative(delay);
    if (delayProblem != null) {
      problems.add(SpecProblem.at("delay", delayProblem));
    }
    String monitorProblem = SpecChecks.nonNegative(monitor);
    if (monitorProblem != null) {
      problems.add(SpecProblem.at("monitor", monitorProblem));
    }
    SpecChecks.throwIfAny(problems);
    delay = Objects.requireNonNullElse(delay, Duration.ZERO);
    monitor = Objects.requireNonNullElse(monitor, Duration.ZERO);
    failureAction = Objects.requireNonNullElse(failureAction, FailureAction.PAUSE);
    order = Objects.requireNonNullElse(order, Order.STOP_FIRST);
  }

  /** The engine's defaults: one at a time, stop first, pause on failure. */
  public static UpdatePolicy defaults() {
    return new UpdatePolicy(
        1, Duration.ZERO, FailureAction.PAUSE, Duration.ZERO, 0, Order.STOP_FIRST);
  }
}
