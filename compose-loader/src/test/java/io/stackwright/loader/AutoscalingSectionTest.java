package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.MetricTarget;
import io.stackwright.api.scaling.PrometheusMetric;
import io.stackwright.api.scaling.ResourceMetric;
import io.stackwright.api.scaling.ScalingBehavior;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.scaling.ScalingRate;
import io.stackwright.api.scaling.ThresholdRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-stackwright.autoscaling}, as docs/x-stackwright.md describes it. */
class AutoscalingSectionTest {
  @TempDir Path dir;

  private TestProject project(String autoscaling) {
    return TestProject.in(dir)
        .file(
            "compose.yml",
            "services:\n  web:\n    image: nginx\n    x-stackwright:\n      autoscaling:\n"
                + autoscaling.indent(8));
  }

  @Test
  void everyKey() {
    ScalingPolicy policy =
        project(
                """
                min_replicas: 2
                max_replicas: 8
                interval: 5s
                tolerance: 0.05
                dry_run: true
                metrics:
                  - cpu: 70
                  - memory: 80
                  - prometheus:
                      name: http_requests_total
                      labels: {code: "200"}
                      type: rate
                      port: 8080
                      target: 100
                  - custom: {source: queue, name: orders, target: 30}
                rules:
                  - metric: cpu
                    up_above: 70
                    down_below: 30
                    step: 2
                    cooldown: 2m
                  - metric: {prometheus: {name: in_flight, port: 9090, path: /m}}
                    up_above: 10
                    down_below: 2
                behavior:
                  scale_up:
                    stabilization_window: 10s
                    select: min
                    policies:
                      - {type: pods, value: 1, period: 30s}
                      - {type: percent, value: 50, period: 1m}
                  scale_down:
                    stabilization_window: 1m
                """)
            .service()
            .scaling();
    assertThat(policy.minReplicas()).isEqualTo(2);
    assertThat(policy.maxReplicas()).isEqualTo(8);
    assertThat(policy.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.tolerance()).isEqualTo(0.05);
    assertThat(policy.dryRun()).isTrue();
    assertThat(policy.targets())
        .containsExactly(
            new MetricTarget(ResourceMetric.cpu(), 70),
            new MetricTarget(ResourceMetric.memory(), 80),
            new MetricTarget(
                new PrometheusMetric(
                    "http_requests_total",
                    Map.of("code", "200"),
                    PrometheusMetric.Kind.RATE,
                    8080,
                    "/metrics"),
                100),
            new MetricTarget(new CustomMetric("queue", "orders"), 30));
    assertThat(policy.rules())
        .containsExactly(
            new ThresholdRule(ResourceMetric.cpu(), 70, 30, 2, Duration.ofMinutes(2)),
            new ThresholdRule(
                new PrometheusMetric(
                    "in_flight", Map.of(), PrometheusMetric.Kind.GAUGE, 9090, "/m"),
                10,
                2,
                1,
                Duration.ofSeconds(60)));
    assertThat(policy.scaleUp())
        .isEqualTo(
            new ScalingBehavior(
                Duration.ofSeconds(10),
                List.of(
                    ScalingRate.pods(1, Duration.ofSeconds(30)),
                    ScalingRate.percent(50, Duration.ofMinutes(1))),
                ScalingBehavior.Select.MIN));
    assertThat(policy.scaleDown())
        .isEqualTo(ScalingBehavior.DEFAULT_DOWN.withWindow(Duration.ofMinutes(1)));
  }

  @Test
  void defaultsAreTheHpas() {
    ScalingPolicy policy =
        project("min_replicas: 2\nmax_replicas: 8\nmetrics:\n  - cpu: 70\n").service().scaling();
    assertThat(policy).isEqualTo(ScalingPolicy.builder(2, 8).cpu(70).build());
    assertThat(policy.scaleUp()).isEqualTo(ScalingBehavior.DEFAULT_UP);
    assertThat(policy.scaleDown().stabilizationWindow()).isEqualTo(Duration.ofSeconds(300));
    assertThat(policy.tolerance()).isEqualTo(0.1);
  }

  @Test
  void noSectionIsNone() {
    assertThat(
            TestProject.in(dir)
                .file("compose.yml", "services:\n  web:\n    image: nginx\n")
                .service()
                .scaling())
        .isEqualTo(ScalingPolicy.NONE);
  }

  @Test
  void problemsNameFileLineAndKey() {
    assertThat(
            project(
                    """
                    min_replicas: 3
                    max_replicas: 2
                    metrics:
                      - cpu: 70
                    """)
                .problem())
        .isEqualTo(
            "compose.yml:6:9: services.web.x-stackwright.autoscaling: maxReplicas (2) must not be less than minReplicas (3)");
    assertThat(
            project(
                    """
                    max_replicas: 4
                    metrics:
                      - cpu: high
                      - gpu: 3
                      - prometheus: {name: x, target: 5}
                    rules:
                      - {metric: cpu, up_above: 30, down_below: 70}
                    behavior:
                      scale_up: {select: sometimes, policies: [{type: pods, value: 0, period: 15s}]}
                    colour: red
                    """)
                .describedProblems())
        .containsExactlyInAnyOrder(
            "compose.yml:15:9: services.web.x-stackwright.autoscaling.colour: unknown key 'colour'; expected one of behavior, dry_run, interval, max_replicas, metrics, min_replicas, rules, tolerance",
            "compose.yml:6:9: services.web.x-stackwright.autoscaling.min_replicas: min_replicas is required",
            "compose.yml:8:18: services.web.x-stackwright.autoscaling.metrics[0].cpu: must be a number, not 'high'",
            "compose.yml:9:13: services.web.x-stackwright.autoscaling.metrics[1].gpu: unknown metric; use cpu, memory, prometheus, promql or custom",
            "compose.yml:10:25: services.web.x-stackwright.autoscaling.metrics[2].prometheus.port: port is required (where the replicas serve metrics)",
            "compose.yml:12:13: services.web.x-stackwright.autoscaling.rules[0]: threshold rule on cpu: downBelow (70.0) must be less than upAbove (30.0)",
            "compose.yml:14:30: services.web.x-stackwright.autoscaling.behavior.scale_up.select: must be max, min or disabled, not 'sometimes'",
            "compose.yml:14:52: services.web.x-stackwright.autoscaling.behavior.scale_up.policies[0]: scaling rate value must be at least 1, not 0");
  }

  @Test
  void aPromQlQueryIsACustomMetricOfThePromQlSource() {
    ScalingPolicy policy =
        project(
                """
                min_replicas: 1
                max_replicas: 5
                metrics:
                  - promql:
                      query: sum(rate(http_requests_total{service="{service}"}[1m]))
                      target: 50
                  - promql: {query: sum(queue_length), source: metrics-server, target: 10}
                rules:
                  - metric: {promql: {query: max(latency_seconds)}}
                    up_above: 0.5
                    down_below: 0.1
                """)
            .service()
            .scaling();
    assertThat(policy.targets())
        .containsExactly(
            new MetricTarget(
                new CustomMetric(
                    "promql", "sum(rate(http_requests_total{service=\"{service}\"}[1m]))"),
                50),
            new MetricTarget(new CustomMetric("metrics-server", "sum(queue_length)"), 10));
    assertThat(policy.rules())
        .extracting(ThresholdRule::metric)
        .containsExactly(new CustomMetric("promql", "max(latency_seconds)"));
  }

  @Test
  void aPromQlMetricNeedsItsQuery() {
    assertThat(
            project(
                    """
                    min_replicas: 1
                    max_replicas: 2
                    metrics:
                      - promql: {target: 5, timeout: 2s}
                    """)
                .describedProblems())
        .anySatisfy(p -> assertThat(p).contains("metrics[0].promql.timeout: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("metrics[0].promql.query: query is required"));
  }

  @Test
  void needsAMetricOrARule() {
    assertThat(project("min_replicas: 1\nmax_replicas: 2\n").problem())
        .isEqualTo(
            "compose.yml:6:9: services.web.x-stackwright.autoscaling: needs at least one entry under metrics or rules");
  }
}
