package io.stackwright.api.rollout;

import java.time.Duration;
import java.util.Objects;

/**
 * What a canary must show at every step to go on: replicas that stay ready, and metric thresholds
 * read from the canary's Prometheus endpoint.
 *
 * @param interval how often the canary is analysed during a step
 * @param metricsPath the HTTP path of the Prometheus text endpoint on each canary replica
 * @param metricsPort the container port serving it
 * @param requestsMetric the counter of all requests answered
 * @param errorsMetric the counter of failed requests (5xx)
 * @param maxErrorRate the highest tolerated errors/requests over a step, 0 to 1; negative turns the
 *     check off
 * @param latencyMetric a gauge or summary quantile of request latency in seconds, or {@code null}
 * @param maxLatency the highest tolerated value of {@code latencyMetric}, or {@code null}
 */
public record CanaryAnalysis(
    Duration interval,
    String metricsPath,
    int metricsPort,
    String requestsMetric,
    String errorsMetric,
    double maxErrorRate,
    String latencyMetric,
    Duration maxLatency) {

  public CanaryAnalysis {
    interval = Objects.requireNonNullElse(interval, Duration.ofSeconds(2));
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("analysis interval must be positive, was " + interval);
    }
    metricsPath = Objects.requireNonNullElse(metricsPath, "/metrics");
    if (metricsPort < 1 || metricsPort > 65535) {
      throw new IllegalArgumentException("metrics port must be 1-65535, was " + metricsPort);
    }
    Objects.requireNonNull(requestsMetric, "requestsMetric");
    Objects.requireNonNull(errorsMetric, "errorsMetric");
    if (maxErrorRate > 1) {
      throw new IllegalArgumentException("maxErrorRate is a ratio (0-1), was " + maxErrorRate);
    }
    if ((latencyMetric == null) != (maxLatency == null)) {
      throw new IllegalArgumentException("a latency check needs both the metric and the maximum");
    }
  }

  /**
   * Error rate at most {@code maxErrorRate}, read every 2 s from {@code /metrics} on port 8080
   * ({@code http_requests_total} and {@code http_request_errors_total}).
   */
  public static CanaryAnalysis errorRate(double maxErrorRate) {
    return new CanaryAnalysis(
        Duration.ofSeconds(2),
        "/metrics",
        8080,
        "http_requests_total",
        "http_request_errors_total",
        maxErrorRate,
        null,
        null);
  }

  public boolean checksErrorRate() {
    return maxErrorRate >= 0;
  }
}
