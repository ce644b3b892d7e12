package io.stackwright.api.spi;

import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobClaim;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobProgress;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.LeaseLostException;
import io.stackwright.api.store.NewJob;
import io.stackwright.api.store.Submission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The job queue. Its guarantees:
 *
 * <ul>
 *   <li>A job is claimed by one claimant at a time: a claim gives a fencing token greater than any
 *       token given before, and every write of a claimant is refused ({@link LeaseLostException})
 *       once its token is not the job's current one or its claim lapsed.
 *   <li>At most one job of a stack runs at a time, and the jobs of a stack are claimed in the order
 *       of their ids: the oldest live (queued or running) job of a stack is the only claimable one.
 *   <li>A queued job is not claimed before its {@code notBefore}; a running job whose claim lapsed
 *       is claimable again (a takeover: a new token, one more attempt).
 *   <li>An idempotency key is unique per stack: resubmitting it returns the first job and changes
 *       nothing.
 * </ul>
 */
public interface JobStore {

  /** Queues {@code job} (and accepts its desired spec, if it has one) in one transaction. */
  Submission submit(NewJob job);

  /**
   * Records a job that was carried out beside the stack's queue, already finished in {@code
   * outcome}: a promote or abort, which the stack's running rollout carries out (the queue runs one
   * job of a stack at a time, and the rollout is that job). It is never claimed, holds no lease and
   * does not hold up the stack's queued jobs; it is listed, kept and purged as any other.
   *
   * @throws IllegalArgumentException when {@code outcome} is not final, or {@code job} carries a
   *     desired spec, a quota claim, an idempotency key or a not-before time (all of which are for
   *     queued jobs)
   */
  Job record(NewJob job, JobState outcome, String result, String error);

  Optional<Job> get(long id);

  /** The job of {@code stack} submitted with {@code idempotencyKey}. */
  Optional<Job> byIdempotencyKey(String stack, String idempotencyKey);

  /** The jobs {@code query} selects, newest first. */
  List<Job> list(JobQuery query);

  /**
   * Claims up to {@code limit} claimable jobs, at most one per stack, oldest first, for {@code
   * holder}, each held for {@code leaseTtl}. Concurrent callers (in this process or, for a shared
   * store, in others) never get the same job.
   */
  List<JobClaim> claim(String holder, Duration leaseTtl, int limit);

  /** Claims the oldest claimable job, if any. */
  default Optional<JobClaim> claimNext(String holder, Duration leaseTtl) {
    return claim(holder, leaseTtl, 1).stream().findFirst();
  }

  /**
   * Extends {@code claim} to {@code leaseTtl} from now; refused once it lapsed or was taken over.
   */
  JobClaim renew(JobClaim claim, Duration leaseTtl);

  /** Whether {@code claim} is still the job's current, unexpired claim. */
  boolean isCurrent(JobClaim claim);

  /** Records the job's progress (fenced). */
  void progress(JobClaim claim, JobProgress progress);

  /** Records the plan the job applies (fenced). */
  void recordPlan(JobClaim claim, String planSummary);

  /** Appends what the job created to its created-resources list (fenced). */
  void recordCreated(JobClaim claim, List<String> resources);

  /**
   * Ends the job in {@code outcome} (a final state) with its result or error (fenced).
   *
   * @param result what it achieved, or {@code null}
   * @param error why it failed, or {@code null}
   * @return the finished job
   */
  Job finish(JobClaim claim, JobState outcome, String result, String error);

  /**
   * Puts the job back in the queue, not to be claimed before {@code notBefore} (fenced): a
   * retryable failure, retried with backoff. The job keeps its place: later jobs of its stack wait.
   */
  Job retryLater(JobClaim claim, Instant notBefore, String error);

  /**
   * Gives the claim up and puts the job back in the queue at once, for a claimant that stops
   * (shutdown) without having failed. Nothing happens when the claim is no longer current.
   */
  void release(JobClaim claim);

  /**
   * Cancels a job: a queued job becomes {@link JobState#CANCELLED}; a running job is marked {@link
   * Job#cancelRequested()} for its claimant to stop. A finished job stays as it is.
   *
   * @return whether anything changed
   */
  boolean cancel(long id, String reason);

  /**
   * Supersession: cancels the queued jobs of {@code kind} of {@code stack} older than job {@code
   * newerJobId}, giving {@code reason} as their error.
   *
   * @return the ids of the cancelled jobs
   */
  List<Long> cancelQueuedOlderThan(String stack, JobKind kind, long newerJobId, String reason);

  /**
   * Retention: deletes the finished jobs that finished more than {@code retention} ago, and the
   * heartbeat leases ({@link io.stackwright.api.store.Job#heartbeatLease}) of processes whose
   * heartbeat lapsed more than {@code retention} ago (every process has a heartbeat of its own, so
   * they would otherwise pile up, one per process run).
   *
   * @return how many jobs were deleted
   */
  int purgeFinished(Duration retention);
}
