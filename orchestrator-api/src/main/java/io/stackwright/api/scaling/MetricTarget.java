package io.stackwright.api.scaling;

import java.util.Objects;

/**
 * Target tracking on one metric: the autoscaler sizes the service so that the average per replica
 * comes close to {@code target} (percent for a {@link ResourceMetric}, the metric's unit otherwise;
 * per second for a rate).
 */
public record MetricTarget(Metric metric, double target) {
  public MetricTarget {
    Objects.requireNonNull(metric, "metric");
    if (!(target > 0) || Double.isInfinite(target)) {
      throw new IllegalArgumentException(
          "target of " + metric.describe() + " must be greater than 0, not " + target);
    }
  }
}
