package io.stackwright.api.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a service may change within a period, as the Kubernetes HPA's {@code HPAScalingPolicy}:
 * at most {@code value} replicas, or {@code value} percent of the replicas at the start of the
 * period, per {@code period}.
 */
public record ScalingRate(Type type, int value, Duration period) {
  public enum Type {
    PODS,
    PERCENT
  }

  public ScalingRate {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(period, "period");
    if (value < 1) {
      throw new IllegalArgumentException("scaling rate value must be at least 1, not " + value);
    }
    if (period.isNegative() || period.isZero() || period.compareTo(Duration.ofMinutes(30)) > 0) {
      throw new IllegalArgumentException(
          "scaling rate period must be more than 0 and at most 30 minutes, not " + period);
    }
  }

  public static ScalingRate pods(int replicas, Duration period) {
    return new ScalingRate(Type.PODS, replicas, period);
  }

  public static ScalingRate percent(int percent, Duration period) {
    return new ScalingRate(Type.PERCENT, percent, period);
  }
}
