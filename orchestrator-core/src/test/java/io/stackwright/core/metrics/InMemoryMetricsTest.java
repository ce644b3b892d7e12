package io.stackwright.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryMetricsTest {
  @Test
  void printsPrometheusText() {
    InMemoryMetrics metrics = new InMemoryMetrics();
    metrics.count("stackwright.probe.results", Map.of("service", "web", "result", "failed"), 1);
    metrics.count("stackwright.probe.results", Map.of("service", "web", "result", "failed"), 2);
    metrics.gauge("stackwright.replicas.ready", Map.of("service", "we\"b"), 2);
    metrics.timing("stackwright.probe.duration", Map.of(), Duration.ofMillis(250));
    metrics.timing("stackwright.probe.duration", Map.of(), Duration.ofMillis(750));

    assertThat(metrics.counter("stackwright.probe.results", Map.of("result", "failed")))
        .isEqualTo(3);
    assertThat(metrics.prometheusText())
        .contains(
            "# TYPE stackwright_probe_results_total counter\n"
                + "stackwright_probe_results_total{result=\"failed\",service=\"web\"} 3\n")
        .contains(
            "# TYPE stackwright_replicas_ready gauge\nstackwright_replicas_ready{service=\"we\\\"b\"} 2\n")
        .contains(
            "# TYPE stackwright_probe_duration_seconds summary\n"
                + "stackwright_probe_duration_seconds_count 2\n"
                + "stackwright_probe_duration_seconds_sum 1\n");
  }
}
