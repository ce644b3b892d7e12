package io.stackwright.api.store;

import java.util.Objects;

/**
 * What a submission did.
 *
 * @param job the job queued, or the earlier job with the same idempotency key
 * @param created whether this submission queued it ({@code false}: a resubmission, nothing changed)
 */
public record Submission(Job job, boolean created) {
  public Submission {
    Objects.requireNonNull(job, "job");
  }
}
