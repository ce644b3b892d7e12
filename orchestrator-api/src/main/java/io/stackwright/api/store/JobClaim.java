package io.stackwright.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A running job as its claimant holds it. The claimant writes the job (progress, plan, outcome)
 * only through the store's fenced methods, which refuse once {@link #fencingToken()} is no longer
 * the job's current token or the claim lapsed.
 *
 * @param job the job as it was when claimed or last renewed
 * @param holder the claimant
 * @param fencingToken the claim's token, greater than every token the store gave before
 * @param expiresAt when the claim lapses unless renewed
 */
public record JobClaim(Job job, String holder, long fencingToken, Instant expiresAt)
    implements Fence {
  public JobClaim {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public long jobId() {
    return job.id();
  }

  public String stack() {
    return job.stack();
  }
}
