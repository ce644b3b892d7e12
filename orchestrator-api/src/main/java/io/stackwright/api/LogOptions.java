package io.stackwright.api;

import java.time.Instant;
import java.util.Optional;

/**
 * Which log lines of a stack to read.
 *
 * @param follow keep delivering new lines until the subscription is closed
 * @param since only lines written at or after this instant, or {@code null} for all
 * @param tail only the last this many lines of each replica, or {@code -1} for all
 */
public record LogOptions(boolean follow, Instant since, int tail) {

  public LogOptions {
    if (tail < -1) {
      throw new IllegalArgumentException("tail must be -1 (all) or at least 0, not " + tail);
    }
  }

  /** Every line written so far, without following. */
  public static LogOptions all() {
    return new LogOptions(false, null, -1);
  }

  public Optional<Instant> sinceInstant() {
    return Optional.ofNullable(since);
  }
}
