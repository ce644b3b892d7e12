package io.stackwright.api.health;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens when a replica fails its liveness (or startup) probe: it is replaced, with an
 * exponential backoff between two replacements of the same service's replicas, and when {@code
 * maxReplacements} replacements (or crashes seen on the platform) happen within {@code window}, the
 * service is in a crash loop: Stackwright stops replacing, raises a {@code CRASH_LOOP} event and an
 * alert, and resumes once the window holds fewer failures again. A crash loop is reported, not
 * hidden behind endless restarts.
 *
 * @param replace whether a failed replica is replaced at all (false: events and alerts only)
 * @param initialBackoff wait after the first replacement before the next one may run
 * @param maxBackoff the ceiling of the doubling wait
 * @param maxReplacements failures within {@code window} that make a crash loop
 * @param window the sliding window failures are counted in
 */
public record RecoveryPolicy(
    boolean replace,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxReplacements,
    Duration window) {

  /** Replace, backoff 1 s doubling to 5 min, crash loop at 5 failures in 10 min. */
  public static final RecoveryPolicy DEFAULT =
      new RecoveryPolicy(
          true, Duration.ofSeconds(1), Duration.ofMinutes(5), 5, Duration.ofMinutes(10));

  public RecoveryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(window, "window");
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive, was " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max backoff " + maxBackoff + " is below the initial backoff " + initialBackoff);
    }
    if (maxReplacements < 1) {
      throw new IllegalArgumentException(
          "max replacements must be 1 or more, was " + maxReplacements);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RecoveryPolicy}, starting from {@link #DEFAULT}. */
  public static final class Builder {
    private boolean replace = DEFAULT.replace;
    private Duration initialBackoff = DEFAULT.initialBackoff;
    private Duration maxBackoff = DEFAULT.maxBackoff;
    private int maxReplacements = DEFAULT.maxReplacements;
    private Duration window = DEFAULT.window;

    private Builder() {}

    public Builder replace(boolean replace) {
      this.replace = replace;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** A crash loop is {@code maxReplacements} failures within {@code window}. */
    public Builder crashLoop(int maxReplacements, Duration window) {
      this.maxReplacements = maxReplacements;
      this.window = window;
      return this;
    }

    public RecoveryPolicy build() {
      return new RecoveryPolicy(replace, initialBackoff, maxBackoff, maxReplacements, window);
    }
  }
}
