package io.stackwright.api.spi;

import java.time.Clock;

/**
 * The one durable store of an orchestrator: desired states and their revisions, jobs, leases, and
 * documents (health state, rollout decisions). Every time it records comes from the {@link Clock}
 * it was opened with. Implementations are safe for concurrent use; several host processes may share
 * one store when its implementation says so ({@link #sharedAcrossProcesses()}).
 *
 * <p>The views are cheap accessors of the same store; closing a view does nothing, closing the
 * store closes them all.
 */
public interface Store extends AutoCloseable {

  /** Desired states per stack, with their revisions. */
  DesiredStateStore desiredStates();

  /** The job queue: submission, claims, fenced updates, retention. */
  JobStore jobs();

  /** Named leases with fencing tokens. */
  LeaseStore leases();

  /** Tenants' quotas, the stacks they own and their use. */
  QuotaStore quotas();

  /** Key/value documents by namespace; also the {@link StateStore} health and rollouts use. */
  DocumentStore documents();

  /** The audit history of every stack (not deleted with a stack). */
  AuditStore audit();

  /**
   * Deletes everything {@code stack} owns in the store: its desired states, its queued and finished
   * jobs, its leases and its documents. A running job stays (its claimant is the one removing the
   * stack and still has to record its outcome; retention removes it later). Audit history, when a
   * store keeps one, is not deleted.
   *
   * @return how many rows (records) were deleted
   */
  int deleteStack(String stack);

  /** The clock the store takes every time from. */
  Clock clock();

  /**
   * Whether several host processes may share this store (claims exclude each other across them).
   */
  default boolean sharedAcrossProcesses() {
    return false;
  }

  @Override
  void close();
}
