package io.stackwright.core.drift.internal;

import java.time.Duration;

/**
 * The wait before repairing a drift that came back (or whose repair failed) for the {@code n}-th
 * time: 2 s, tripling, capped at 5 minutes; and when to stop repairing altogether.
 */
public record RepairBackoff(Duration initial, int factor, Duration max, int stopAfter) {

  /** 2 s, 6 s, 18 s, ... up to 5 min; the third return (or failure) stops the repairs. */
  public static final RepairBackoff DEFAULT =
      new RepairBackoff(Duration.ofSeconds(2), 3, Duration.ofMinutes(5), 3);

  public RepairBackoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || factor < 1) {
      throw new IllegalArgumentException("need 0 < initial <= max and factor >= 1");
    }
    if (stopAfter < 1) {
      throw new IllegalArgumentException("stopAfter must be at least 1, was " + stopAfter);
    }
  }

  /** The wait after {@code setbacks} returns or failures in a row (none: no wait). */
  public Duration delay(int setbacks) {
    if (setbacks <= 0) {
      return Duration.ZERO;
    }
    Duration d = initial;
    for (int i = 1; i < setbacks; i++) {
      d = d.multipliedBy(factor);
      if (d.compareTo(max) >= 0) {
        return max;
      }
    }
    return d;
  }

  /** Whether {@code setbacks} in a row mean: stop and alert. */
  public boolean stops(int setbacks) {
    return setbacks >= stopAfter;
  }
}
