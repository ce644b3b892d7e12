package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.MetricSource;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.core.scaling.internal.ScalingDecision;
import io.stackwright.core.scaling.internal.ServiceAutoscaler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One autoscaling round on a platform held in memory: custom metrics, events, dry run, pause. */
class ServiceAutoscalerTest {
  private final ManualClock clock = new ManualClock();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<OrchestratorEvent> events = new ArrayList<>();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** A service whose replica count is whatever was last scaled to. */
  private static final class InMemoryPlatform implements Platform {
    int replicas;
    final List<Integer> scaled = new ArrayList<>();

    InMemoryPlatform(int replicas) {
      this.replicas = replicas;
    }

    @Override
    public String name() {
      return "memory";
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.noneOf(Capability.class);
    }

    @Override
    public Plan plan(StackSpec stack) {
      throw new AssertionError();
    }

    @Override
    public void apply(StackSpec stack, Plan plan, EventListener events) {
      throw new AssertionError();
    }

    @Override
    public StackState status(String stack) {
      List<TaskState> tasks =
          IntStream.range(0, replicas)
              .mapToObj(
                  i ->
                      new TaskState(
                          "t" + i,
                          "web",
                          i + 1,
                          "n",
                          "c" + i,
                          TaskStatus.RUNNING,
                          TaskStatus.RUNNING,
                          HealthStatus.NONE,
                          true,
                          "",
                          null,
                          Instant.EPOCH))
              .toList();
      ServiceState web = new ServiceState("web", "id", "img", replicas, 1, null, Map.of(), tasks);
      return new StackState(stack, List.of(web), List.of(), List.of(), List.of(), List.of());
    }

    @Override
    public List<String> stacks() {
      return List.of();
    }

    @Override
    public void scale(String stack, String service, int replicas) {
      this.replicas = replicas;
      scaled.add(replicas);
    }

    @Override
    public void remove(String stack, RemoveOptions options, EventListener events) {}

    @Override
    public Subscription watch(String stack, EventListener events) {
      return () -> {};
    }
  }

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
        MetricsRecorder.NONE);
  }

  @Test
  void aDiscoveredSourceDrivesTheReplicasAndEveryRoundIsAnEvent() {
    assertThat(ServiceLoader.load(MetricSource.class).stream().map(p -> p.get().name()))
        .contains("discovered");
    InMemoryPlatform platform = new InMemoryPlatform(2);
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 5).target(new CustomMetric("discovered", "queue"), 10).build();
    ServiceAutoscaler autoscaler = autoscaler(platform, policy);
    DiscoveredMetricSource.value = 40; // 40 queued, 10 per replica -> 4
    ScalingDecision first = autoscaler.round().orElseThrow();
    assertThat(first.desired()).isEqualTo(4);
    assertThat(platform.scaled).containsExactly(4);
    clock.advanceSeconds(15);
    DiscoveredMetricSource.value = 42; // 10.5 per replica: within the tolerance
    assertThat(autoscaler.round().orElseThrow().changes()).isFalse();
    assertThat(events).hasSize(2).allMatch(e -> e.type() == EventType.SCALING_DECISION);
    assertThat(events.get(0).attributes())
        .containsEntry("current", "2")
        .containsEntry("desired", "4")
        .containsEntry("acted", "true")
        .containsEntry("metric.discovered:queue", "value=20.00 proposes=4 (ratio 2.00 of target)");
    assertThat(events.get(1).message()).startsWith("keeps 4 replicas");
  }

  @Test
  void dryRunDecidesWithoutActing() {
    InMemoryPlatform platform = new InMemoryPlatform(2);
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 5)
            .target(new CustomMetric("discovered", "queue"), 10)
            .dryRun(true)
            .build();
    DiscoveredMetricSource.value = 40;
    ScalingDecision decision = autoscaler(platform, policy).round().orElseThrow();
    assertThat(decision.desired()).isEqualTo(4);
    assertThat(platform.scaled).isEmpty();
    assertThat(events.get(0).message()).startsWith("would scale 2 -> 4");
    assertThat(events.get(0).attributes()).containsEntry("acted", "false");
  }

  @Test
  void aServiceScaledToZeroIsPaused() {
    InMemoryPlatform platform = new InMemoryPlatform(0);
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 5).target(new CustomMetric("discovered", "queue"), 10).build();
    DiscoveredMetricSource.value = 40;
    assertThat(autoscaler(platform, policy).round().orElseThrow().desired()).isZero();
    assertThat(platform.scaled).isEmpty();
  }

  @Test
  void aSourceWithoutAValueNeverScalesDown() {
    InMemoryPlatform platform = new InMemoryPlatform(3);
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
    assertThat(events.get(0).attributes().get("metric.silent:q")).contains("no value");
  }
}
