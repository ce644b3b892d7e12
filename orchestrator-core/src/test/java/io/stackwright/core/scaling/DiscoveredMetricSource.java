package io.stackwright.core.scaling;

import io.stackwright.api.spi.MetricSource;
import java.util.OptionalDouble;

/** A metric source found through ServiceLoader (listed in this module's test resources). */
public final class DiscoveredMetricSource implements MetricSource {
  static volatile double value = 40;

  @Override
  public String name() {
    return "discovered";
  }

  @Override
  public OptionalDouble read(String stack, String service, String metric) {
    return metric.equals("queue") ? OptionalDouble.of(value) : OptionalDouble.empty();
  }
}
