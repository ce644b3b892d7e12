package io.stackwright.core.jobs;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.store.Job;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A submitted job: its id, its current record in the store, its events and its end. */
public interface JobHandle {

  /** The store's id of the job. */
  long id();

  /**
   * The job as the store holds it now.
   *
   * @throws io.stackwright.api.NotFoundException when retention removed it
   */
  Job job();

  /** Completes with the finished job (succeeded, failed, rolled back or cancelled). */
  CompletableFuture<Job> finished();

  /**
   * Waits until the job finished.
   *
   * @throws io.stackwright.api.OrchestratorException when {@code timeout} passes first (the job
   *     goes on)
   */
  Job await(Duration timeout);

  /** Calls {@code listener} with the job's events (progress included): past ones first. */
  void onEvent(EventListener listener);

  /**
   * Cancels the job: a queued one does not run; a running one is asked to stop (a rollout rolls
   * back). Does nothing once it finished.
   */
  void cancel();
}
