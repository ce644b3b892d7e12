package io.stackwright.api.scaling;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How fast a service may scale in one direction, as the Kubernetes HPA's {@code HPAScalingRules}.
 *
 * @param stabilizationWindow recommendations of this long a past are considered: scaling down goes
 *     only to the highest recommendation in the window, scaling up only to the lowest
 * @param rates how much may change per period; {@code select} chooses among them
 * @param select which rate wins when there are several, or {@link Select#DISABLED} to never scale
 *     in this direction
 */
public record ScalingBehavior(
    Duration stabilizationWindow, List<ScalingRate> rates, Select select) {
  public enum Select {
    /** The rate allowing the largest change. */
    MAX,
    /** The rate allowing the smallest change. */
    MIN,
    /** No scaling in this direction. */
    DISABLED
  }

  /** Kubernetes' default for scaling up: no window, double or add 4 replicas per 15 s. */
  public static final ScalingBehavior DEFAULT_UP =
      new ScalingBehavior(
          Duration.ZERO,
          List.of(
              ScalingRate.percent(100, Duration.ofSeconds(15)),
              ScalingRate.pods(4, Duration.ofSeconds(15))),
          Select.MAX);

  /** Kubernetes' default for scaling down: a 300 s window, then down to the minimum at once. */
  public static final ScalingBehavior DEFAULT_DOWN =
      new ScalingBehavior(
          Duration.ofSeconds(300),
          List.of(ScalingRate.percent(100, Duration.ofSeconds(15))),
          Select.MAX);

  public ScalingBehavior {
    Objects.requireNonNull(stabilizationWindow, "stabilizationWindow");
    if (stabilizationWindow.isNegative()
        || stabilizationWindow.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "stabilization window must be 0 to 1 hour, not " + stabilizationWindow);
    }
    rates = List.copyOf(rates);
    select = Objects.requireNonNullElse(select, Select.MAX);
    if (rates.isEmpty() && select != Select.DISABLED) {
      throw new IllegalArgumentException("a scaling behavior needs at least one rate");
    }
  }

  /** The same behavior with another stabilization window. */
  public ScalingBehavior withWindow(Duration window) {
    return new ScalingBehavior(window, rates, select);
  }

  /** No scaling in this direction. */
  public static ScalingBehavior disabled() {
    return new ScalingBehavior(Duration.ZERO, List.of(), Select.DISABLED);
  }
}
