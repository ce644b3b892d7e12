package io.stackwright.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The platform did not answer within the deadline of a call (an engine that hangs, a cluster that
 * lost its quorum). Always retryable: the same call may succeed once the platform answers again. A
 * write that timed out may or may not have been applied, so a caller plans again before retrying.
 */
public class PlatformTimeoutException extends PlatformException {
  private static final long serialVersionUID = 1L;

  private final Duration deadline;

  public PlatformTimeoutException(String message, Duration deadline, Throwable cause) {
    super(message, true, cause);
    this.deadline = Objects.requireNonNull(deadline, "deadline");
  }

  /** How long the call was allowed to take. */
  public Duration deadline() {
    return deadline;
  }
}
