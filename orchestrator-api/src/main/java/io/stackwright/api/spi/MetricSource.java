package io.stackwright.api.spi;

import java.util.OptionalDouble;

/**
 * Custom metrics for autoscaling (a queue's length, open connections, an error rate), read by the
 * autoscaler for {@link io.stackwright.api.scaling.CustomMetric}s naming this source. Found through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.stackwright.api.spi.MetricSource})
 * or registered in code; a source registered in code wins over a discovered one of the same name.
 */
public interface MetricSource {

  /** The name metrics refer to. */
  String name();

  /**
   * The current value of {@code metric} for the whole service (the autoscaler divides it by the
   * ready replicas), or empty when it is not known now; a missing value never scales down.
   */
  OptionalDouble read(String stack, String service, String metric);
}
