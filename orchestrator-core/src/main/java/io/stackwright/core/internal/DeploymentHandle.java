package io.stackwright.core.internal;

import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@link Deployment} a host application holds while core applies and watches a plan. */
public final class DeploymentHandle implements Deployment {
  private final String stack;
  private final Plan plan;
  private final EventLog events;
  private final CompletableFuture<DeploymentResult> result = new CompletableFuture<>();
  private volatile String jobId;

  public DeploymentHandle(String stack, Plan plan, EventLog events) {
    this.stack = stack;
    this.plan = plan;
    this.events = events;
  }

  @Override
  public String stack() {
    return stack;
  }

  @Override
  public java.util.Optional<String> jobId() {
    return java.util.Optional.ofNullable(jobId);
  }

  public void jobId(String id) {
    this.jobId = id;
  }

  public EventLog log() {
    return events;
  }

  @Override
  public Plan plan() {
    return plan;
  }

  @Override
  public void onEvent(EventListener listener) {
    events.subscribe(listener);
  }

  @Override
  public io.stackwright.api.spi.Subscription subscribe(EventListener listener) {
    return events.subscribe(listener);
  }

  @Override
  public List<OrchestratorEvent> events() {
    return events.snapshot();
  }

  @Override
  public CompletableFuture<DeploymentResult> result() {
    return result.copy();
  }

  @Override
  public DeploymentResult await(Duration timeout) {
    try {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new OrchestratorException(
          "deployment of " + stack + " did not finish within " + timeout + "; it goes on", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestratorException("interrupted while waiting for deployment of " + stack, e);
    } catch (ExecutionException e) {
      throw new OrchestratorException(
          "deployment of " + stack + " failed unexpectedly: " + e.getCause(), e.getCause());
    }
  }

  public void complete(DeploymentResult outcome) {
    result.complete(outcome);
  }

  /** For a failure the runner could not turn into a result (an {@link Error}). */
  public void fail(Throwable cause) {
    result.completeExceptionally(cause);
  }
}
