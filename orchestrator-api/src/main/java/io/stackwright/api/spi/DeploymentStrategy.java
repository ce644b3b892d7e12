package io.stackwright.api.spi;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import java.util.List;

/**
 * How a new version of a stack replaces the old one: rolling, blue-green, canary, or a third
 * party's. Core picks the strategy named by the changed services' {@code rollout} policies, calls
 * {@link #validate} with the other checks before anything is written, then {@link #execute} on a
 * background thread. Implementations are stateless; one instance serves every deployment.
 */
public interface DeploymentStrategy {

  /** The name policies use ({@code rolling}, {@code blue-green}, {@code canary}). */
  String name();

  /** Problems with running {@code stack} with this strategy on {@code platform} and router. */
  default List<SpecProblem> validate(StackSpec stack, Platform platform, boolean hasRouter) {
    return List.of();
  }

  /**
   * Rolls the stack out and returns how it ended. A version that fails must not end as {@code
   * SUCCEEDED}: either {@code ROLLED_BACK} (through {@link RolloutContext#rollBack}) or {@code
   * FAILED}/{@code TIMED_OUT} saying why.
   */
  DeploymentResult execute(RolloutContext context);
}
