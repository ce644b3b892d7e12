package io.stackwright.core.scaling;

import io.stackwright.api.OrchestratorException;

/**
 * A PromQL query failed: Prometheus refused it ({@link #errorType()} {@code bad_data} for a query
 * that does not parse), timed out, answered something that is not its HTTP API, or could not be
 * reached ({@link #errorType()} {@code unreachable}).
 */
public class PromQlException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final String query;
  private final String errorType;

  public PromQlException(String query, String errorType, String message, Throwable cause) {
    super("PromQL query '" + query + "' failed (" + errorType + "): " + message, cause);
    this.query = query;
    this.errorType = errorType;
  }

  /** The query as sent (placeholders replaced). */
  public String query() {
    return query;
  }

  /**
   * Prometheus's {@code errorType} ({@code bad_data}, {@code timeout}, {@code execution}, ...), or
   * {@code unreachable}, {@code bad_response}, {@code not_a_number} for failures before or after
   * it.
   */
  public String errorType() {
    return errorType;
  }
}
