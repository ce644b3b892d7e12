package io.stackwright.docker.internal;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A call to the engine ran past its deadline; carries the deadline and the property that sets it,
 * for {@link EngineErrors} to say so. A {@link SocketTimeoutException}, so that code which already
 * treats a read timeout as one keeps doing so.
 */
final class DeadlineExceeded extends SocketTimeoutException {
  private static final long serialVersionUID = 1L;

  private final transient Duration deadline;
  private final String property;

  DeadlineExceeded(String operation, Duration deadline, String property, Throwable cause) {
    super(operation + " did not complete within " + EngineSettings.describe(deadline));
    this.deadline = deadline;
    this.property = property;
    if (cause != null) {
      initCause(cause);
    }
  }

  Duration deadline() {
    return deadline;
  }

  String property() {
    return property;
  }
}
