package io.stackwright.core.rollout;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.RolloutVerdict;
import io.stackwright.core.rollout.internal.SideBySide;
import java.time.Duration;
import java.util.List;

/** The first deployment and the final promotion, shared by blue-green and canary. */
final class SideBySideStrategies {
  static final Duration SETTLE = Duration.ofSeconds(3);

  private SideBySideStrategies() {}

  /** Nothing runs yet to compare with: deploy, and route all traffic to the services. */
  static DeploymentResult firstDeployment(RolloutContext context, List<String> services) {
    RolloutVerdict verdict = context.applyAndAwait(context.stack());
    if (verdict.healthy() && context.router().isPresent()) {
      SideBySide.shift(context, services, 0);
    }
    return verdict.healthy() ? context.finish(verdict) : context.rollBack(verdict.reason());
  }

  /**
   * The new version wins: all traffic to {@code -next}, the live services updated to the new
   * version, traffic back to them, {@code -next} removed.
   */
  static DeploymentResult promote(RolloutContext context, List<String> services) {
    SideBySide.shift(context, services, 100);
    StackSpec both = SideBySide.withNext(context.stack(), services);
    RolloutVerdict caughtUp = context.applyAndAwait(both);
    if (!caughtUp.healthy()) {
      return context.rollBack("updating the live service failed: " + caughtUp.reason());
    }
    // Proxies that follow DNS (HAProxy, Traefik's providers) need a moment to find and check the
    // live service's fresh replicas before traffic returns to them, and in-flight requests to the
    // copy need a moment to finish before it goes.
    RolloutVerdict discovered = context.verify(both, SETTLE);
    if (!discovered.healthy()) {
      return context.rollBack("the updated live service failed: " + discovered.reason());
    }
    SideBySide.shift(context, services, 0);
    RolloutVerdict drained = context.verify(both, SETTLE);
    if (!drained.healthy()) {
      return context.rollBack("the updated live service failed: " + drained.reason());
    }
    RolloutVerdict done = context.applyAndAwait(context.stack());
    SideBySide.step(
        context, EventType.ROLLOUT_STEP, "new version live; side-by-side copy removed", "done");
    return done.healthy()
        ? context.finish(done)
        : context.rollBack("removing the side-by-side copy failed: " + done.reason());
  }
}
