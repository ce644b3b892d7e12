package io.stackwright.api.store;

import io.stackwright.api.ConflictException;

/**
 * A fenced write was refused: the writer's claim or lease lapsed, or someone else took it over with
 * a newer fencing token. Nothing was written; the writer must stop acting on what it held.
 */
public class LeaseLostException extends ConflictException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message, null);
  }
}
