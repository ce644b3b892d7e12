package io.stackwright.core.scaling.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The replica count one metric asks for, computed as the Kubernetes HPA's replica calculator does
 * ({@code pkg/controller/podautoscaler/replica_calculator.go}): {@code ceil(ready * average /
 * target)}, nothing within the tolerance, and replicas without a value or not ready treated
 * conservatively (missing values count as the target when scaling down and as 0 when scaling up;
 * unready replicas are set aside, and count as 0 when scaling up) so that incomplete data never
 * makes the service shrink or grow more than the complete data would.
 */
public final class ReplicaCalculator {
  private ReplicaCalculator() {}

  /** Target tracking on a metric measured per replica. */
  public static Proposal perReplica(
      String metric, int current, List<ReplicaSample> samples, double target, double tolerance) {
    List<Double> ready = new ArrayList<>();
    int missing = 0;
    int unready = 0;
    for (ReplicaSample s : samples) {
      if (s.value() == null) {
        missing++;
      } else if (!s.ready()) {
        unready++;
      } else {
        ready.add(s.value());
      }
    }
    if (ready.isEmpty()) {
      return Proposal.failed(metric, "no ready replica has a value");
    }
    double average = ready.stream().mapToDouble(Double::doubleValue).sum() / ready.size();
    double ratio = average / target;
    boolean scaleUpWithUnready = unready > 0 && ratio > 1.0;
    if (!scaleUpWithUnready && missing == 0) {
      if (Math.abs(1.0 - ratio) <= tolerance) {
        return new Proposal(metric, current, average, "within tolerance");
      }
      return new Proposal(
          metric, ceil(ratio * ready.size()), average, "ratio " + round(ratio) + " of target");
    }
    double sum = ready.stream().mapToDouble(Double::doubleValue).sum();
    int counted = ready.size();
    if (missing > 0) {
      if (ratio < 1.0) {
        sum += missing * target;
        counted += missing;
      } else if (ratio > 1.0) {
        counted += missing;
      }
    }
    if (scaleUpWithUnready) {
      counted += unready;
    }
    double newRatio = sum / counted / target;
    String conservative =
        (missing > 0 ? missing + " without value" : "")
            + (missing > 0 && scaleUpWithUnready ? ", " : "")
            + (scaleUpWithUnready ? unready + " not ready" : "");
    if (Math.abs(1.0 - newRatio) <= tolerance
        || (ratio < 1.0 && newRatio > 1.0)
        || (ratio > 1.0 && newRatio < 1.0)) {
      return new Proposal(
          metric,
          current,
          average,
          "within tolerance counting " + conservative + " conservatively");
    }
    int replicas = ceil(newRatio * counted);
    if ((newRatio < 1.0 && replicas > current) || (newRatio > 1.0 && replicas < current)) {
      return new Proposal(
          metric,
          current,
          average,
          "direction changed counting " + conservative + " conservatively");
    }
    return new Proposal(
        metric,
        replicas,
        average,
        "ratio " + round(newRatio) + " of target counting " + conservative + " conservatively");
  }

  /**
   * Target tracking on a value for the whole service against a target average per replica, as the
   * HPA does for external metrics with an {@code AverageValue} target.
   */
  public static Proposal serviceTotal(
      String metric, int current, double total, double targetPerReplica, double tolerance) {
    double ratio = total / (targetPerReplica * current);
    double average = total / current;
    if (Math.abs(1.0 - ratio) <= tolerance) {
      return new Proposal(metric, current, average, "within tolerance");
    }
    return new Proposal(
        metric, ceil(total / targetPerReplica), average, "ratio " + round(ratio) + " of target");
  }

  /** The ceiling, ignoring the rounding noise of floating point ({@code 2.0000000001} is 2). */
  static int ceil(double value) {
    return (int) Math.ceil(value - 1e-9);
  }

  static String round(double value) {
    return String.format(java.util.Locale.ROOT, "%.2f", value);
  }
}
