package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.PrometheusMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Policies a platform cannot serve fail before anything runs or is written. */
class AutoscalerValidationTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** A platform that declares some capabilities and records every write. */
  private static final class RecordingPlatform implements Platform {
    final Set<Capability> capabilities;
    final List<String> writes = new ArrayList<>();

    RecordingPlatform(Set<Capability> capabilities) {
      this.capabilities = capabilities;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Set<Capability> capabilities() {
      return capabilities;
    }

    @Override
    public Plan plan(StackSpec stack) {
      throw new AssertionError("not expected");
    }

    @Override
    public void apply(StackSpec stack, Plan plan, EventListener events) {
      writes.add("apply");
    }

    @Override
    public StackState status(String stack) {
      return new StackState(stack, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    @Override
    public List<String> stacks() {
      return List.of();
    }

    @Override
    public void scale(String stack, String service, int replicas) {
      writes.add("scale " + service + " " + replicas);
    }

    @Override
    public void remove(String stack, RemoveOptions options, EventListener events) {
      writes.add("remove");
    }

    @Override
    public Subscription watch(String stack, EventListener events) {
      return () -> {};
    }
  }

  private static StackSpec stack(ScalingPolicy policy) {
    return StackSpec.builder("shop")
        .service(ServiceSpec.builder("web", "shop/web").scaling(policy).build())
        .build();
  }

  @Test
  void everyProblemIsReportedWithItsPlace() {
    RecordingPlatform platform = new RecordingPlatform(EnumSet.noneOf(Capability.class));
    ScalingPolicy policy =
        ScalingPolicy.builder(1, 3)
            .cpu(70)
            .memory(80)
            .target(PrometheusMetric.rate("http_requests_total", 8080), 100)
            .target(new CustomMetric("queue", "orders"), 30)
            .build();
    assertThatThrownBy(
            () -> Autoscaler.builder(platform).executor(executor).build().start(stack(policy)))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.problems())
                    .extracting(SpecProblem::toString)
                    .containsExactly(
                        "services.web.x-stackwright.autoscaling.metrics[cpu]: recording cannot read CPU and memory usage",
                        "services.web.x-stackwright.autoscaling.metrics[memory]: recording cannot read CPU and memory usage",
                        "services.web.x-stackwright.autoscaling.metrics[memory]: a memory target is a percentage of the memory reservation or limit; declare deploy.resources.reservations.memory or limits.memory",
                        "services.web.x-stackwright.autoscaling.metrics[rate:http_requests_total]: recording gives no replica addresses here, so /metrics cannot be scraped",
                        "services.web.x-stackwright.autoscaling.metrics[queue:orders]: no metric source named 'queue'; known: discovered"));
    assertThat(platform.writes).isEmpty();
  }

  @Test
  void aPolicyThePlatformServesStarts() {
    RecordingPlatform platform =
        new RecordingPlatform(EnumSet.of(Capability.RESOURCE_USAGE, Capability.REPLICA_ADDRESS));
    ScalingPolicy policy = ScalingPolicy.builder(1, 3).cpu(70).build();
    try (Autoscaling autoscaling =
        Autoscaler.builder(platform).executor(executor).build().start(stack(policy))) {
      assertThat(autoscaling.leading()).as("no LEASE capability: no lease needed").isTrue();
    }
    assertThat(platform.writes).isEmpty();
  }
}
