package io.stackwright.api.scaling;

import java.util.Objects;

/**
 * A metric read from a {@link io.stackwright.api.spi.MetricSource} (a queue length, a connection
 * count): the source gives one value for the whole service, which the autoscaler divides by the
 * ready replicas to compare it with a per-replica target, as the Kubernetes HPA does for external
 * metrics with an {@code AverageValue} target.
 *
 * @param source the name of the metric source
 * @param name the metric's name within the source
 */
public record CustomMetric(String source, String name) implements Metric {
  public CustomMetric {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
    if (source.isBlank() || name.isBlank()) {
      throw new IllegalArgumentException("a custom metric needs a source and a name");
    }
  }

  @Override
  public String describe() {
    return source + ":" + name;
  }
}
