package io.stackwright.core.internal;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import java.time.Clock;
import java.time.Duration;

/**
 * Every {@code DEPLOYMENT_STARTED} is followed by {@code DEPLOYMENT_SUCCEEDED} or {@code
 * DEPLOYMENT_FAILED}: where a deployment can end without its strategy saying so (an exception, a
 * job cancelled before it ran), the end is sent here, once, if the event log still has the
 * deployment open.
 */
public final class DeploymentEnds {
  private DeploymentEnds() {}

  public static EventDetail.PlanComputed planned(Plan plan) {
    int creates = 0;
    int updates = 0;
    int deletes = 0;
    for (Change change : plan.changes()) {
      if (change instanceof Change.Create) {
        creates++;
      } else if (change instanceof Change.Update) {
        updates++;
      } else {
        deletes++;
      }
    }
    return new EventDetail.PlanComputed(plan.changes().size(), creates, updates, deletes);
  }

  /** Ends the open deployment of {@code events} as failed by {@code failure}. */
  public static void failed(
      EventLog events,
      Clock clock,
      String stack,
      long revision,
      Duration elapsed,
      Throwable failure) {
    String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    ended(events, clock, stack, revision, elapsed, DeploymentResult.Outcome.FAILED, why);
  }

  /** Ends the open deployment of {@code events}, if there is one, with {@code outcome}. */
  public static void ended(
      EventLog events,
      Clock clock,
      String stack,
      long revision,
      Duration elapsed,
      DeploymentResult.Outcome outcome,
      String message) {
    if (!events.deploymentOpen()) {
      return;
    }
    EventDetail detail =
        outcome == DeploymentResult.Outcome.SUCCEEDED
            ? new EventDetail.DeploymentSucceeded(revision, elapsed, null)
            : new EventDetail.DeploymentFailed(revision, outcome, elapsed, message);
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack,
            null,
            outcome == DeploymentResult.Outcome.SUCCEEDED
                ? "the deployment succeeded: " + message
                : "the deployment failed: " + message,
            detail));
  }
}
