package io.stackwright.api.store;

import io.stackwright.api.OrchestratorException;

/** The store could not do what was asked (the database failed or could not be reached). */
public class StoreException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  public StoreException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /**
   * Whether the same call may succeed later (the database was unreachable, a serialization
   * conflict).
   */
  public boolean retryable() {
    return retryable;
  }
}
