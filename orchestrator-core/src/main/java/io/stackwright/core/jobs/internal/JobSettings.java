package io.stackwright.core.jobs.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How the job engine runs.
 *
 * @param maxConcurrentStacks how many stacks have a job running at once in this process
 * @param retries when failed attempts are tried again
 * @param leaseTtl how long a claim lasts unless renewed: how soon another process resumes the jobs
 *     of one that died
 * @param retention how long finished jobs are kept
 * @param tick how often the engine looks for due retries, lapsed leases and old jobs
 */
public record JobSettings(
    int maxConcurrentStacks,
    Retries retries,
    Duration leaseTtl,
    Duration retention,
    Duration tick) {
  public static final JobSettings DEFAULT =
      new JobSettings(
          10, Retries.DEFAULT, Duration.ofSeconds(15), Duration.ofDays(7), Duration.ofSeconds(1));

  public JobSettings {
    Objects.requireNonNull(retries, "retries");
    if (maxConcurrentStacks < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentStacks must be at least 1, was " + maxConcurrentStacks);
    }
    for (Duration d : new Duration[] {leaseTtl, retention, tick}) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive, got " + d);
      }
    }
  }

  public JobSettings withMaxConcurrentStacks(int max) {
    return new JobSettings(max, retries, leaseTtl, retention, tick);
  }

  public JobSettings withRetries(Retries r) {
    return new JobSettings(maxConcurrentStacks, r, leaseTtl, retention, tick);
  }

  public JobSettings withLeaseTtl(Duration ttl) {
    return new JobSettings(maxConcurrentStacks, retries, ttl, retention, tick);
  }

  public JobSettings withRetention(Duration keep) {
    return new JobSettings(maxConcurrentStacks, retries, leaseTtl, keep, tick);
  }

  public JobSettings withTick(Duration t) {
    return new JobSettings(maxConcurrentStacks, retries, leaseTtl, retention, t);
  }
}
