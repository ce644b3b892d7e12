package io.stackwright.core.scaling.internal;

import io.stackwright.api.scaling.ScalingBehavior;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.scaling.ScalingRate;
import io.stackwright.api.scaling.ThresholdRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Turns the proposals of one service's metrics into the replicas to set, as the Kubernetes HPA
 * controller does ({@code horizontal.go}: {@code reconcileAutoscaler}, {@code
 * stabilizeRecommendationWithBehaviors}, {@code convertDesiredReplicasWithBehaviorRate}): the
 * largest proposal wins; a scale-down is skipped when a metric could not be evaluated; replicas
 * outside the bounds are brought back to them first; then the stabilization windows and the rate
 * limits of each direction apply. Keeps the recommendations and scale events it needs for the
 * windows; not thread-safe (one service is decided on one thread at a time).
 */
public final class ScalingDecider {
  private record Recommendation(Instant at, int replicas) {}

  private record ScaleEvent(Instant at, int change) {}

  private final Clock clock;
  private final Deque<Recommendation> recommendations = new ArrayDeque<>();
  private final List<ScaleEvent> upEvents = new ArrayList<>();
  private final List<ScaleEvent> downEvents = new ArrayList<>();

  public ScalingDecider(Clock clock) {
    this.clock = clock;
  }

  /**
   * A threshold rule's proposal: a step up or down, unless a step was taken within its cooldown.
   */
  public Proposal threshold(ThresholdRule rule, int current, List<ReplicaSample> samples) {
    String metric = rule.metric().describe();
    List<Double> values =
        samples.stream().filter(s -> s.ready() && s.value() != null).map(s -> s.value()).toList();
    if (values.isEmpty()) {
      return Proposal.failed(metric, "no ready replica has a value");
    }
    double average = values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
    boolean missing = values.size() < samples.size();
    Instant now = clock.instant();
    if (average > rule.upAbove()) {
      if (changedWithin(upEvents, rule.cooldown(), now) > 0) {
        return new Proposal(metric, current, average, "above " + rule.upAbove() + ", cooling down");
      }
      return new Proposal(metric, current + rule.step(), average, "above " + rule.upAbove());
    }
    if (average < rule.downBelow()) {
      if (missing) {
        return new Proposal(
            metric, current, average, "below " + rule.downBelow() + ", values missing");
      }
      if (changedWithin(downEvents, rule.cooldown(), now) > 0) {
        return new Proposal(
            metric, current, average, "below " + rule.downBelow() + ", cooling down");
      }
      return new Proposal(
          metric, Math.max(1, current - rule.step()), average, "below " + rule.downBelow());
    }
    return new Proposal(metric, current, average, "between thresholds");
  }

  /**
   * Decides the replicas from the proposals. {@code current} is the replica count the platform
   * reports; 0 means autoscaling is paused and nothing is decided.
   */
  public ScalingDecision decide(ScalingPolicy policy, int current, List<Proposal> proposals) {
    Instant now = clock.instant();
    if (current == 0) {
      return new ScalingDecision(0, 0, 0, proposals, "scaled to 0: autoscaling paused");
    }
    if (current > policy.maxReplicas()) {
      return new ScalingDecision(
          current, policy.maxReplicas(), policy.maxReplicas(), proposals, "above maxReplicas");
    }
    if (current < policy.minReplicas()) {
      return new ScalingDecision(
          current, policy.minReplicas(), policy.minReplicas(), proposals, "below minReplicas");
    }
    int recommended = -1;
    String winner = null;
    boolean anyFailed = false;
    for (Proposal p : proposals) {
      if (!p.isValid()) {
        anyFailed = true;
      } else if (p.replicas() > recommended) {
        recommended = p.replicas();
        winner = p.metric() + " " + p.reason();
      }
    }
    if (recommended < 0) {
      return new ScalingDecision(
          current, current, current, proposals, "no metric could be evaluated");
    }
    if (anyFailed && recommended < current) {
      return new ScalingDecision(
          current,
          recommended,
          current,
          proposals,
          "a metric could not be evaluated: no scale-down");
    }
    if (recommendations.isEmpty()) {
      // As the HPA does when it starts: the first recommendation is the replicas found, so that a
      // restarted autoscaler does not scale down before a full window has been observed.
      recommendations.add(new Recommendation(now, current));
    }
    int stabilized = stabilize(policy, current, recommended, now);
    String reason = winner;
    if (stabilized != recommended) {
      reason += "; stabilized to " + stabilized;
    }
    int desired = limitRate(policy, current, stabilized, now);
    if (desired != stabilized) {
      reason += "; rate limited to " + desired;
    }
    int bounded = Math.max(policy.minReplicas(), Math.min(policy.maxReplicas(), desired));
    if (bounded != desired) {
      reason += "; kept within " + policy.minReplicas() + ".." + policy.maxReplicas();
    }
    return new ScalingDecision(current, recommended, bounded, proposals, reason);
  }

  /** Records that the replicas were changed, for the rate limits and cooldowns. */
  public void scaled(int from, int to) {
    Instant now = clock.instant();
    if (to > from) {
      upEvents.add(new ScaleEvent(now, to - from));
    } else if (to < from) {
      downEvents.add(new ScaleEvent(now, from - to));
    }
    Instant horizon = now.minus(Duration.ofMinutes(30));
    upEvents.removeIf(e -> e.at().isBefore(horizon));
    downEvents.removeIf(e -> e.at().isBefore(horizon));
  }

  private int stabilize(ScalingPolicy policy, int current, int recommended, Instant now) {
    Instant upCutoff = now.minus(policy.scaleUp().stabilizationWindow());
    Instant downCutoff = now.minus(policy.scaleDown().stabilizationWindow());
    int upLimit = recommended;
    int downLimit = recommended;
    for (Recommendation r : recommendations) {
      if (r.at().isAfter(upCutoff)) {
        upLimit = Math.min(upLimit, r.replicas());
      }
      if (r.at().isAfter(downCutoff)) {
        downLimit = Math.max(downLimit, r.replicas());
      }
    }
    Instant oldest = upCutoff.isBefore(downCutoff) ? upCutoff : downCutoff;
    while (!recommendations.isEmpty() && !recommendations.peekFirst().at().isAfter(oldest)) {
      recommendations.removeFirst();
    }
    recommendations.addLast(new Recommendation(now, recommended));
    int result = current;
    if (result < upLimit) {
      result = upLimit;
    }
    if (result > downLimit) {
      result = downLimit;
    }
    return result;
  }

  private int limitRate(ScalingPolicy policy, int current, int desired, Instant now) {
    if (desired > current) {
      int limit = Math.max(current, upLimit(policy.scaleUp(), current, now));
      return Math.min(desired, limit);
    }
    if (desired < current) {
      int limit = Math.min(current, downLimit(policy.scaleDown(), current, now));
      return Math.max(desired, limit);
    }
    return desired;
  }

  private int upLimit(ScalingBehavior behavior, int current, Instant now) {
    if (behavior.select() == ScalingBehavior.Select.DISABLED) {
      return current;
    }
    boolean min = behavior.select() == ScalingBehavior.Select.MIN;
    int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
    for (ScalingRate rate : behavior.rates()) {
      int start =
          current
              - changedWithin(upEvents, rate.period(), now)
              + changedWithin(downEvents, rate.period(), now);
      int proposed =
          rate.type() == ScalingRate.Type.PODS
              ? start + rate.value()
              : (int) Math.ceil(start * (1 + rate.value() / 100.0));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  private int downLimit(ScalingBehavior behavior, int current, Instant now) {
    if (behavior.select() == ScalingBehavior.Select.DISABLED) {
      return current;
    }
    boolean min = behavior.select() == ScalingBehavior.Select.MIN;
    int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (ScalingRate rate : behavior.rates()) {
      int start =
          current
              - changedWithin(upEvents, rate.period(), now)
              + changedWithin(downEvents, rate.period(), now);
      int proposed =
          rate.type() == ScalingRate.Type.PODS
              ? start - rate.value()
              : (int) (start * (1 - rate.value() / 100.0));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  private static int changedWithin(List<ScaleEvent> events, Duration period, Instant now) {
    Instant cutoff = now.minus(period);
    return events.stream().filter(e -> e.at().isAfter(cutoff)).mapToInt(ScaleEvent::change).sum();
  }
}
