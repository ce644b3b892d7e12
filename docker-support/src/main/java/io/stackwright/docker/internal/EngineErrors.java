package io.stackwright.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import io.stackwright.api.ConflictException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.PlatformTimeoutException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/**
 * How an engine's answer or a transport failure becomes one of the API's exceptions: the message
 * says what was attempted ({@code what}), what the engine said, and what to do.
 *
 * <ul>
 *   <li>Swarm's "update out of sequence" (a write with a stale version index) and HTTP 409 are
 *       {@link ConflictException}s: nothing was overwritten.
 *   <li>HTTP 404 is an {@link EngineNotFound}.
 *   <li>A call past its deadline, or a connection not accepted in time, is a {@link
 *       PlatformTimeoutException} (retryable) that says how long was waited and what to do.
 *   <li>HTTP 502, 503, 504 and Swarm's "Unavailable" / "DeadlineExceeded" (no quorum) are retryable
 *       {@link PlatformException}s, as is an engine that cannot be reached.
 *   <li>Anything else is a {@link PlatformException} that is not retryable.
 * </ul>
 */
public final class EngineErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineErrors() {}

  /** Maps an engine or transport failure of a call to the engine at {@code host}. */
  public static OrchestratorException translate(String what, String host, RuntimeException e) {
    return translate(what, host, e, EngineSettings.DEFAULTS);
  }

  /**
   * Maps an engine or transport failure of a call to the engine at {@code host}, whose deadlines
   * {@code settings} gives: a call past its deadline is a {@link PlatformTimeoutException}.
   */
  public static OrchestratorException translate(
      String what, String host, RuntimeException e, EngineSettings settings) {
    if (e instanceof OrchestratorException oe) {
      return oe;
    }
    PlatformTimeoutException timeout = timeout(what, host, e, settings);
    if (timeout != null) {
      return timeout;
    }
    if (e instanceof DockerException de) {
      return fromStatus(what, de.getHttpStatus(), engineMessage(de.getMessage()), de);
    }
    if (hasIoCause(e)) {
      return new PlatformException(
          what
              + " failed: the Docker engine at "
              + host
              + " did not answer ("
              + rootCause(e)
              + "); check that it runs, then retry",
          true,
          e);
    }
    if (e instanceof DockerClientException) {
      return new PlatformException(what + " failed: " + e.getMessage(), false, e);
    }
    return new PlatformException(what + " failed: " + e, false, e);
  }

  /** The exception for an engine answer with HTTP status {@code status} (300 or more). */
  public static OrchestratorException fromStatus(
      String what, int status, String message, Throwable cause) {
    if (message.contains("out of sequence")) {
      return new ConflictException(
          what
              + " failed: it was changed by someone else since it was read (engine: "
              + message
              + "); nothing was overwritten, plan again and retry",
          cause);
    }
    String text = what + " failed (HTTP " + status + "): " + message;
    if (status == 404) {
      return new EngineNotFound(text, message, cause);
    }
    if (status == 409) {
      return new ConflictException(text, cause);
    }
    boolean retryable =
        status == 502
            || status == 503
            || status == 504
            || message.contains("code = Unavailable")
            || message.contains("DeadlineEx");
    return new PlatformException(text, retryable, cause);
  }

  /** The {@code message} of the engine's JSON error body, or the text itself. */
  public static String engineMessage(String text) {
    if (text == null) {
      return "";
    }
    int brace = text.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode node = JSON.readTree(text.substring(brace));
        if (node.hasNonNull("message")) {
          return node.get("message").asText().trim();
        }
      } catch (IOException | RuntimeException ignored) {
        // not JSON: the text itself is the message
      }
    }
    return text.trim();
  }

  /** The timeout {@code e} is, if it is one: past a deadline, or a connection not accepted. */
  private static PlatformTimeoutException timeout(
      String what, String host, Throwable e, EngineSettings settings) {
    DeadlineExceeded deadline = null;
    SocketTimeoutException socketTimeout = null;
    boolean connect = false;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof DeadlineExceeded d && deadline == null) {
        deadline = d;
      } else if (t instanceof SocketTimeoutException s && socketTimeout == null) {
        socketTimeout = s;
      }
      // httpclient5's ConnectTimeoutException, named rather than imported: only docker-java's API
      // is used here, not the HTTP client under it.
      if (t.getClass().getSimpleName().equals("ConnectTimeoutException")
          || (t instanceof SocketTimeoutException
              && !(t instanceof DeadlineExceeded)
              && String.valueOf(t.getMessage())
                  .toLowerCase(Locale.ROOT)
                  .startsWith("connect timed out"))) {
        connect = true;
      }
    }
    if (connect) {
      return new PlatformTimeoutException(
          what
              + " failed: the Docker engine at "
              + host
              + " did not accept a connection within "
              + EngineSettings.describe(settings.connect())
              + "; check that it runs and that "
              + host
              + " is the right address, then retry (raise "
              + EngineSettings.CONNECT
              + " if it is only slow)",
          settings.connect(),
          e);
    }
    if (deadline == null && socketTimeout == null) {
      return null;
    }
    Duration limit = deadline != null ? deadline.deadline() : settings.response();
    String property = deadline != null ? deadline.property() : EngineSettings.RESPONSE;
    return new PlatformTimeoutException(
        what
            + " failed: the Docker engine at "
            + host
            + " did not answer within "
            + EngineSettings.describe(limit)
            + ". Check that it runs and answers (docker info) and, on Swarm, that the managers"
            + " have quorum; then retry (a write may or may not have been applied: plan again"
            + " first). If the engine is only slow, raise "
            + property
            + ".",
        limit,
        e);
  }

  static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  /**
   * The engine answered 404 ("No such image: ...", "No such container: ..."): a platform failure
   * that also carries the engine's own message.
   */
  public static final class EngineNotFound extends PlatformException {
    private static final long serialVersionUID = 1L;
    private final String engineMessage;

    EngineNotFound(String message, String engineMessage, Throwable cause) {
      super(message, false, cause);
      this.engineMessage = engineMessage;
    }

    public String engineMessage() {
      return engineMessage;
    }
  }
}
