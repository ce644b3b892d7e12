package io.stackwright.core.rollout;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.spi.DeploymentStrategy;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.RolloutVerdict;
import java.time.Duration;

/**
 * A rolling update verified by Stackwright. The platform replaces the replicas batch by batch with
 * the services' {@code updatePolicy} (natively on Swarm, where the update's own monitor window and
 * failure action apply; container by container where core does it). Then every replica of every
 * changed service must stay ready, and every registered check pass, for the longest {@code
 * verifyFor} of the changed services. A version that fails on the way or during that window is
 * replaced by the last fully healthy revision when its policy asks for automatic rollback.
 */
public final class RollingStrategy implements DeploymentStrategy {

  @Override
  public String name() {
    return RolloutPolicy.Strategy.ROLLING.id();
  }

  @Override
  public DeploymentResult execute(RolloutContext context) {
    String stack = context.stack().name();
    context
        .events()
        .onEvent(
            new OrchestratorEvent(
                context.clock().instant(),
                stack,
                null,
                "rolling update to revision " + context.revision(),
                new EventDetail.RolloutStep(
                    null, context.revision(), name(), "update", 1, 2, null, null)));
    RolloutVerdict updated = context.applyAndAwait(context.stack());
    if (!updated.healthy()) {
      return failed(context, "the update did not converge: " + updated.reason(), updated);
    }
    Duration window = verificationWindow(context);
    if (!window.isZero()) {
      context
          .events()
          .onEvent(
              new OrchestratorEvent(
                  context.clock().instant(),
                  stack,
                  null,
                  "verifying revision " + context.revision() + " for " + window,
                  new EventDetail.RolloutStep(
                      null, context.revision(), name(), "verify", 2, 2, null, null)));
      RolloutVerdict verified = context.verify(context.stack(), window);
      if (!verified.healthy()) {
        return failed(context, "verification failed: " + verified.reason(), verified);
      }
    }
    return context.finish(updated);
  }

  private static DeploymentResult failed(
      RolloutContext context, String reason, RolloutVerdict verdict) {
    if (autoRollback(context)) {
      return context.rollBack(reason);
    }
    return context.finish(
        verdict.timedOut()
            ? RolloutVerdict.timedOut(reason)
            : RolloutVerdict.failed(reason, verdict.serviceErrors()));
  }

  /** The longest window any changed service asks for. */
  static Duration verificationWindow(RolloutContext context) {
    Duration window = Duration.ZERO;
    for (String name : context.plan().changedServices()) {
      ServiceSpec service = context.stack().services().get(name);
      if (service != null && service.rollout().verifyFor().compareTo(window) > 0) {
        window = service.rollout().verifyFor();
      }
    }
    return window;
  }

  /** Whether any changed service asks for automatic rollback. */
  static boolean autoRollback(RolloutContext context) {
    return context.plan().changedServices().stream()
        .map(name -> context.stack().services().get(name))
        .anyMatch(service -> service != null && service.rollout().autoRollback());
  }
}
