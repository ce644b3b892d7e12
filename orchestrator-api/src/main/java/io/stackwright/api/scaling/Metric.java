package io.stackwright.api.scaling;

/**
 * What an autoscaler measures for a service. Every metric is read as an average per ready replica
 * so that a target or threshold means the same thing whatever the replica count.
 */
public sealed interface Metric permits ResourceMetric, PrometheusMetric, CustomMetric {

  /** A short name for events and logs ({@code cpu}, {@code prometheus:http_requests_total}). */
  String describe();
}
