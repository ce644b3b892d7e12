package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.scaling.ResourceMetric;
import io.stackwright.api.scaling.ScalingBehavior;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.scaling.ScalingRate;
import io.stackwright.api.scaling.ThresholdRule;
import io.stackwright.core.scaling.internal.Proposal;
import io.stackwright.core.scaling.internal.ReplicaSample;
import io.stackwright.core.scaling.internal.ScalingDecider;
import io.stackwright.core.scaling.internal.ScalingDecision;
import io.stackwright.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScalingDeciderTest {
  private final ManualClock clock = new ManualClock();
  private final ScalingDecider decider = new ScalingDecider(clock);

  private static Proposal wants(int replicas) {
    return new Proposal("cpu", replicas, 50, "test");
  }

  /** Decides, and acts as the autoscaler does when the decision changes the replicas. */
  private int step(ScalingPolicy policy, int current, int proposed) {
    ScalingDecision d = decider.decide(policy, current, List.of(wants(proposed)));
    if (d.changes()) {
      decider.scaled(current, d.desired());
    }
    return d.desired();
  }

  private static ScalingPolicy.Builder policy(int min, int max) {
    return ScalingPolicy.builder(min, max).cpu(70);
  }

  @Nested
  @DisplayName("several metrics, bounds and pauses")
  class Proposals {
    @Test
    @DisplayName("the largest proposal wins")
    void largestWins() {
      ScalingDecision d =
          decider.decide(policy(1, 10).build(), 3, List.of(wants(2), wants(7), wants(5)));
      assertThat(d.desired()).isEqualTo(7);
      assertThat(d.recommended()).isEqualTo(7);
    }

    @Test
    @DisplayName("a metric that cannot be evaluated blocks a scale-down, not a scale-up")
    void failedMetric() {
      ScalingPolicy p =
          policy(1, 10).scaleDown(ScalingBehavior.DEFAULT_DOWN.withWindow(Duration.ZERO)).build();
      ScalingDecision down =
          decider.decide(p, 4, List.of(wants(2), Proposal.failed("mem", "no values")));
      assertThat(down.desired()).isEqualTo(4);
      assertThat(down.reason()).contains("no scale-down");
      ScalingDecision up = decider.decide(p, 4, List.of(wants(6), Proposal.failed("mem", "x")));
      assertThat(up.desired()).isEqualTo(6);
      ScalingDecision none = decider.decide(p, 4, List.of(Proposal.failed("mem", "x")));
      assertThat(none.changes()).isFalse();
    }

    @Test
    @DisplayName("min and max hold; replicas outside them are brought back first")
    void bounds() {
      ScalingPolicy p =
          policy(2, 5).scaleDown(ScalingBehavior.DEFAULT_DOWN.withWindow(Duration.ZERO)).build();
      assertThat(decider.decide(p, 4, List.of(wants(9))).desired()).isEqualTo(5);
      assertThat(decider.decide(p, 4, List.of(wants(1))).desired()).isEqualTo(2);
      assertThat(decider.decide(p, 8, List.of(wants(8))).desired()).isEqualTo(5);
      assertThat(decider.decide(p, 1, List.of(wants(1))).desired()).isEqualTo(2);
    }

    @Test
    @DisplayName("a service scaled to 0 by hand is left alone (autoscaling paused)")
    void zeroPauses() {
      ScalingDecision d = decider.decide(policy(2, 5).build(), 0, List.of(wants(4)));
      assertThat(d.desired()).isZero();
      assertThat(d.reason()).contains("paused");
    }
  }

  @Nested
  @DisplayName("stabilization windows")
  class Stabilization {
    @Test
    @DisplayName("scale-down goes to the highest recommendation of the last 300 s")
    void downWindow() {
      ScalingPolicy p = policy(1, 10).build();
      assertThat(step(p, 5, 5)).isEqualTo(5);
      clock.advanceSeconds(60);
      assertThat(step(p, 5, 4)).isEqualTo(5);
      clock.advanceSeconds(60);
      assertThat(step(p, 5, 2)).isEqualTo(5);
      clock.advanceSeconds(181); // the 5s of t=0 left the window; 4 (t=60) is the highest now
      assertThat(step(p, 5, 2)).isEqualTo(4);
      clock.advanceSeconds(60); // t=361: 4 has left it too
      assertThat(step(p, 4, 2)).isEqualTo(2);
    }

    @Test
    @DisplayName("a fluctuating metric does not flap: the window holds the replicas")
    void noFlapping() {
      ScalingPolicy p = policy(1, 10).build();
      int replicas = 4;
      for (int i = 0; i < 40; i++) {
        replicas = step(p, replicas, i % 2 == 0 ? 4 : 3);
        assertThat(replicas).isEqualTo(4);
        clock.advanceSeconds(15);
      }
    }

    @Test
    @DisplayName("scale-up with a window goes only to the lowest recommendation in it")
    void upWindow() {
      ScalingPolicy p =
          policy(1, 10)
              .scaleUp(ScalingBehavior.DEFAULT_UP.withWindow(Duration.ofSeconds(60)))
              .build();
      assertThat(step(p, 2, 2)).isEqualTo(2);
      clock.advanceSeconds(30);
      assertThat(step(p, 2, 6)).isEqualTo(2);
      clock.advanceSeconds(31);
      assertThat(step(p, 2, 6)).isEqualTo(6);
    }

    @Test
    @DisplayName("without a window (the default for scale-up) the change is immediate")
    void noUpWindow() {
      assertThat(step(policy(1, 10).build(), 2, 4)).isEqualTo(4);
    }
  }

  @Nested
  @DisplayName("rate policies")
  class Rates {
    @Test
    @DisplayName("documentation example: 80 -> 10 with 4 pods or 10% per minute removes 8, then 8")
    void percentOrPodsPerMinute() {
      ScalingBehavior down =
          new ScalingBehavior(
              Duration.ZERO,
              List.of(
                  ScalingRate.pods(4, Duration.ofSeconds(60)),
                  ScalingRate.percent(10, Duration.ofSeconds(60))),
              ScalingBehavior.Select.MAX);
      ScalingPolicy p = policy(1, 100).scaleDown(down).build();
      assertThat(step(p, 80, 10)).isEqualTo(72);
      clock.advanceSeconds(15);
      assertThat(step(p, 72, 10)).isEqualTo(72);
      clock.advanceSeconds(46);
      assertThat(step(p, 72, 10)).isEqualTo(64); // 72 * 0.9 = 64.8 -> 64: 8 removed
      clock.advanceSeconds(61);
      assertThat(step(p, 64, 10)).isEqualTo(57); // 57.6 -> 57
    }

    @Test
    @DisplayName("default scale-up: double or add 4 per 15 s, whichever is more")
    void defaultUp() {
      ScalingPolicy p = policy(1, 20).build();
      assertThat(step(p, 1, 10)).isEqualTo(5);
      clock.advanceSeconds(10);
      assertThat(step(p, 5, 10)).isEqualTo(5);
      clock.advanceSeconds(6);
      assertThat(step(p, 5, 20)).isEqualTo(10);
    }

    @Test
    @DisplayName("select MIN picks the smallest allowed change")
    void selectMin() {
      ScalingBehavior up =
          new ScalingBehavior(
              Duration.ZERO,
              List.of(
                  ScalingRate.percent(100, Duration.ofSeconds(15)),
                  ScalingRate.pods(1, Duration.ofSeconds(15))),
              ScalingBehavior.Select.MIN);
      assertThat(step(policy(1, 20).scaleUp(up).build(), 4, 10)).isEqualTo(5);
    }

    @Test
    @DisplayName("select DISABLED never scales in that direction")
    void disabled() {
      ScalingPolicy p = policy(1, 20).scaleDown(ScalingBehavior.disabled()).build();
      assertThat(step(p, 6, 1)).isEqualTo(6);
      assertThat(step(p, 6, 8)).isEqualTo(8);
    }

    @Test
    @DisplayName("default scale-down removes everything at once after the window")
    void defaultDown() {
      ScalingPolicy p =
          policy(2, 20).scaleDown(ScalingBehavior.DEFAULT_DOWN.withWindow(Duration.ZERO)).build();
      assertThat(step(p, 10, 1)).isEqualTo(2);
    }
  }

  @Nested
  @DisplayName("threshold rules on the same machinery")
  class Thresholds {
    private final ThresholdRule rule =
        new ThresholdRule(ResourceMetric.cpu(), 70, 30, 1, Duration.ofSeconds(60));
    private final ScalingPolicy p =
        ScalingPolicy.builder(2, 4)
            .rule(rule)
            .scaleDown(ScalingBehavior.DEFAULT_DOWN.withWindow(Duration.ZERO))
            .build();

    private List<ReplicaSample> at(double value, int replicas) {
      return java.util.stream.IntStream.range(0, replicas)
          .mapToObj(i -> new ReplicaSample("r" + i, true, value))
          .toList();
    }

    private int tick(int current, double value) {
      ScalingDecision d =
          decider.decide(p, current, List.of(decider.threshold(rule, current, at(value, current))));
      if (d.changes()) {
        decider.scaled(current, d.desired());
      }
      return d.desired();
    }

    @Test
    @DisplayName("above X adds a step, then waits for the cooldown; max holds")
    void up() {
      assertThat(tick(2, 90)).isEqualTo(3);
      clock.advanceSeconds(30);
      assertThat(tick(3, 90)).isEqualTo(3);
      clock.advanceSeconds(31);
      assertThat(tick(3, 90)).isEqualTo(4);
      clock.advanceSeconds(61);
      assertThat(tick(4, 90)).isEqualTo(4);
    }

    @Test
    @DisplayName("below Y removes a step, between thresholds nothing changes; min holds")
    void down() {
      assertThat(tick(4, 50)).isEqualTo(4);
      assertThat(tick(4, 10)).isEqualTo(3);
      clock.advanceSeconds(61);
      assertThat(tick(3, 10)).isEqualTo(2);
      clock.advanceSeconds(61);
      assertThat(tick(2, 10)).isEqualTo(2);
    }

    @Test
    @DisplayName("a replica without a value blocks a step down")
    void missingBlocksDown() {
      List<ReplicaSample> samples = new java.util.ArrayList<>(at(10, 3));
      samples.add(new ReplicaSample("x", true, null));
      assertThat(decider.threshold(rule, 4, samples).replicas()).isEqualTo(4);
    }
  }
}
