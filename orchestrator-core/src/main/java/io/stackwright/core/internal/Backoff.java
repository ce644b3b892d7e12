package io.stackwright.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Exponential backoff between repair attempts: each failure doubles the wait up to a ceiling, and a
 * success resets it. Time comes from the injected clock, so tests drive it.
 */
public final class Backoff {
  private final Clock clock;
  private final Duration initial;
  private final Duration max;
  private Duration current;
  private Instant notBefore;

  public Backoff(Clock clock, Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
    this.clock = clock;
    this.initial = initial;
    this.max = max;
    this.current = initial;
    this.notBefore = Instant.MIN;
  }

  /** How long to wait before the next attempt may run (zero when it may run now). */
  public synchronized Duration remaining() {
    Duration left = Duration.between(clock.instant(), notBefore);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** An attempt failed: the next one waits the current delay, and the delay doubles. */
  public synchronized Duration failed() {
    Duration wait = current;
    notBefore = clock.instant().plus(wait);
    Duration doubled = current.multipliedBy(2);
    current = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }

  /** An attempt succeeded: the next failure starts from the initial delay again. */
  public synchronized void succeeded() {
    current = initial;
    notBefore = Instant.MIN;
  }

  /** The delay the next failure will impose. */
  public synchronized Duration nextDelay() {
    return current;
  }
}
