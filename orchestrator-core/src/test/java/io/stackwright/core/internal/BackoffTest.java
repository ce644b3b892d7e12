package io.stackwright.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BackoffTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-11-24T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final Backoff backoff = new Backoff(clock, Duration.ofSeconds(1), Duration.ofSeconds(10));

  @Test
  void aFirstAttemptMayRunAtOnce() {
    assertThat(backoff.remaining()).isZero();
  }

  @Test
  void eachFailureDoublesTheWaitUpToTheCeiling() {
    assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theWaitRunsOutAsTheClockMoves() {
    backoff.failed();
    backoff.failed();
    assertThat(backoff.remaining()).isEqualTo(Duration.ofSeconds(2));

    clock.advance(Duration.ofMillis(1500));
    assertThat(backoff.remaining()).isEqualTo(Duration.ofMillis(500));

    clock.advance(Duration.ofSeconds(1));
    assertThat(backoff.remaining()).isZero();
  }

  @Test
  void aSuccessResetsTheDelay() {
    backoff.failed();
    backoff.failed();
    backoff.failed();

    backoff.succeeded();

    assertThat(backoff.remaining()).isZero();
    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void rejectsANonsensicalRange() {
    assertThatThrownBy(() -> new Backoff(clock, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(clock, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
