package io.stackwright.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a deployment runs.
 *
 * @param waitForConvergence whether the deployment completes only once every replica of the stack
 *     runs its current spec and is healthy (otherwise it completes when the changes are written)
 * @param timeout how long to wait for convergence before the deployment fails
 */
public record DeployOptions(boolean waitForConvergence, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public DeployOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  /** Wait up to five minutes for the stack to converge. */
  public static DeployOptions defaults() {
    return new DeployOptions(true, DEFAULT_TIMEOUT);
  }

  /** Wait up to {@code timeout} for the stack to converge. */
  public static DeployOptions waitingUpTo(Duration timeout) {
    return new DeployOptions(true, timeout);
  }

  /** Complete as soon as the changes are written. */
  public static DeployOptions noWait() {
    return new DeployOptions(false, DEFAULT_TIMEOUT);
  }
}
