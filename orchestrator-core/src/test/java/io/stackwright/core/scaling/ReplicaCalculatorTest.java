package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.core.scaling.internal.Proposal;
import io.stackwright.core.scaling.internal.ReplicaCalculator;
import io.stackwright.core.scaling.internal.ReplicaSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The examples and edge cases of the Kubernetes HPA documentation's algorithm details. */
class ReplicaCalculatorTest {

  private static List<ReplicaSample> ready(double... values) {
    List<ReplicaSample> out = new ArrayList<>();
    for (double v : values) {
      out.add(new ReplicaSample("r" + out.size(), true, v));
    }
    return out;
  }

  private static List<ReplicaSample> plus(List<ReplicaSample> samples, ReplicaSample... more) {
    List<ReplicaSample> out = new ArrayList<>(samples);
    out.addAll(List.of(more));
    return out;
  }

  private static int replicas(int current, List<ReplicaSample> samples, double target) {
    Proposal p = ReplicaCalculator.perReplica("m", current, samples, target, 0.1);
    return p.replicas();
  }

  @Test
  @DisplayName("200m measured against a 100m target doubles the replicas")
  void doublesWhenTwiceTheTarget() {
    assertThat(replicas(4, ready(200, 200, 200, 200), 100)).isEqualTo(8);
  }

  @Test
  @DisplayName("50m measured against a 100m target halves the replicas")
  void halvesWhenHalfTheTarget() {
    assertThat(replicas(4, ready(50, 50, 50, 50), 100)).isEqualTo(2);
  }

  @Test
  @DisplayName("desired = ceil(current * value / target)")
  void roundsUp() {
    assertThat(replicas(3, ready(90, 90, 90), 50)).isEqualTo(6); // 5.4 -> 6
    assertThat(replicas(3, ready(30, 30, 30), 100)).isEqualTo(1); // 0.9 -> 1
  }

  @Test
  @DisplayName("a ratio within the tolerance (0.1) changes nothing, just outside it does")
  void tolerance() {
    assertThat(replicas(4, ready(105, 105, 110, 100), 100)).isEqualTo(4);
    assertThat(replicas(4, ready(91, 91, 91, 91), 100)).isEqualTo(4);
    assertThat(replicas(4, ready(112, 112, 112, 112), 100)).isEqualTo(5);
    assertThat(replicas(10, ready(88, 88, 88, 88, 88, 88, 88, 88, 88, 88), 100)).isEqualTo(9);
    Proposal tight = ReplicaCalculator.perReplica("m", 4, ready(105, 105, 105, 105), 100, 0.01);
    assertThat(tight.replicas()).isEqualTo(5);
  }

  @Test
  @DisplayName("scale-down with missing metrics: missing replicas count as 100% of the target")
  void missingCountAsTargetWhenScalingDown() {
    List<ReplicaSample> samples = plus(ready(50, 50, 50), new ReplicaSample("x", true, null));
    // without the missing one: ceil(0.5 * 3) = 2; with it at 100: (150 + 100) / 4 = 62.5 -> 3
    assertThat(replicas(4, samples, 100)).isEqualTo(3);
  }

  @Test
  @DisplayName("scale-up with missing metrics: missing replicas count as 0")
  void missingCountAsZeroWhenScalingUp() {
    List<ReplicaSample> samples = plus(ready(200, 200, 200), new ReplicaSample("x", true, null));
    // (600 + 0) / 4 = 150 -> ratio 1.5 over 4 -> 6 (not 6 from 3 * 2 either way, but not 8)
    assertThat(replicas(4, samples, 100)).isEqualTo(6);
    List<ReplicaSample> many =
        plus(
            ready(200, 200),
            new ReplicaSample("x", true, null),
            new ReplicaSample("y", true, null));
    // naive: ceil(2 * 2) = 4 = current; conservative: 400 / 4 = 100 -> within tolerance
    assertThat(replicas(4, many, 100)).isEqualTo(4);
  }

  @Test
  @DisplayName("a scale the missing metrics would reverse does not happen")
  void missingMetricsThatReverseTheDirectionKeepTheReplicas() {
    List<ReplicaSample> samples =
        plus(
            ready(120),
            new ReplicaSample("x", true, null),
            new ReplicaSample("y", true, null),
            new ReplicaSample("z", true, null));
    assertThat(replicas(4, samples, 100)).isEqualTo(4);
  }

  @Test
  @DisplayName("scale-up with replicas not yet ready: they count as 0")
  void unreadyCountAsZeroWhenScalingUp() {
    List<ReplicaSample> samples =
        plus(
            ready(200, 200),
            new ReplicaSample("x", false, 500.0),
            new ReplicaSample("y", false, 500.0));
    // 400 / 4 = 100 -> ratio 1.0 -> no change, although the ready ones run at twice the target
    assertThat(replicas(4, samples, 100)).isEqualTo(4);
    List<ReplicaSample> hot = plus(ready(400, 400), new ReplicaSample("x", false, 0.0));
    // 800 / 3 = 266.7 -> ratio 2.67 over 3 -> 8
    assertThat(replicas(3, hot, 100)).isEqualTo(8);
  }

  @Test
  @DisplayName("scale-down with replicas not yet ready: they are set aside")
  void unreadyAreIgnoredWhenScalingDown() {
    List<ReplicaSample> samples =
        plus(
            ready(50, 50),
            new ReplicaSample("x", false, 500.0),
            new ReplicaSample("y", false, 500.0));
    assertThat(replicas(4, samples, 100)).isEqualTo(1);
  }

  @Test
  @DisplayName("no ready replica with a value: the metric cannot be evaluated")
  void nothingToGoBy() {
    Proposal p =
        ReplicaCalculator.perReplica(
            "m",
            2,
            List.of(new ReplicaSample("x", true, null), new ReplicaSample("y", false, 9.0)),
            1,
            0.1);
    assertThat(p.isValid()).isFalse();
  }

  @Test
  @DisplayName("a value for the whole service against an average per replica (external metric)")
  void serviceTotal() {
    assertThat(ReplicaCalculator.serviceTotal("q", 4, 1000, 100, 0.1).replicas()).isEqualTo(10);
    assertThat(ReplicaCalculator.serviceTotal("q", 4, 420, 100, 0.1).replicas()).isEqualTo(4);
    assertThat(ReplicaCalculator.serviceTotal("q", 4, 100, 100, 0.1).replicas()).isEqualTo(1);
    assertThat(ReplicaCalculator.serviceTotal("q", 4, 0, 100, 0.1).replicas()).isZero();
  }
}
