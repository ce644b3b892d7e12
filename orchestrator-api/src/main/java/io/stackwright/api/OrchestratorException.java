package io.stackwright.api;

/**
 * Root of every exception Stackwright throws. Unchecked: a host application catches it where it can
 * act, and the subtypes say what kind of failure it was.
 */
public class OrchestratorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OrchestratorException(String message) {
    super(message);
  }

  public OrchestratorException(String message, Throwable cause) {
    super(message, cause);
  }
}
