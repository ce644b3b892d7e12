package io.stackwright.core.jobs.internal;

import io.stackwright.api.store.JobState;
import java.util.Objects;

/** How one attempt of a job ended, when it did not throw. */
public record JobOutcome(JobState state, String message, Object result) {
  public JobOutcome {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
    if (!state.finished()) {
      throw new IllegalArgumentException("an outcome is a finished state, not " + state);
    }
  }

  public static JobOutcome succeeded(String message) {
    return new JobOutcome(JobState.SUCCEEDED, message, null);
  }

  public static JobOutcome succeeded(String message, Object result) {
    return new JobOutcome(JobState.SUCCEEDED, message, result);
  }

  public static JobOutcome failed(String message, Object result) {
    return new JobOutcome(JobState.FAILED, message, result);
  }
}
