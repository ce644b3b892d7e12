package io.stackwright.api.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stackwright's horizontal autoscaling of a service, after the Kubernetes HPA v2: every {@link
 * MetricTarget} and {@link ThresholdRule} proposes a replica count, the largest wins, and the
 * result is kept within {@code minReplicas..maxReplicas}, stabilized and rate limited per
 * direction. {@link #NONE} when the service has none.
 *
 * @param minReplicas the fewest replicas the autoscaler sets (at least 1)
 * @param maxReplicas the most replicas the autoscaler sets
 * @param targets target tracking on metrics
 * @param rules threshold rules
 * @param tolerance a usage ratio within {@code 1 ± tolerance} of the target changes nothing
 * @param scaleUp how fast to scale up
 * @param scaleDown how fast to scale down
 * @param dryRun decide and report, but never change the replicas
 * @param interval how often to measure and decide
 */
public record ScalingPolicy(
    int minReplicas,
    int maxReplicas,
    List<MetricTarget> targets,
    List<ThresholdRule> rules,
    double tolerance,
    ScalingBehavior scaleUp,
    ScalingBehavior scaleDown,
    boolean dryRun,
    Duration interval) {

  public static final double DEFAULT_TOLERANCE = 0.1;
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

  public static final ScalingPolicy NONE =
      new ScalingPolicy(
          1,
          1,
          List.of(),
          List.of(),
          DEFAULT_TOLERANCE,
          ScalingBehavior.DEFAULT_UP,
          ScalingBehavior.DEFAULT_DOWN,
          false,
          DEFAULT_INTERVAL);

  public ScalingPolicy {
    targets = List.copyOf(targets);
    rules = List.copyOf(rules);
    if (minReplicas < 1) {
      throw new IllegalArgumentException("minReplicas must be at least 1, not " + minReplicas);
    }
    if (maxReplicas < minReplicas) {
      throw new IllegalArgumentException(
          "maxReplicas ("
              + maxReplicas
              + ") must not be less than minReplicas ("
              + minReplicas
              + ")");
    }
    if (!(tolerance >= 0 && tolerance < 1)) {
      throw new IllegalArgumentException(
          "tolerance must be at least 0 and below 1, not " + tolerance);
    }
    scaleUp = Objects.requireNonNullElse(scaleUp, ScalingBehavior.DEFAULT_UP);
    scaleDown = Objects.requireNonNullElse(scaleDown, ScalingBehavior.DEFAULT_DOWN);
    interval = Objects.requireNonNullElse(interval, DEFAULT_INTERVAL);
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("interval must be at least 100ms, not " + interval);
    }
  }

  /** Whether the service is autoscaled at all (it has at least one target or rule). */
  public boolean isEnabled() {
    return !targets.isEmpty() || !rules.isEmpty();
  }

  public static Builder builder(int minReplicas, int maxReplicas) {
    return new Builder(minReplicas, maxReplicas);
  }

  /** Builds a {@link ScalingPolicy}; defaults are those of the Kubernetes HPA. */
  public static final class Builder {
    private final int minReplicas;
    private final int maxReplicas;
    private final List<MetricTarget> targets = new ArrayList<>();
    private final List<ThresholdRule> rules = new ArrayList<>();
    private double tolerance = DEFAULT_TOLERANCE;
    private ScalingBehavior scaleUp = ScalingBehavior.DEFAULT_UP;
    private ScalingBehavior scaleDown = ScalingBehavior.DEFAULT_DOWN;
    private boolean dryRun;
    private Duration interval = DEFAULT_INTERVAL;

    private Builder(int minReplicas, int maxReplicas) {
      this.minReplicas = minReplicas;
      this.maxReplicas = maxReplicas;
    }

    /** Tracks CPU at {@code percent} of the base ({@link ResourceMetric}). */
    public Builder cpu(double percent) {
      return target(ResourceMetric.cpu(), percent);
    }

    /** Tracks memory at {@code percent} of the base ({@link ResourceMetric}). */
    public Builder memory(double percent) {
      return target(ResourceMetric.memory(), percent);
    }

    public Builder target(Metric metric, double target) {
      targets.add(new MetricTarget(metric, target));
      return this;
    }

    public Builder rule(ThresholdRule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    public Builder tolerance(double tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    public Builder scaleUp(ScalingBehavior behavior) {
      this.scaleUp = Objects.requireNonNull(behavior, "behavior");
      return this;
    }

    public Builder scaleDown(ScalingBehavior behavior) {
      this.scaleDown = Objects.requireNonNull(behavior, "behavior");
      return this;
    }

    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    public ScalingPolicy build() {
      return new ScalingPolicy(
          minReplicas,
          maxReplicas,
          targets,
          rules,
          tolerance,
          scaleUp,
          scaleDown,
          dryRun,
          interval);
    }
  }
}
