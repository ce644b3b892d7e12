package io.stackwright.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names Prometheus users see, as docs/metrics.md lists them. */
class PrometheusExpositionTest {
  @Test
  void dottedNamesBecomePrometheusFamiliesWithUnitsAndSuffixes() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetrics metrics = MicrometerMetrics.of(registry);
    Map<String, String> web = Map.of("stack", "shop", "service", "web");

    metrics.count("stackwright.jobs.submitted", Map.of("stack", "shop", "kind", "deploy"), 1);
    metrics.gauge("stackwright.replicas.ready", web, 2);
    metrics.timing(
        "stackwright.probe.duration",
        Map.of("stack", "shop", "service", "web", "probe", "readiness"),
        Duration.ofMillis(250));

    String text = registry.scrape();
    assertThat(text)
        .contains("# HELP stackwright_jobs_submitted_total Jobs submitted, by stack and kind")
        .contains("stackwright_jobs_submitted_total{kind=\"deploy\",stack=\"shop\"} 1.0")
        .contains("stackwright_replicas_ready{service=\"web\",stack=\"shop\"} 2.0")
        .contains(
            "stackwright_probe_duration_seconds_count{probe=\"readiness\",service=\"web\",stack=\"shop\"} 1")
        .contains(
            "stackwright_probe_duration_seconds_sum{probe=\"readiness\",service=\"web\",stack=\"shop\"} 0.25");
  }

  @Test
  void aMeterWhoseTagKeysChangeNeverBreaksTheCaller() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetrics metrics = MicrometerMetrics.of(registry);

    metrics.count("stackwright.replica.crashes", Map.of("stack", "shop"), 1);
    metrics.count("stackwright.replica.crashes", Map.of("stack", "shop", "service", "web"), 1);
    metrics.gauge("stackwright.replicas.ready", Map.of("stack", "shop"), 1);
    metrics.gauge("stackwright.replicas.ready", Map.of("stack", "shop", "service", "web"), 1);

    assertThat(registry.scrape()).contains("stackwright_replica_crashes_total{stack=\"shop\"} 1.0");
  }
}
