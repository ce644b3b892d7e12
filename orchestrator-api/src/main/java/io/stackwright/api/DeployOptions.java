package io.stackwright.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a deployment runs.
 *
 * @param waitForConvergence whether the deployment completes only once every replica of the stack
 *     runs its current spec and is healthy (otherwise it completes when the changes are written)
 * @param timeout how long to wait for convergence before the deployment fails
 * @param keepFailedFirstDeploy whether a failed first deployment of a stack leaves what it created
 *     (for a look at it); by default it removes it, so that a failed first deploy leaves nothing
 */
public record DeployOptions(
    boolean waitForConvergence, Duration timeout, boolean keepFailedFirstDeploy) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public DeployOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  public DeployOptions(boolean waitForConvergence, Duration timeout) {
    this(waitForConvergence, timeout, false);
  }

  /** These options, but a failed first deployment leaves what it created. */
  public DeployOptions keepingFailedFirstDeploy() {
    return new DeployOptions(waitForConvergence, timeout, true);
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
