package io.stackwright.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    List<SpecProblem> problems = new ArrayList<>();
    if (maxAttempts != null && maxAttempts < 0) {
      problems.add(
          SpecProblem.at(
              "max_attempts", "cannot be negative (" + maxAttempts + "); allowed: 0 or more"));
    }
    String delayProblem = SpecChecks.nonNegative(delay);
    if (delayProblem != null) {
      problems.add(SpecProblem.at("delay", delayProblem));
    }
    String windowProblem = SpecChecks.nonNegative(window);
    if (windowProblem != null) {
      problems.add(SpecProblem.at("window", windowProblem));
    }
    SpecChecks.throwIfAny(problems);
  }

  public static RestartPolicy of(Condition condition) {
    return new RestartPolicy(condition, null, null, null);
  }
}
