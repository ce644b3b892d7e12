package io.stackwright.api;

/** The platform (an engine, a cluster) failed to do what was asked. */
public class PlatformException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public PlatformException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public PlatformException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  /** Whether the same call may succeed later (the engine was unreachable, a timeout). */
  public boolean retryable() {
    return retryable;
  }
}
