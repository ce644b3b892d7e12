package io.stackwright.api.spi;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What core gives a {@link DeploymentStrategy} for one deployment: the stack, the platform, the
 * router if any, and the building blocks every strategy needs (apply and wait, verify, roll back).
 */
public interface RolloutContext {

  /** What an operator asked of a rollout in progress (API {@code promote}/{@code abort}, CLI). */
  enum Decision {
    /** Go on at once: skip the remaining steps or waits and make the new version the live one. */
    PROMOTE,
    /** Stop and return to the last healthy revision. */
    ABORT
  }

  /** The stack as it must run once the rollout succeeds. */
  StackSpec stack();

  /** The plan from what runs now to {@link #stack()}, computed and validated before any write. */
  Plan plan();

  /** The number this revision of the stack gets in the revision history (1 for the first). */
  int revision();

  /** The last revision of the stack that converged and passed verification, if one is known. */
  Optional<StackSpec> lastHealthy();

  Platform platform();

  /** The router, when the orchestrator has one (blue-green and weighted canaries need it). */
  Optional<Router> router();

  /** Where the strategy reports its steps. */
  EventListener events();

  Clock clock();

  /** How long the whole deployment may take; phases share what is left. */
  Duration remaining();

  /**
   * Writes {@code target} (plans it against what runs, applies the plan) and waits until every
   * replica of it is ready, a replica fails, the platform's own update pauses or rolls back, or
   * time runs out.
   */
  RolloutVerdict applyAndAwait(StackSpec target);

  /**
   * Watches {@code target} for {@code duration}: every replica must stay ready, no replica may
   * fail, and every registered {@link RolloutCheck} must pass. Returns early on the first failure.
   */
  RolloutVerdict verify(StackSpec target, Duration duration);

  /**
   * Returns the stack to {@link #lastHealthy()} because of {@code reason}, reporting {@code
   * ROLLBACK_STARTED} and {@code ROLLBACK_COMPLETED}, and gives the result to return: {@code
   * ROLLED_BACK} when the old revision runs healthy again, {@code FAILED} when there is none or it
   * did not recover.
   */
  DeploymentResult rollBack(String reason);

  /**
   * The operator's decision on this rollout, if one was made since the last call (each decision is
   * returned once).
   */
  Optional<Decision> decision();

  /** The result of a rollout that ended without rollback. */
  DeploymentResult finish(RolloutVerdict verdict);
}
