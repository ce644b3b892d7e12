package io.stackwright.core.rollout;

import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.MetricsRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Turns the events of deployments and rollouts into meters, the way Argo Rollouts and Argo CD
 * report theirs: a timer {@code stackwright.rollouts} (tags stack, strategy, outcome) from each
 * deployment's start to its end, a state-set gauge {@code stackwright.rollout.phase} (tags stack,
 * phase; 1 for the phase the stack's rollout is in, 0 for the others), and the canary's {@code
 * stackwright.rollout.canary.step} and {@code stackwright.rollout.canary.weight} (tag stack).
 *
 * <p>Listening to events keeps the strategies free of metrics plumbing and works for strategies
 * that third parties write, as long as they emit the rollout events.
 *
 * <pre>{@code
 * Orchestrator.builder().metrics(recorder).listener(RolloutMetrics.recordingTo(recorder))
 * }</pre>
 */
public final class RolloutMetrics implements EventListener {

  /** The phases of {@code stackwright.rollout.phase} (Argo Rollouts' phases, lower case). */
  public static final List<String> PHASES =
      List.of("progressing", "paused", "rolling_back", "healthy", "degraded");

  private record Run(Instant started, String strategy) {}

  private final MetricsRecorder metrics;
  private final ConcurrentMap<String, Run> runs = new ConcurrentHashMap<>();

  private RolloutMetrics(MetricsRecorder metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** A listener recording rollout meters into {@code metrics}. */
  public static RolloutMetrics recordingTo(MetricsRecorder metrics) {
    return new RolloutMetrics(metrics);
  }

  @Override
  public void onEvent(OrchestratorEvent event) {
    String stack = event.stack();
    // Java 17 has no pattern switch (a preview there); on 21+ a switch over the sealed type does
    EventDetail detail = event.detail();
    if (detail instanceof EventDetail.DeploymentStarted) {
      runs.put(stack, new Run(event.timestamp(), "none"));
      phase(stack, "progressing");
    } else if (detail instanceof EventDetail.RolloutStep step) {
      if (step.strategy() != null) {
        runs.computeIfPresent(stack, (s, run) -> new Run(run.started(), step.strategy()));
      }
      phase(stack, "progressing");
      if (step.step().startsWith("canary-")) {
        canaryStep(stack, step.step().substring("canary-".length()));
        if (step.weight() != null) {
          canaryWeight(stack, String.valueOf(step.weight()));
        }
      }
    } else if (detail instanceof EventDetail.RolloutPaused) {
      phase(stack, "paused");
    } else if (detail instanceof EventDetail.CanaryPromoted) {
      metrics.gauge("stackwright.rollout.canary.weight", tags(stack), 100);
    } else if (detail instanceof EventDetail.RollbackStarted) {
      phase(stack, "rolling_back");
    } else if (detail instanceof EventDetail.DeploymentSucceeded) {
      finished(event, "succeeded");
    } else if (detail instanceof EventDetail.DeploymentFailed failed) {
      finished(event, failed.outcome().name().toLowerCase(Locale.ROOT));
    }
  }

  private void finished(OrchestratorEvent event, String outcome) {
    String stack = event.stack();
    Run run = runs.remove(stack);
    if (run != null) {
      Duration took = Duration.between(run.started(), event.timestamp());
      metrics.timing(
          "stackwright.rollouts",
          Map.of("stack", stack, "strategy", run.strategy(), "outcome", outcome),
          took.isNegative() ? Duration.ZERO : took);
    }
    phase(stack, event.type() == EventType.DEPLOYMENT_SUCCEEDED ? "healthy" : "degraded");
    // no canary is in flight once the rollout ended
    metrics.gauge("stackwright.rollout.canary.step", tags(stack), 0);
    metrics.gauge("stackwright.rollout.canary.weight", tags(stack), 0);
  }

  private void phase(String stack, String current) {
    for (String phase : PHASES) {
      metrics.gauge(
          "stackwright.rollout.phase",
          Map.of("stack", stack, "phase", phase),
          phase.equals(current) ? 1 : 0);
    }
  }

  private void canaryStep(String stack, String number) {
    try {
      metrics.gauge("stackwright.rollout.canary.step", tags(stack), Integer.parseInt(number));
    } catch (NumberFormatException e) {
      // a step that is not numbered is not a canary step
    }
  }

  private void canaryWeight(String stack, String weight) {
    try {
      metrics.gauge("stackwright.rollout.canary.weight", tags(stack), Double.parseDouble(weight));
    } catch (NumberFormatException e) {
      // a weight that is not a number is not shown
    }
  }

  private static Map<String, String> tags(String stack) {
    return Map.of("stack", stack);
  }
}
