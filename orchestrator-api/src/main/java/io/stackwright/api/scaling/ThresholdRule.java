package io.stackwright.api.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * Step scaling for those who think in thresholds: add {@code step} replicas when the average per
 * replica is above {@code upAbove}, remove {@code step} when it is below {@code downBelow}, at most
 * {@code step} per {@code cooldown} in each direction. A rule proposes a replica count like a
 * {@link MetricTarget} does, and the proposal goes through the same clamping, stabilization and
 * rate limiting (the cooldown is a {@link ScalingRate#pods} rate of {@code step} per {@code
 * cooldown}).
 */
public record ThresholdRule(
    Metric metric, double upAbove, double downBelow, int step, Duration cooldown) {
  public ThresholdRule {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(cooldown, "cooldown");
    if (!(downBelow < upAbove)) {
      throw new IllegalArgumentException(
          "threshold rule on "
              + metric.describe()
              + ": downBelow ("
              + downBelow
              + ") must be less than upAbove ("
              + upAbove
              + ")");
    }
    if (step < 1) {
      throw new IllegalArgumentException("threshold rule step must be at least 1, not " + step);
    }
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("threshold rule cooldown cannot be negative");
    }
  }
}
