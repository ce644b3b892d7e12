package io.stackwright.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A job as the store holds it: the only way anything writes a stack. Jobs of one stack run one at a
 * time in the order of their ids; a store never holds two running jobs of one stack.
 *
 * @param id the store's id, unique and growing in submission order
 * @param stack the stack it writes
 * @param kind what it does
 * @param state where it is
 * @param revision the desired-state revision it applies, 0 when it applies none
 * @param payload the job's input document (written by core), or {@code null}
 * @param idempotencyKey the key that makes a resubmission a no-op (unique per stack), or {@code
 *     null}
 * @param tenant the tenant it acts for, or {@code null}
 * @param principal who submitted it, or {@code null}
 * @param submittedBy the job engine (process) that submitted it and holds its work in memory, or
 *     {@code null}: while that process's heartbeat lease ({@link #heartbeatLease}) is live, only it
 *     claims the job while queued
 * @param attempts how many times it ran: claims given back by {@code release} do not count (the
 *     first run is attempt 1)
 * @param notBefore it is not claimed before this instant (backoff of a retry)
 * @param progress the last progress its runner reported
 * @param planSummary the plan it applied, for people, or {@code null}
 * @param createdResources what it created, in creation order (for clean-up of a failed first
 *     deploy)
 * @param result what it achieved, or {@code null}
 * @param error why it failed or was retried, or {@code null}
 * @param cancelRequested someone asked a running job to stop
 * @param createdAt when it was submitted
 * @param updatedAt when its row last changed
 * @param startedAt when it was first claimed, or {@code null}
 * @param finishedAt when it reached a final state, or {@code null}
 * @param claimedBy who holds (or last held) its claim, or {@code null}
 * @param leaseExpiresAt when the current claim lapses, or {@code null} when not running
 * @param fencingToken the token of its current or last claim, 0 when never claimed
 */
public record Job(
    long id,
    String stack,
    JobKind kind,
    JobState state,
    long revision,
    String payload,
    String idempotencyKey,
    String tenant,
    String principal,
    String submittedBy,
    int attempts,
    Instant notBefore,
    JobProgress progress,
    String planSummary,
    List<String> createdResources,
    String result,
    String error,
    boolean cancelRequested,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    String claimedBy,
    Instant leaseExpiresAt,
    long fencingToken) {
  public Job {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    progress = progress == null ? JobProgress.none() : progress;
    createdResources = createdResources == null ? List.of() : List.copyOf(createdResources);
  }

  /** The prefix of the heartbeat lease of a job engine, followed by its owner name. */
  public static final String HEARTBEAT_PREFIX = "process/";

  /**
   * The name of the lease a job engine called {@code owner} keeps live while it runs: the store
   * lets no one else claim the queued jobs it submitted while this lease is live.
   */
  public static String heartbeatLease(String owner) {
    return HEARTBEAT_PREFIX + Objects.requireNonNull(owner, "owner");
  }

  /** Whether the job is over. */
  public boolean finished() {
    return state.finished();
  }
}
