package io.stackwright.api.spi;

import io.stackwright.api.StackSpec;
import io.stackwright.api.state.StackState;
import java.util.Optional;

/**
 * An extra verdict on a new version while a strategy verifies it, beside the platform's replica
 * state and container healthchecks: external probes, metric thresholds. Called repeatedly during
 * the verification window; it must return quickly.
 */
@FunctionalInterface
public interface RolloutCheck {

  /**
   * Why {@code stack} (the version being verified) is not healthy in {@code state}, or empty when
   * it is.
   */
  Optional<String> problem(StackSpec stack, StackState state);
}
