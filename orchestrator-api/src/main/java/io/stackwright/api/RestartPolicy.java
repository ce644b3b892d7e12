package io.stackwright.api;

import java.time.Duration;
import java.util.Objects;

/**
 * When a stopped replica is restarted.
 *
 * @param condition never, on failure, always, or unless stopped
 * @param delay the wait before a restart, or {@code null} for the default
 * @param maxAttempts give up after this many restarts, or {@code null} for never
 * @param window the window in which restarts are counted, or {@code null}
 */
public record RestartPolicy(
    Condition condition, Duration delay, Integer maxAttempts, Duration window) {

  public enum Condition {
    NONE,
    ON_FAILURE,
    ANY,
    /**
     * Like {@link #ANY}, except after an explicit stop (Compose {@code unless-stopped}). Swarm has
     * no such condition and treats it as {@code any}.
     */
    UNLESS_STOPPED
  }

  public RestartPolicy {
    Objects.requireNonNull(condition, "condition");
    if (maxAttempts != null && maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts cannot be negative");
    }
  }

  public static RestartPolicy of(Condition condition) {
    return new RestartPolicy(condition, null, null, null);
  }
}
