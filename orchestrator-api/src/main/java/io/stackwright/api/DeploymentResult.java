package io.stackwright.api;

import io.stackwright.api.plan.Plan;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a deployment ended.
 *
 * @param stack the stack name
 * @param outcome succeeded, failed, timed out, or rolled back
 * @param plan the plan that was applied
 * @param elapsed from start to end
 * @param message a sentence for people: what happened, and on failure why
 * @param serviceErrors for each service that failed, the engine's own error
 */
public record DeploymentResult(
    String stack,
    Outcome outcome,
    Plan plan,
    Duration elapsed,
    String message,
    Map<String, String> serviceErrors) {

  public enum Outcome {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /**
     * The new version failed its verification and the stack was returned to its last fully healthy
     * revision: the old version runs, the new one does not. Never a success.
     */
    ROLLED_BACK
  }

  public DeploymentResult {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(message, "message");
    serviceErrors = Copies.sortedMap(serviceErrors);
  }

  public boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }
}
