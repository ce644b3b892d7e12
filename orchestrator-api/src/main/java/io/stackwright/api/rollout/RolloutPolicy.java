package io.stackwright.api.rollout;

import java.time.Duration;
import java.util.Objects;

/**
 * How new versions of a service are rolled out ({@code x-stackwright.rollout}). The batch size,
 * order, delay, monitor window and failure action of a rolling update are the service's {@link
 * io.stackwright.api.ServiceSpec#updatePolicy() updatePolicy} and {@link
 * io.stackwright.api.ServiceSpec#rollbackPolicy() rollbackPolicy} (Compose {@code
 * deploy.update_config} / {@code rollback_config}); this policy adds what Stackwright does on top.
 * {@link #NONE} leaves the rollout to the platform, as a plain deployment.
 *
 * @param strategy rolling, blue-green or canary
 * @param autoRollback whether a version that fails verification is replaced by the last revision of
 *     the stack that was fully healthy
 * @param verifyFor how long every replica of the new version must stay ready after the platform
 *     finished the update, before the revision counts as healthy (Swarm's own monitor window only
 *     covers the first seconds of each task)
 * @param blueGreen the blue-green settings, or {@code null} unless the strategy is blue-green
 * @param canary the canary settings, or {@code null} unless the strategy is canary
 */
public record RolloutPolicy(
    Strategy strategy,
    boolean autoRollback,
    Duration verifyFor,
    BlueGreenPolicy blueGreen,
    CanaryPolicy canary) {

  /** Nothing beyond the platform's own behaviour. */
  public static final RolloutPolicy NONE =
      new RolloutPolicy(Strategy.ROLLING, false, Duration.ZERO, null, null);

  /** The built-in strategies; {@link #id()} names the {@code DeploymentStrategy} that runs it. */
  public enum Strategy {
    ROLLING("rolling"),
    BLUE_GREEN("blue-green"),
    CANARY("canary");

    private final String id;

    Strategy(String id) {
      this.id = id;
    }

    /** The strategy's name in Compose files, on the CLI and in the strategy registry. */
    public String id() {
      return id;
    }

    /** The strategy named {@code id} ({@code rolling}, {@code blue-green}, {@code canary}). */
    public static Strategy fromId(String id) {
      for (Strategy strategy : values()) {
        if (strategy.id.equals(id)) {
          return strategy;
        }
      }
      throw new IllegalArgumentException(
          "unknown rollout strategy '" + id + "'; expected rolling, blue-green or canary");
    }
  }

  public RolloutPolicy {
    Objects.requireNonNull(strategy, "strategy");
    verifyFor = Objects.requireNonNullElse(verifyFor, Duration.ZERO);
    if (verifyFor.isNegative()) {
      throw new IllegalArgumentException("verifyFor cannot be negative, was " + verifyFor);
    }
    if (strategy == Strategy.BLUE_GREEN) {
      blueGreen = Objects.requireNonNullElse(blueGreen, BlueGreenPolicy.defaults());
    } else if (blueGreen != null) {
      throw new IllegalArgumentException("blue-green settings need strategy blue-green");
    }
    if (strategy == Strategy.CANARY) {
      Objects.requireNonNull(canary, "a canary rollout needs its steps (canary settings)");
    } else if (canary != null) {
      throw new IllegalArgumentException("canary settings need strategy canary");
    }
  }

  /** A rolling update verified for {@code verifyFor} and rolled back when it fails. */
  public static RolloutPolicy rolling(Duration verifyFor) {
    return new RolloutPolicy(Strategy.ROLLING, true, verifyFor, null, null);
  }

  /** Starts a policy of {@code strategy}: auto-rollback on, no verification window. */
  public static Builder builder(Strategy strategy) {
    return new Builder(strategy);
  }

  /** Whether this is the plain platform behaviour ({@link #NONE}). */
  /**
   * Whether rollouts move traffic between two versions through the router (blue-green, or a canary
   * whose steps set weights), so the router must route the service through a split from the start.
   */
  public boolean movesTraffic() {
    return strategy == Strategy.BLUE_GREEN
        || (strategy == Strategy.CANARY && canary != null && canary.steps().get(0).isWeightStep());
  }

  public boolean isNone() {
    return equals(NONE);
  }

  /** Builds a {@link RolloutPolicy}. */
  public static final class Builder {
    private final Strategy strategy;
    private boolean autoRollback = true;
    private Duration verifyFor = Duration.ZERO;
    private BlueGreenPolicy blueGreen;
    private CanaryPolicy canary;

    private Builder(Strategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    public Builder autoRollback(boolean autoRollback) {
      this.autoRollback = autoRollback;
      return this;
    }

    public Builder verifyFor(Duration verifyFor) {
      this.verifyFor = verifyFor;
      return this;
    }

    public Builder blueGreen(BlueGreenPolicy blueGreen) {
      this.blueGreen = blueGreen;
      return this;
    }

    public Builder canary(CanaryPolicy canary) {
      this.canary = canary;
      return this;
    }

    public RolloutPolicy build() {
      return new RolloutPolicy(strategy, autoRollback, verifyFor, blueGreen, canary);
    }
  }
}
