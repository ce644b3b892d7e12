package io.stackwright.api.scaling;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A metric that each replica exposes in the Prometheus text format. Series of {@code name} whose
 * labels include all of {@code labels} are summed per replica; a counter ({@link Kind#RATE}) is
 * turned into a per-second rate between two scrapes (a counter that went down was reset, and its
 * new value counts as the increase).
 *
 * @param name metric name, such as {@code workload_requests_total}
 * @param labels label values a series must have to count (exact matches)
 * @param kind whether the value is a counter to take the rate of, or a gauge to read as is
 * @param port the replica's port serving the metrics
 * @param path the HTTP path, {@code /metrics} by default
 */
public record PrometheusMetric(
    String name, Map<String, String> labels, Kind kind, int port, String path) implements Metric {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  public enum Kind {
    /** A counter; the autoscaler uses its per-second rate. */
    RATE,
    /** A gauge; the autoscaler uses its current value. */
    GAUGE
  }

  public PrometheusMetric {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Prometheus metric name '" + name + "' must match " + NAME.pattern());
    }
    labels =
        labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    kind = Objects.requireNonNullElse(kind, Kind.GAUGE);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be 1 to 65535, not " + port);
    }
    path = path == null || path.isBlank() ? "/metrics" : path;
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("metrics path must start with /, not " + path);
    }
  }

  /** The per-second rate of a counter served at {@code :port/metrics}. */
  public static PrometheusMetric rate(String name, int port) {
    return new PrometheusMetric(name, Map.of(), Kind.RATE, port, "/metrics");
  }

  /** A gauge served at {@code :port/metrics}. */
  public static PrometheusMetric gauge(String name, int port) {
    return new PrometheusMetric(name, Map.of(), Kind.GAUGE, port, "/metrics");
  }

  /** The same metric, counting only series with these label values. */
  public PrometheusMetric withLabels(Map<String, String> matchers) {
    return new PrometheusMetric(name, matchers, kind, port, path);
  }

  @Override
  public String describe() {
    return (kind == Kind.RATE ? "rate:" : "gauge:") + name + (labels.isEmpty() ? "" : labels);
  }
}
