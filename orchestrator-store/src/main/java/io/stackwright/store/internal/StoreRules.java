package io.stackwright.store.internal;

import io.stackwright.api.store.Fence;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobClaim;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.LeaseGrant;
import io.stackwright.api.store.LeaseLostException;
import io.stackwright.api.store.NewJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The rules every store implementation here shares, so that they cannot drift apart. */
public final class StoreRules {
  private StoreRules() {}

  /**
   * The store's time: the clock's instant to the millisecond, the precision every implementation
   * keeps, so that a value read back equals the value written.
   */
  public static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** {@code instant} to the millisecond, or {@code null}. */
  public static Instant millis(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The stack that owns a document key: the key itself, or the part before its first '/'. */
  public static String ownerOf(String key) {
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  /**
   * Whether {@code claim} is still the current claim of {@code job}: the job runs, under the
   * claim's token, and the claim has not lapsed. A holder whose claim lapsed must not write even
   * when nobody took the job over yet: someone may be about to.
   */
  static boolean claimCurrent(Job job, JobClaim claim, Instant now) {
    return job.state() == JobState.RUNNING
        && job.fencingToken() == claim.fencingToken()
        && claim.holder().equals(job.claimedBy())
        && job.leaseExpiresAt() != null
        && job.leaseExpiresAt().isAfter(now);
  }

  static LeaseLostException lost(JobClaim claim, String what, Job job) {
    String now =
        job == null
            ? "the job no longer exists"
            : job.state() != JobState.RUNNING
                ? "the job is " + job.state().id()
                : job.fencingToken() != claim.fencingToken()
                    ? "it was taken over with token " + job.fencingToken()
                    : "the claim lapsed at " + job.leaseExpiresAt();
    return new LeaseLostException(
        "refused to "
            + what
            + " job "
            + claim.jobId()
            + " of stack "
            + claim.stack()
            + " for "
            + claim.holder()
            + " with fencing token "
            + claim.fencingToken()
            + ": "
            + now
            + "; the holder must stop acting on this job");
  }

  static LeaseLostException lost(LeaseGrant grant, String what) {
    return new LeaseLostException(
        "refused to "
            + what
            + " lease "
            + grant.name()
            + " for "
            + grant.holder()
            + " with fencing token "
            + grant.fencingToken()
            + ": it lapsed or was taken over; the holder must stop acting on it");
  }

  static LeaseLostException lostDocument(Fence fence, String namespace, String key) {
    return new LeaseLostException(
        "refused to write document "
            + namespace
            + "/"
            + key
            + " for "
            + fence.holder()
            + " with fencing token "
            + fence.fencingToken()
            + ": the fence lapsed or was taken over; nothing was written");
  }

  static void requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " " + value + ": must be >= 1");
    }
  }

  static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " " + value + ": must be positive");
    }
  }

  /** What {@code JobStore.record} refuses: a final outcome, and none of a queued job's parts. */
  static void requireRecordable(NewJob job, JobState outcome) {
    requireFinal(outcome);
    List<String> problems = new ArrayList<>();
    if (job.desiredSpec() != null) {
      problems.add("a desired spec");
    }
    if (job.quota() != null) {
      problems.add("a quota claim");
    }
    if (job.idempotencyKey() != null) {
      problems.add("an idempotency key");
    }
    if (job.notBefore() != null) {
      problems.add("a not-before time");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "a recorded "
              + job.kind().id()
              + " job of "
              + job.stack()
              + " is never queued, so it cannot carry "
              + String.join(", ", problems));
    }
  }

  static void requireFinal(JobState outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (!outcome.finished()) {
      throw new IllegalArgumentException(
          "outcome "
              + outcome.id()
              + ": a job finishes succeeded, failed, rolled_back or cancelled");
    }
  }

  static void requireStack(String stack) {
    if (stack == null || stack.isBlank()) {
      throw new IllegalArgumentException("stack: missing");
    }
  }

  static void requireDocumentKey(String namespace, String key) {
    if (namespace == null || namespace.isBlank() || key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "document namespace '" + namespace + "' and key '" + key + "': both must be non-blank");
    }
  }
}
