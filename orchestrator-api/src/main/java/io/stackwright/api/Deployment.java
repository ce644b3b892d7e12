package io.stackwright.api;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A deployment in progress: its plan, its events as they happen, and its result. */
public interface Deployment {

  String stack();

  /** The id of the job that runs this deployment, where a job queue runs it. */
  default Optional<String> jobId() {
    return Optional.empty();
  }

  /** The plan being applied. */
  Plan plan();

  /**
   * Calls {@code listener} with every event of this deployment: first those already emitted, then
   * each new one as it happens.
   */
  void onEvent(EventListener listener);

  /**
   * Like {@link #onEvent}, but stoppable: {@code listener} gets this deployment's events (those
   * emitted so far, then each new one) until the returned subscription is closed.
   */
  default Subscription subscribe(EventListener listener) {
    java.util.concurrent.atomic.AtomicBoolean open =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    onEvent(
        event -> {
          if (open.get()) {
            listener.onEvent(event);
          }
        });
    return () -> open.set(false);
  }

  /** The events emitted so far. */
  List<OrchestratorEvent> events();

  /** Completes with the result; never completes exceptionally for a failed deployment. */
  CompletableFuture<DeploymentResult> result();

  /**
   * Waits for the result.
   *
   * @throws OrchestratorException when {@code timeout} passes first (the deployment goes on)
   */
  DeploymentResult await(Duration timeout);
}
