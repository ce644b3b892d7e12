package io.stackwright.api;

/** A platform or component was asked for something it does not offer (see its capabilities). */
public class UnsupportedFeatureException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFeatureException(String message) {
    super(message);
  }
}
