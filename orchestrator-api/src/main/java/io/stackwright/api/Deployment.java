package io.stackwright.api;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A deployment in progress: its plan, its events as they happen, and its result. */
public interface Deployment {

  String stack();

  /** The plan being applied. */
  Plan plan();

  /**
   * Calls {@code listener} with every event of this deployment: first those already emitted, then
   * each new one as it happens.
   */
  void onEvent(EventListener listener);

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
