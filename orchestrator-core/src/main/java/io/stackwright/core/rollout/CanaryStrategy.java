package io.stackwright.core.rollout;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.rollout.CanaryAnalysis;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.DeploymentStrategy;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.RolloutVerdict;
import io.stackwright.core.rollout.internal.MetricsAnalysis;
import io.stackwright.core.rollout.internal.SideBySide;
import java.util.ArrayList;
import java.util.List;

/**
 * A canary: the new version ({@code <service>-next}) starts beside the live one and takes a growing
 * share of the traffic, step by step: a weight through the router, or a number of canary replicas
 * that share the service's traffic with the live ones. During each step's pause the canary is
 * analysed (replicas stay ready, every registered {@code RolloutCheck} passes: external probes,
 * metric thresholds); a failed analysis or an operator's abort sends all traffic back to the live
 * version and removes the canary (result {@code ROLLED_BACK}); after the last step, or an
 * operator's promote, the new version becomes the live one.
 */
public final class CanaryStrategy implements DeploymentStrategy {

  @Override
  public String name() {
    return RolloutPolicy.Strategy.CANARY.id();
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack, Platform platform, boolean hasRouter) {
    boolean weighted =
        stack.services().values().stream()
            .map(ServiceSpec::rollout)
            .filter(r -> r.strategy() == RolloutPolicy.Strategy.CANARY && r.canary() != null)
            .anyMatch(r -> r.canary().steps().get(0).isWeightStep());
    List<SpecProblem> problems =
        new ArrayList<>(
            SideBySide.problems(stack, RolloutPolicy.Strategy.CANARY, weighted, hasRouter));
    boolean addresses = platform.capabilities().contains(Capability.REPLICA_ADDRESS);
    for (ServiceSpec service : stack.services().values()) {
      CanaryPolicy canary = service.rollout().canary();
      boolean metrics =
          canary != null
              && canary.analysis() != null
              && (canary.analysis().checksErrorRate() || canary.analysis().maxLatency() != null);
      if (metrics && !addresses) {
        // a threshold that is never checked must not look like one that passes
        problems.add(
            SpecProblem.at(
                "services." + service.name() + ".x-stackwright.rollout.canary.analysis",
                "metric analysis reads each canary replica's metrics endpoint, but platform "
                    + platform.name()
                    + " cannot tell replica addresses (REPLICA_ADDRESS); register a RolloutCheck"
                    + " (Orchestrator.builder().rolloutCheck) that reads the metrics instead"));
      }
    }
    return problems;
  }

  @Override
  public DeploymentResult execute(RolloutContext context) {
    List<String> changed = SideBySide.services(context, RolloutPolicy.Strategy.CANARY);
    // nothing live to run beside (a first deployment, or a stack removed since): create plainly
    List<String> services = SideBySide.live(context, changed);
    if (context.lastHealthy().isEmpty() || services.isEmpty()) {
      return SideBySideStrategies.firstDeployment(context, changed);
    }
    CanaryPolicy policy = context.stack().services().get(services.get(0)).rollout().canary();
    StackSpec live = context.lastHealthy().get();
    List<CanaryStep> steps = policy.steps();
    boolean weighted = steps.get(0).isWeightStep();
    if (weighted) {
      // the canary gets no traffic until the first step says so
      SideBySide.shift(context, services, 0);
    }
    int stepNumber = 0;
    boolean promoted = false;
    StackSpec staged = null;
    for (CanaryStep step : steps) {
      stepNumber++;
      staged = SideBySide.staged(context.stack(), live, services, weighted ? -1 : step.replicas());
      RolloutVerdict started = context.applyAndAwait(staged);
      if (!started.healthy()) {
        return abort(context, services, weighted, "the canary did not start: " + started.reason());
      }
      if (weighted) {
        SideBySide.shift(context, services, step.weight());
      }
      SideBySide.step(
          context,
          EventType.ROLLOUT_STEP,
          "canary step "
              + stepNumber
              + "/"
              + steps.size()
              + (weighted
                  ? ": " + step.weight() + "% of traffic"
                  : ": " + step.replicas() + " replicas")
              + ", analysed for "
              + step.pause(),
          "canary-" + stepNumber,
          stepNumber,
          steps.size(),
          weighted ? step.weight() : null,
          weighted ? null : step.replicas(),
          null);
      MetricsAnalysis metrics = metrics(context, services.get(0), policy);
      SideBySide.Outcome analysed =
          SideBySide.watch(
              context, staged, step.pause(), metrics == null ? null : metrics::problem);
      if (!analysed.verdict().healthy()) {
        return abort(
            context, services, weighted, "step " + stepNumber + ": " + analysed.verdict().reason());
      }
      if (analysed.promoted()) {
        promoted = true;
        break;
      }
    }
    if (!policy.autoPromote() && !promoted) {
      SideBySide.step(
          context,
          EventType.ROLLOUT_PAUSED,
          "canary passed every step; waiting for promote",
          "wait");
      // the canary stays as the last step left it while it waits
      SideBySide.Outcome decided = SideBySide.watch(context, staged, context.remaining());
      if (!decided.promoted()) {
        return abort(context, services, weighted, "not promoted: " + decided.verdict().reason());
      }
    }
    SideBySide.step(context, EventType.CANARY_PROMOTED, "the canary was promoted", "promote");
    return SideBySideStrategies.promote(context, services);
  }

  /** The metric analysis of this step, or null when the policy sets no threshold. */
  private static MetricsAnalysis metrics(
      RolloutContext context, String service, CanaryPolicy policy) {
    CanaryAnalysis analysis = policy.analysis();
    if (analysis == null || (!analysis.checksErrorRate() && analysis.maxLatency() == null)) {
      return null;
    }
    MetricsAnalysis metrics =
        new MetricsAnalysis(
            context.platform(), analysis, context.stack().name(), SideBySide.next(service));
    metrics.beginStep();
    return metrics;
  }

  private static DeploymentResult abort(
      RolloutContext context, List<String> services, boolean weighted, String reason) {
    if (weighted) {
      SideBySide.shift(context, services, 0);
    }
    SideBySide.step(
        context,
        EventType.CANARY_ABORTED,
        "the canary was aborted: " + reason,
        "abort",
        0,
        0,
        null,
        null,
        reason);
    return context.rollBack("the canary was aborted: " + reason);
  }
}
