package io.stackwright.api.store;

import java.util.Objects;

/**
 * How far a running job is: step {@code step} of {@code total}, and what it does now.
 *
 * @param step the current step, from 0 (nothing done yet) to {@code total}
 * @param total the number of steps, 0 when unknown
 * @param message what the job does now, for people
 */
public record JobProgress(int step, int total, String message) {
  private static final JobProgress NONE = new JobProgress(0, 0, "");

  public JobProgress {
    Objects.requireNonNull(message, "message");
    if (step < 0 || total < 0 || (total > 0 && step > total)) {
      throw new IllegalArgumentException(
          "progress step " + step + " of " + total + ": need 0 <= step <= total");
    }
  }

  /** No progress reported yet. */
  public static JobProgress none() {
    return NONE;
  }
}
