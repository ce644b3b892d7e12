package io.stackwright.core.rollout;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.rollout.BlueGreenPolicy;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.spi.DeploymentStrategy;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.RolloutVerdict;
import io.stackwright.core.rollout.internal.SideBySide;
import java.util.List;

/**
 * Blue-green through the router: the new version (green, {@code <service>-next}) starts beside the
 * live one (blue) and is verified; then the whole route switches to green at once. Blue keeps
 * running for {@code keepOldFor}; if green fails in that time, or an operator aborts, traffic
 * switches back to blue at once and green is removed. Afterwards blue is updated to the new version
 * behind green's back, traffic returns to the service's own name, and green is removed.
 */
public final class BlueGreenStrategy implements DeploymentStrategy {

  @Override
  public String name() {
    return RolloutPolicy.Strategy.BLUE_GREEN.id();
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack, Platform platform, boolean hasRouter) {
    return SideBySide.problems(stack, RolloutPolicy.Strategy.BLUE_GREEN, true, hasRouter);
  }

  @Override
  public DeploymentResult execute(RolloutContext context) {
    List<String> changed = SideBySide.services(context, RolloutPolicy.Strategy.BLUE_GREEN);
    // nothing live to run beside (a first deployment, or a stack removed since): create plainly
    List<String> services = SideBySide.live(context, changed);
    if (context.lastHealthy().isEmpty() || services.isEmpty()) {
      return SideBySideStrategies.firstDeployment(context, changed);
    }
    BlueGreenPolicy policy = context.stack().services().get(services.get(0)).rollout().blueGreen();
    StackSpec live = context.lastHealthy().get();
    StackSpec staged = SideBySide.staged(context.stack(), live, services, -1);
    SideBySide.step(context, EventType.ROLLOUT_STEP, "starting green beside blue", "green");
    RolloutVerdict started = context.applyAndAwait(staged);
    if (!started.healthy()) {
      return context.rollBack("green did not start: " + started.reason());
    }
    SideBySide.Outcome verified = SideBySide.watch(context, staged, policy.verifyFor());
    if (!verified.verdict().healthy()) {
      return context.rollBack("green failed verification: " + verified.verdict().reason());
    }
    if (!policy.autoSwitch() && !verified.promoted()) {
      SideBySide.step(
          context, EventType.ROLLOUT_PAUSED, "green verified; waiting for promote", "wait");
      SideBySide.Outcome decided = SideBySide.watch(context, staged, context.remaining());
      if (!decided.promoted()) {
        return context.rollBack("green was not promoted: " + decided.verdict().reason());
      }
    }
    SideBySide.shift(context, services, 100);
    SideBySide.step(context, EventType.ROLLOUT_STEP, "traffic switched to green", "switch");
    SideBySide.Outcome kept = SideBySide.watch(context, staged, policy.keepOldFor());
    if (!kept.verdict().healthy()) {
      SideBySide.shift(context, services, 0);
      SideBySide.step(context, EventType.ROLLOUT_STEP, "traffic switched back to blue", "back");
      return context.rollBack("green failed after the switch: " + kept.verdict().reason());
    }
    return SideBySideStrategies.promote(context, services);
  }
}
