package io.stackwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  @Test
  void standsStillUntilMoved() {
    ManualClock clock = ManualClock.at("2026-05-01T12:00:00Z");
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-05-01T12:00:00Z"));
    assertThat(clock.instant()).isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(2));
    clock.advanceSeconds(3);
    clock.advanceMillis(4);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-05-01T12:02:03.004Z"));
    assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli());
  }

  @Test
  void neverGoesBack() {
    ManualClock clock = new ManualClock();
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> clock.setTo(ManualClock.DEFAULT_START.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    clock.setTo(ManualClock.DEFAULT_START.plusSeconds(60));
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(60));
  }

  @Test
  void aZonedViewSharesTheTime() {
    ManualClock clock = new ManualClock();
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advanceSeconds(10);
    assertThat(paris.instant()).isEqualTo(clock.instant());
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }
}
