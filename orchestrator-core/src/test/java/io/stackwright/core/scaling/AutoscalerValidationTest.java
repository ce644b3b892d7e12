package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.PrometheusMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.testing.InMemoryPlatform;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Policies a platform cannot serve fail before anything runs or is written (the in-memory platform
 * records every write).
 */
class AutoscalerValidationTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static StackSpec stack(ScalingPolicy policy) {
    return StackSpec.builder("shop")
        .service(ServiceSpec.builder("web", "shop/web").scaling(policy).build())
        .build();
  }

  @Test
  void everyProblemIsReportedWithItsPlace() {
    InMemoryPlatform platform =
        InMemoryPlatform.builder().name("recording").capabilities(Set.of()).build();
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
    assertThat(platform.writes()).isEmpty();
  }

  @Test
  void aPolicyThePlatformServesStarts() {
    InMemoryPlatform platform =
        InMemoryPlatform.builder()
            .name("recording")
            .capabilities(Set.of())
            .replicaAddress(replica -> "127.0.0.1")
            .usage((stack, replica) -> new ResourceUsage(Instant.now(), 1, 1, 0))
            .build();
    ScalingPolicy policy = ScalingPolicy.builder(1, 3).cpu(70).build();
    try (Autoscaling autoscaling =
        Autoscaler.builder(platform).executor(executor).build().start(stack(policy))) {
      assertThat(autoscaling.leading()).as("no LEASE capability: no lease needed").isTrue();
    }
    assertThat(platform.writes()).isEmpty();
  }
}
