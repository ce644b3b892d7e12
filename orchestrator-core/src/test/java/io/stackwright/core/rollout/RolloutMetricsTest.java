package io.stackwright.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.core.metrics.InMemoryMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutMetricsTest {
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final RolloutMetrics listener = RolloutMetrics.recordingTo(metrics);
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private void at(int second, EventDetail detail) {
    listener.onEvent(
        new OrchestratorEvent(t0.plusSeconds(second), "shop", null, detail.type().name(), detail));
  }

  private double phase(String phase) {
    return metrics.gauge("stackwright.rollout.phase", Map.of("stack", "shop", "phase", phase));
  }

  @Test
  void aCanaryReportsItsStepsWeightPhasesAndDuration() {
    at(0, new EventDetail.DeploymentStarted(1, 1, 1, 1));
    assertThat(phase("progressing")).isEqualTo(1);
    at(2, new EventDetail.RolloutStep(null, 1, "canary", "canary-1", 1, 2, 20, null));
    assertThat(metrics.gauge("stackwright.rollout.canary.step", Map.of("stack", "shop")))
        .isEqualTo(1);
    assertThat(metrics.gauge("stackwright.rollout.canary.weight", Map.of("stack", "shop")))
        .isEqualTo(20);
    at(9, new EventDetail.RolloutPaused(1, "canary", "wait"));
    assertThat(phase("paused")).isEqualTo(1);
    assertThat(phase("progressing")).isZero();
    at(10, new EventDetail.CanaryPromoted(1, "canary"));
    assertThat(metrics.gauge("stackwright.rollout.canary.weight", Map.of("stack", "shop")))
        .isEqualTo(100);
    at(12, new EventDetail.DeploymentSucceeded(1, Duration.ofSeconds(12), "canary"));

    assertThat(phase("healthy")).isEqualTo(1);
    assertThat(phase("paused")).isZero();
    assertThat(metrics.gauge("stackwright.rollout.canary.weight", Map.of("stack", "shop")))
        .isZero();
    assertThat(metrics.prometheusText())
        .contains(
            "stackwright_rollouts_seconds_sum{outcome=\"succeeded\",stack=\"shop\",strategy=\"canary\"} 12");
  }

  @Test
  void aRolledBackDeploymentIsDegradedAndCountsAsRolledBack() {
    at(0, new EventDetail.DeploymentStarted(1, 1, 1, 1));
    at(1, new EventDetail.RolloutStep(null, 1, "rolling", "update", 1, 2, null, null));
    at(5, new EventDetail.RollbackStarted(2, 1, "unhealthy"));
    assertThat(phase("rolling_back")).isEqualTo(1);
    at(
        8,
        new EventDetail.DeploymentFailed(
            2, DeploymentResult.Outcome.ROLLED_BACK, Duration.ofSeconds(8), "rolled back"));

    assertThat(phase("degraded")).isEqualTo(1);
    assertThat(phase("rolling_back")).isZero();
    assertThat(metrics.prometheusText())
        .contains(
            "stackwright_rollouts_seconds_count{outcome=\"rolled_back\",stack=\"shop\",strategy=\"rolling\"} 1");
  }

  @Test
  void aPlainDeploymentHasStrategyNone() {
    at(0, new EventDetail.DeploymentStarted(1, 1, 1, 1));
    at(3, new EventDetail.DeploymentSucceeded(1, Duration.ofSeconds(3), null));
    assertThat(metrics.prometheusText())
        .contains(
            "stackwright_rollouts_seconds_count{outcome=\"succeeded\",stack=\"shop\",strategy=\"none\"} 1");
  }
}
