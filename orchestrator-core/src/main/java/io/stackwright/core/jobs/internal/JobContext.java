package io.stackwright.core.jobs.internal;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.store.Job;
import java.util.function.Predicate;

/** What a running job sees of the engine. */
public interface JobContext {

  /** The job as it was claimed for this attempt. */
  Job job();

  /** Reports progress: persisted (fenced by the claim) and streamed as a JOB_PROGRESS event. */
  void progress(int step, int total, String message);

  /** Records the plan the job applies, for people (persisted with the job). */
  void plan(String summary);

  /** Records a resource the job created (persisted with the job). */
  void created(String resource);

  /** Receives the job's own events (the deployment's, for a deploy job). */
  EventListener events();

  /**
   * Whether this process still holds the job's lease. A job that lost it must not write; {@link
   * #checkLease()} throws instead of returning false.
   */
  boolean holdsLease();

  /**
   * @throws LeaseLostException when this process no longer holds the job's lease
   */
  void checkLease();

  /** Whether the job was asked to stop (cancel or remove). */
  boolean cancelRequested();

  /**
   * Calls {@code handler} with each signal sent to the running job ({@code cancel}, {@code
   * promote}, {@code abort}), from the thread that receives it; it returns whether it handled the
   * signal. A cancel no handler took interrupts the job's thread.
   */
  void onSignal(Predicate<String> handler);
}
