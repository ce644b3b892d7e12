package io.stackwright.core.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.RecoveryPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProbeLogicTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void counterFlipsAtTheThresholdsOnly() {
    ProbeCounter counter =
        new ProbeCounter(ProbeSpec.tcp(80).failureThreshold(3).successThreshold(2).build(), null);
    assertThat(counter.record(false)).isEqualTo(ProbeCounter.Flip.NONE);
    assertThat(counter.record(false)).isEqualTo(ProbeCounter.Flip.NONE);
    assertThat(counter.record(true)).isEqualTo(ProbeCounter.Flip.NONE); // resets the failures
    assertThat(counter.record(false)).isEqualTo(ProbeCounter.Flip.NONE);
    assertThat(counter.record(false)).isEqualTo(ProbeCounter.Flip.NONE);
    assertThat(counter.record(false)).isEqualTo(ProbeCounter.Flip.FAILED);
    assertThat(counter.record(false)).isEqualTo(ProbeCounter.Flip.NONE); // already failed
    assertThat(counter.record(true)).isEqualTo(ProbeCounter.Flip.NONE);
    assertThat(counter.record(true)).isEqualTo(ProbeCounter.Flip.PASSED);
    assertThat(counter.passing()).isTrue();
  }

  @Test
  void livenessStartsPassingAndReadinessStartsUnknown() {
    ProbeSpec spec = ProbeSpec.tcp(80).failureThreshold(2).build();
    ProbeCounter liveness = new ProbeCounter(spec, true);
    assertThat(liveness.record(true)).isEqualTo(ProbeCounter.Flip.NONE);
    ProbeCounter readiness = new ProbeCounter(spec, null);
    assertThat(readiness.record(true)).isEqualTo(ProbeCounter.Flip.PASSED);
  }

  @Test
  void replacementsBackOffExponentiallyUpToTheCeiling() {
    RecoveryTracker tracker =
        new RecoveryTracker(
            RecoveryPolicy.builder()
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
                .crashLoop(100, Duration.ofHours(1))
                .build());
    // the monitor counts each liveness failure, then asks what to do
    tracker.recordFailure(T0);
    assertThat(tracker.decide(T0))
        .isEqualTo(new RecoveryTracker.Decision.Replace(Duration.ofSeconds(1)));
    assertThat(tracker.decide(T0.plusMillis(500)))
        .isEqualTo(new RecoveryTracker.Decision.Wait(T0.plusSeconds(1)));
    tracker.recordFailure(T0.plusSeconds(1));
    assertThat(tracker.decide(T0.plusSeconds(1)))
        .isEqualTo(new RecoveryTracker.Decision.Replace(Duration.ofSeconds(2)));
    assertThat(tracker.decide(T0.plusSeconds(2))).isInstanceOf(RecoveryTracker.Decision.Wait.class);
    tracker.recordFailure(T0.plusSeconds(3));
    assertThat(tracker.decide(T0.plusSeconds(3)))
        .isEqualTo(new RecoveryTracker.Decision.Replace(Duration.ofSeconds(4)));
    tracker.recordFailure(T0.plusSeconds(7));
    assertThat(tracker.decide(T0.plusSeconds(7)))
        .isEqualTo(new RecoveryTracker.Decision.Replace(Duration.ofSeconds(4)));
    // once the window holds no failure, the backoff starts again from the initial delay
    assertThat(tracker.decide(T0.plusSeconds(7).plus(Duration.ofHours(2))))
        .isEqualTo(new RecoveryTracker.Decision.Replace(Duration.ofSeconds(1)));
  }

  @Test
  void aCrashLoopStartsOnceAtTheLimitStopsReplacingAndEndsWhenFailuresAgeOut() {
    RecoveryTracker tracker =
        new RecoveryTracker(
            RecoveryPolicy.builder()
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .crashLoop(3, Duration.ofMinutes(1))
                .build());
    assertThat(tracker.recordFailure(T0)).isFalse();
    assertThat(tracker.recordFailure(T0.plusSeconds(10))).isFalse();
    assertThat(tracker.recordFailure(T0.plusSeconds(20))).isTrue();
    assertThat(tracker.recordFailure(T0.plusSeconds(21))).isFalse(); // already looping
    assertThat(tracker.decide(T0.plusSeconds(30)))
        .isInstanceOf(RecoveryTracker.Decision.CrashLoop.class);
    assertThat(tracker.inCrashLoop()).isTrue();
    // at T0+71s the failures at T0 and T0+10s are out of the window: 2 left, below the limit
    assertThat(tracker.decide(T0.plusSeconds(71)))
        .isInstanceOf(RecoveryTracker.Decision.Replace.class);
    assertThat(tracker.inCrashLoop()).isFalse();
  }
}
