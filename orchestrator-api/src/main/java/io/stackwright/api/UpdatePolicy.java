package io.stackwright.api;

import java.time.Duration;
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
    if (parallelism < 0) {
      throw new IllegalArgumentException("parallelism cannot be negative");
    }
    if (maxFailureRatio < 0 || maxFailureRatio > 1) {
      throw new IllegalArgumentException("maxFailureRatio must be between 0 and 1");
    }
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
