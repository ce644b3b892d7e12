package io.stackwright.api;

/**
 * Someone else changed a resource between the moment Stackwright read it and the moment it wrote it
 * (the engine rejected the version index). Nothing was overwritten; plan again and retry.
 */
public class ConflictException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
