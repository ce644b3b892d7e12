package io.stackwright.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.ScalingBehavior;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.scaling.Autoscaling;
import io.stackwright.core.scaling.PromQlException;
import io.stackwright.core.scaling.PromQlMetricSource;
import io.stackwright.core.state.FileStateStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler driven by a PromQL query against a real Prometheus (KEDA's Prometheus scaler): a
 * host application's queue length, exposed through Micrometer and scraped every second, scales a
 * service on a single engine up to its maximum and back down to its minimum.
 */
class PromQlAutoscalingIT {
  private static final Duration DOWN_WINDOW = Duration.ofSeconds(5);

  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger queue = new AtomicInteger();
  private MetricsEndpoint endpoint;
  private PrometheusServer prometheus;
  private PromQlMetricSource promql;
  private Orchestrator orchestrator;
  private String stack;

  @BeforeEach
  void start() throws Exception {
    PrometheusServer.assumeInstalled();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Gauge.builder("mx.queue.length", queue, AtomicInteger::get)
        .tag("queue", "web")
        .register(registry);
    endpoint = MetricsEndpoint.start(registry);
    prometheus = PrometheusServer.start(List.of(endpoint.target()), List.of());
    promql = PromQlMetricSource.builder(prometheus.uri()).timeout(Duration.ofSeconds(2)).build();
    orchestrator =
        Orchestrator.builder()
            .platform("compose")
            .metricSource(promql)
            .listener(events::add)
            .stateStore(new FileStateStore(Files.createTempDirectory("mx-promql-state")))
            .build();
    stack = "mx-pq" + Long.toString(System.nanoTime() % 1_000_000, 36);
  }

  @AfterEach
  void stop() {
    try {
      if (orchestrator != null) {
        try {
          orchestrator.remove(stack, RemoveOptions.withVolumes());
        } finally {
          orchestrator.close();
        }
      }
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
      if (endpoint != null) {
        endpoint.close();
      }
    }
  }

  private int replicas() {
    return orchestrator.status(stack).service("web").orElseThrow().desiredReplicas();
  }

  @Test
  void aQueueLengthInPrometheusScalesUpToTheMaximumAndDownToTheMinimum() {
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 3)
            // {service} is filled in by the source: one query serves every service
            .target(new CustomMetric("promql", "sum(mx_queue_length{queue=\"{service}\"})"), 10)
            .interval(Duration.ofSeconds(1))
            .scaleDown(ScalingBehavior.DEFAULT_DOWN.withWindow(DOWN_WINDOW))
            .build();
    StackSpec spec =
        StackSpec.builder(stack)
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .replicas(1)
                    .stopGracePeriod(Duration.ofSeconds(1))
                    .scaling(policy)
                    .build())
            .build();
    DeploymentResult result =
        orchestrator
            .deploy(spec, DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
            .await(Duration.ofMinutes(3));
    assertThat(result.succeeded()).as(result.message()).isTrue();

    try (Autoscaling autoscaling = orchestrator.autoscale(spec)) {
      await().atMost(Duration.ofSeconds(30)).until(autoscaling::leading);
      await("Prometheus has the queue")
          .atMost(Duration.ofSeconds(15))
          .until(() -> prometheus.value("sum(mx_queue_length{queue=\"web\"})") == 0);
      await("a decision on the empty queue")
          .atMost(Duration.ofSeconds(15))
          .until(() -> !decisions().isEmpty());
      assertThat(replicas()).isEqualTo(1);

      long grew = System.nanoTime();
      queue.set(25); // 25 over 10 per replica: 3
      await("scale-up to 3").atMost(Duration.ofSeconds(30)).until(() -> replicas() == 3);
      long up = System.nanoTime();
      queue.set(100); // 10 would be wanted: the maximum holds
      await("a decision on 100")
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  decisions().stream()
                      .anyMatch(
                          e ->
                              e.attributes()
                                  .getOrDefault(
                                      "metrics.promql:sum(mx_queue_length{queue=\"{service}\"})",
                                      "")
                                  .startsWith("value=33.33")));
      assertThat(replicas()).isEqualTo(3);

      long shrank = System.nanoTime();
      queue.set(5);
      await("scale-down to 1").atMost(DOWN_WINDOW.plusSeconds(30)).until(() -> replicas() == 1);
      long down = System.nanoTime();
      System.out.printf(
          "[promql-autoscaling] 1 -> 3 replicas %d ms after the queue grew; back to 1 %d ms after"
              + " it shrank (scale-down window %d s, scrape and rounds every 1 s)%n",
          (up - grew) / 1_000_000, (down - shrank) / 1_000_000, DOWN_WINDOW.toSeconds());
      assertThat(Duration.ofNanos(down - shrank))
          .isGreaterThanOrEqualTo(DOWN_WINDOW.minusSeconds(1));
    }
  }

  @Test
  void aBadQueryIsATypedErrorWithPrometheusOwnMessage() {
    assertThatThrownBy(() -> promql.read(stack, "web", "sum(mx_queue_length"))
        .isInstanceOfSatisfying(
            PromQlException.class,
            e -> {
              assertThat(e.errorType()).isEqualTo("bad_data");
              assertThat(e.getMessage()).contains("parse error");
            });
    assertThatThrownBy(() -> promql.read(stack, "web", "mx_queue_length[1m]"))
        .isInstanceOf(PromQlException.class)
        .hasMessageContaining("matrix");
    assertThat(promql.read(stack, "web", "sum(no_such_series)")).isEmpty();
    assertThat(promql.read(stack, "web", "scalar(vector(4))")).hasValue(4.0);
  }

  private List<OrchestratorEvent> decisions() {
    return events.stream()
        .filter(e -> e.type() == EventType.SCALING_DECISION && "web".equals(e.subject()))
        .toList();
  }
}
