package io.stackwright.api.store;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which jobs to list, newest first.
 *
 * @param stack only jobs of this stack, or {@code null} for every stack
 * @param states only jobs in these states (empty: every state)
 * @param limit at most this many
 */
public record JobQuery(String stack, Set<JobState> states, int limit) {
  public JobQuery {
    states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit + ": must be >= 1");
    }
  }

  /** The newest {@code limit} jobs of every stack. */
  public static JobQuery all(int limit) {
    return new JobQuery(null, Set.of(), limit);
  }

  /** The newest {@code limit} jobs of {@code stack}. */
  public static JobQuery ofStack(String stack, int limit) {
    return new JobQuery(stack, Set.of(), limit);
  }

  /** This query, narrowed to the given states. */
  public JobQuery inStates(JobState first, JobState... more) {
    return new JobQuery(stack, EnumSet.of(first, more), limit);
  }
}
