package io.stackwright.core.scaling.internal;

import java.util.List;

/**
 * What the autoscaler decided for one service at one moment, with its inputs.
 *
 * @param current the replicas before the decision
 * @param recommended the largest proposal of the metrics, before stabilization and rate limits
 * @param desired the replicas to set (equal to {@code current} when nothing changes)
 * @param proposals what each metric and rule proposed
 * @param reason why {@code desired} is what it is
 */
public record ScalingDecision(
    int current, int recommended, int desired, List<Proposal> proposals, String reason) {
  public ScalingDecision {
    proposals = List.copyOf(proposals);
  }

  public boolean changes() {
    return desired != current;
  }
}
