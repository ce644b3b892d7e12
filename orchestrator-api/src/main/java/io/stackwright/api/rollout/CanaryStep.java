package io.stackwright.api.rollout;

import java.time.Duration;

/**
 * One step of a canary: send {@code weight} percent of the traffic to the new version (through the
 * router), or run {@code replicas} replicas of it beside the old ones (without a router), then
 * analyse it for {@code pause}.
 *
 * @param weight percent of traffic for the canary, 0 to 100, or {@code -1} for a replica step
 * @param replicas canary replicas of a replica step, or {@code -1} for a weight step
 * @param pause how long the step is analysed before the next one
 */
public record CanaryStep(int weight, int replicas, Duration pause) {

  public CanaryStep {
    if ((weight < 0) == (replicas < 0)) {
      throw new IllegalArgumentException("a canary step sets either a weight or a replica count");
    }
    if (weight > 100) {
      throw new IllegalArgumentException("canary weight is a percentage (0-100), was " + weight);
    }
    if (replicas < -1 || weight < -1) {
      throw new IllegalArgumentException("canary weight and replicas cannot be negative");
    }
    pause = BlueGreenPolicy.nonNegative(pause, "pause");
  }

  /** {@code percent} of the traffic to the canary, analysed for {@code pause}. */
  public static CanaryStep weight(int percent, Duration pause) {
    return new CanaryStep(percent, -1, pause);
  }

  /** {@code replicas} canary replicas beside the old ones, analysed for {@code pause}. */
  public static CanaryStep replicas(int replicas, Duration pause) {
    return new CanaryStep(-1, replicas, pause);
  }

  public boolean isWeightStep() {
    return weight >= 0;
  }
}
