package io.stackwright.examples.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.scaling.PrometheusMetric;
import io.stackwright.api.scaling.ScalingBehavior;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.scaling.Autoscaling;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Autoscaling against a real engine with the test workload; each platform runs it through a
 * subclass. Timing numbers are printed for the report; the bounds asserted are the issue's.
 */
abstract class AutoscalingScenarios {
  static final Duration INTERVAL = Duration.ofSeconds(2);
  static final Duration DOWN_WINDOW = Duration.ofSeconds(20);

  final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  Orchestrator orchestrator;
  String stack;

  abstract String platform();

  @BeforeEach
  void start() {
    orchestrator = Orchestrator.builder().platform(platform()).listener(events::add).build();
    stack = "scal" + UUID.randomUUID().toString().substring(0, 6);
  }

  @AfterEach
  void stop() {
    try {
      orchestrator.remove(stack, RemoveOptions.withVolumes());
    } finally {
      orchestrator.close();
    }
  }

  static ServiceSpec.Builder workload(ScalingPolicy policy) {
    return ServiceSpec.builder("web", "stackwright/workload:test")
        .endpointMode(ServiceSpec.EndpointMode.DNSRR)
        .healthcheck(
            HealthcheckSpec.cmd("/server", "--probe")
                .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, 3))
        .resources(new Resources(ResourceLimits.of(0.2, 0), ResourceLimits.NONE))
        .scaling(policy)
        .replicas(policy.minReplicas());
  }

  StackSpec deploy(ScalingPolicy policy) {
    StackSpec spec = StackSpec.builder(stack).service(workload(policy).build()).build();
    DeploymentResult result =
        orchestrator
            .deploy(spec, DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
            .await(Duration.ofMinutes(3));
    assertThat(result.succeeded()).as(result.message()).isTrue();
    return spec;
  }

  int replicas() {
    return orchestrator.status(stack).service("web").orElseThrow().desiredReplicas();
  }

  List<OrchestratorEvent> decisions() {
    return events.stream()
        .filter(e -> e.type() == EventType.SCALING_DECISION && "web".equals(e.subject()))
        .toList();
  }

  Instant firstScaleTo(int replicas, Instant after) {
    return decisions().stream()
        .filter(e -> e.timestamp().isAfter(after))
        .filter(e -> e.attributes().get("acted").equals("true"))
        .filter(e -> Integer.parseInt(e.attributes().get("desired")) >= replicas)
        .map(OrchestratorEvent::timestamp)
        .findFirst()
        .orElse(null);
  }

  @Test
  @DisplayName("CPU: scales up within 15 s under load, down after the window, within 1..3")
  void cpu() {
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 3)
            .cpu(50)
            .interval(INTERVAL)
            .scaleDown(ScalingBehavior.DEFAULT_DOWN.withWindow(DOWN_WINDOW))
            .build();
    StackSpec spec = deploy(policy);
    try (Autoscaling autoscaling = orchestrator.autoscale(spec)) {
      await().atMost(Duration.ofSeconds(30)).until(autoscaling::leading);
      // 0.3 core of work in total: one 0.2-core replica runs flat out (100% > 50%), three run
      // at 0.1 core each (50%): the target settles at 3, the maximum.
      Instant loadStarted = Instant.now();
      try (Load load =
          new Load(orchestrator, stack, "web", "/work?cpu-ms=15", Duration.ofMillis(50))) {
        await("scale-up").atMost(Duration.ofSeconds(15)).until(() -> replicas() >= 2);
        Instant up = Instant.now();
        System.out.printf(
            "[%s] cpu: first scale-up %d ms after the load started%n",
            platform(), Duration.between(loadStarted, up).toMillis());
        await("reaches the maximum").atMost(Duration.ofSeconds(60)).until(() -> replicas() == 3);
        // The maximum holds while the load goes on.
        for (int i = 0; i < 5; i++) {
          sleep(INTERVAL);
          assertThat(replicas()).isEqualTo(3);
        }
      }
      Instant loadStopped = Instant.now();
      await("scale-down").atMost(DOWN_WINDOW.plusSeconds(40)).until(() -> replicas() == 1);
      Duration down = Duration.between(loadStopped, Instant.now());
      System.out.printf(
          "[%s] cpu: back to 1 replica %d ms after the load stopped (window %d s)%n",
          platform(), down.toMillis(), DOWN_WINDOW.toSeconds());
      assertThat(down).isGreaterThanOrEqualTo(DOWN_WINDOW.minus(INTERVAL));
      // The minimum holds once idle.
      for (int i = 0; i < 3; i++) {
        sleep(INTERVAL);
        assertThat(replicas()).isEqualTo(1);
      }
    }
    assertThat(decisions())
        .allSatisfy(
            e -> {
              int desired = Integer.parseInt(e.attributes().get("desired"));
              assertThat(desired).isBetween(1, 3);
              assertThat(e.attributes()).containsKeys("current", "reason", "metric.cpu");
            });
  }

  @Test
  @DisplayName("request rate from /metrics: 12 req/s at 6 per replica (with probes) gives 3")
  void requestRate() {
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 4)
            // Each replica also counts its healthchecks (1/s) and the autoscaler's scrapes
            // (0.5/s): 12 req/s over 3 replicas is 5.5 per replica, within the tolerance of 6;
            // over 2 it is 7.5 (ceil(2 * 7.5 / 6) = 3); over 4, 4.5 (ceil(4 * 4.5 / 6) = 3).
            .target(PrometheusMetric.rate("workload_requests_total", 8080), 6)
            .interval(INTERVAL)
            .scaleDown(ScalingBehavior.DEFAULT_DOWN.withWindow(DOWN_WINDOW))
            .build();
    StackSpec spec = deploy(policy);
    try (Autoscaling autoscaling = orchestrator.autoscale(spec);
        Load load = new Load(orchestrator, stack, "web", "/", Duration.ofMillis(83))) {
      await().atMost(Duration.ofSeconds(30)).until(autoscaling::leading);
      Instant started = Instant.now();
      await("scale-up to 3").atMost(Duration.ofSeconds(45)).until(() -> replicas() >= 3);
      System.out.printf(
          "[%s] request rate: 3 replicas %d ms after the load started%n",
          platform(), Duration.between(started, Instant.now()).toMillis());
      for (int i = 0; i < 5; i++) {
        sleep(INTERVAL);
        assertThat(replicas())
            .as("12 req/s over 6 req/s per replica: %s", decisions())
            .isEqualTo(3);
      }
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
