package io.stackwright.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that stands still until the test moves it, so that time-driven behaviour
 * (healthcheck start periods, lease expiry, autoscaler windows, backoff) is tested without sleeping
 * (Micrometer's {@code MockClock} does the same for meters). Thread-safe; never goes backwards.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
 * clock.advance(Duration.ofSeconds(30));
 * }</pre>
 */
public final class ManualClock extends Clock {
  /** Where {@link #ManualClock()} starts: a fixed instant, so test output is reproducible. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final ZoneId zone;
  private final Object lock;
  private Instant now;

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  public ManualClock(Instant start) {
    this(new Object(), Objects.requireNonNull(start, "start"), ZoneOffset.UTC);
  }

  private ManualClock(Object lock, Instant now, ZoneId zone) {
    this.lock = lock;
    this.now = now;
    this.zone = zone;
  }

  /** A clock at {@code instant} (ISO-8601, {@code 2026-01-01T00:00:00Z}). */
  public static ManualClock at(String instant) {
    return new ManualClock(Instant.parse(instant));
  }

  /** Moves the clock forward by {@code by} and returns the new time. */
  public Instant advance(Duration by) {
    Objects.requireNonNull(by, "by");
    if (by.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back; cannot advance by " + by);
    }
    synchronized (lock) {
      now = now.plus(by);
      return now;
    }
  }

  public Instant advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }

  public Instant advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Moves the clock to {@code instant}, which must not be before the current time. */
  public void setTo(Instant instant) {
    synchronized (lock) {
      if (instant.isBefore(now)) {
        throw new IllegalArgumentException(
            "a clock does not go back; it is " + now + ", cannot set it to " + instant);
      }
      now = instant;
    }
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now;
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's time (advancing one advances both). */
  @Override
  public Clock withZone(ZoneId zone) {
    return new Shared(this, zone);
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }

  private static final class Shared extends Clock {
    private final ManualClock source;
    private final ZoneId zone;

    Shared(ManualClock source, ZoneId zone) {
      this.source = source;
      this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public Instant instant() {
      return source.instant();
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return new Shared(source, other);
    }
  }
}
