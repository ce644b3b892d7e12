package io.stackwright.api;

/** A stack, service or other resource that was named does not exist. */
public class NotFoundException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
