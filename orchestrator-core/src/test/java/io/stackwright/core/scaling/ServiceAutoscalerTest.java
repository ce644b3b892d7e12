package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.spi.MetricSource;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.core.scaling.internal.ScalingDecision;
import io.stackwright.core.scaling.internal.ServiceAutoscaler;
import io.stackwright.testing.InMemoryPlatform;
import io.stackwright.testing.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One autoscaling round on the in-memory platform: custom metrics, events, dry run, pause. */
class ServiceAutoscalerTest {
  private final ManualClock clock = new ManualClock();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<OrchestratorEvent> events = new ArrayList<>();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** The in-memory platform running {@code web} of stack {@code shop} with {@code replicas}. */
  private InMemoryPlatform platform(int replicas) {
    InMemoryPlatform platform = InMemoryPlatform.builder().clock(clock).build();
    StackSpec shop =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("web", "img").replicas(replicas).build())
            .build();
    platform.apply(shop, platform.plan(shop), event -> {});
    return platform;
  }

  /** The replica counts the autoscaler scaled to, in order. */
  private static List<Integer> scaled(InMemoryPlatform platform) {
    return platform.writes(InMemoryPlatform.Scaled.class).stream()
        .map(InMemoryPlatform.Scaled::replicas)
        .toList();
  }

  private final io.stackwright.core.metrics.InMemoryMetrics metrics =
      new io.stackwright.core.metrics.InMemoryMetrics();

  private ServiceAutoscaler autoscaler(InMemoryPlatform platform, ScalingPolicy policy) {
    Map<String, MetricSource> sources = new java.util.HashMap<>();
    ServiceLoader.load(MetricSource.class).forEach(s -> sources.put(s.name(), s));
    return new ServiceAutoscaler(
        platform,
        "shop",
        ServiceSpec.builder("web", "img").scaling(policy).build(),
        sources,
        executor,
        clock,
        events::add,
        metrics);
  }

  @Test
  void aDiscoveredSourceDrivesTheReplicasAndEveryRoundIsAnEvent() {
    assertThat(ServiceLoader.load(MetricSource.class).stream().map(p -> p.get().name()))
        .contains("discovered");
    InMemoryPlatform platform = platform(2);
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 5).target(new CustomMetric("discovered", "queue"), 10).build();
    ServiceAutoscaler autoscaler = autoscaler(platform, policy);
    DiscoveredMetricSource.value = 40; // 40 queued, 10 per replica -> 4
    ScalingDecision first = autoscaler.round().orElseThrow();
    assertThat(first.desired()).isEqualTo(4);
    assertThat(scaled(platform)).containsExactly(4);
    clock.advanceSeconds(15);
    DiscoveredMetricSource.value = 42; // 10.5 per replica: within the tolerance
    assertThat(autoscaler.round().orElseThrow().changes()).isFalse();
    assertThat(events).hasSize(2).allMatch(e -> e.type() == EventType.SCALING_DECISION);
    assertThat(events.get(0).attributes())
        .containsEntry("current", "2")
        .containsEntry("desired", "4")
        .containsEntry("acted", "true")
        .containsEntry("metrics.discovered:queue", "value=20.00 proposes=4 (ratio 2.00 of target)");
    assertThat(events.get(1).message()).startsWith("keeps 4 replicas");
    Map<String, String> web = Map.of("stack", "shop", "service", "web");
    assertThat(metrics.gauge("stackwright.autoscaler.desired.replicas", web)).isEqualTo(4);
    assertThat(metrics.gauge("stackwright.autoscaler.current.replicas", web)).isEqualTo(4);
    assertThat(
            metrics.gauge(
                "stackwright.autoscaler.metric.value",
                Map.of("stack", "shop", "service", "web", "kind", "discovered:queue")))
        .isEqualTo(10.5);
    assertThat(
            metrics.counter(
                "stackwright.autoscaler.decisions", Map.of("direction", "up", "outcome", "scaled")))
        .isEqualTo(1);
    assertThat(
            metrics.counter(
                "stackwright.autoscaler.decisions", Map.of("direction", "none", "outcome", "kept")))
        .isEqualTo(1);
  }

  @Test
  void dryRunDecidesWithoutActing() {
    InMemoryPlatform platform = platform(2);
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 5)
            .target(new CustomMetric("discovered", "queue"), 10)
            .dryRun(true)
            .build();
    DiscoveredMetricSource.value = 40;
    ScalingDecision decision = autoscaler(platform, policy).round().orElseThrow();
    assertThat(decision.desired()).isEqualTo(4);
    assertThat(scaled(platform)).isEmpty();
    assertThat(events.get(0).message()).startsWith("would scale 2 -> 4");
    assertThat(events.get(0).attributes()).containsEntry("acted", "false");
    assertThat(
            metrics.counter(
                "stackwright.autoscaler.decisions",
                Map.of("direction", "up", "outcome", "dry_run")))
        .isEqualTo(1);
  }

  @Test
  void aServiceScaledToZeroIsPaused() {
    InMemoryPlatform platform = platform(0);
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 5).target(new CustomMetric("discovered", "queue"), 10).build();
    DiscoveredMetricSource.value = 40;
    assertThat(autoscaler(platform, policy).round().orElseThrow().desired()).isZero();
    assertThat(scaled(platform)).isEmpty();
  }

  @Test
  void aSourceWithoutAValueNeverScalesDown() {
    InMemoryPlatform platform = platform(3);
    MetricSource silent =
        new MetricSource() {
          @Override
          public String name() {
            return "silent";
          }

          @Override
          public OptionalDouble read(String stack, String service, String metric) {
            return OptionalDouble.empty();
          }
        };
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 5).target(new CustomMetric("silent", "q"), 10).build();
    ServiceAutoscaler autoscaler =
        new ServiceAutoscaler(
            platform,
            "shop",
            ServiceSpec.builder("web", "img").scaling(policy).build(),
            Map.of("silent", silent),
            executor,
            clock,
            events::add,
            MetricsRecorder.NONE);
    assertThat(autoscaler.round().orElseThrow().changes()).isFalse();
    assertThat(events.get(0).attributes().get("metrics.silent:q")).contains("no value");
  }
}
