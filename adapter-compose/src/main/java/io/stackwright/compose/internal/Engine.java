package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.stackwright.api.ConflictException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.spi.PlatformContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one Docker engine. Requests are plain Engine API JSON sent through
 * docker-java's HTTP transport (docker-java's typed commands do not model everything a container
 * needs: init, tmpfs options, arbitrary capabilities, multiple network attachments), and every
 * failure becomes one of the API's exceptions, with a message naming what was attempted.
 *
 * <p>Two transports: one with a response timeout for ordinary calls, and one without, for the
 * {@code /events} stream and for calls that wait as long as the engine needs (stopping a container
 * with a long grace period).
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(90);

  private final String host;
  private final DockerClientConfig config;
  private final DockerHttpClient http;
  private final Object longLock = new Object();
  private DockerHttpClient longHttp;
  private volatile boolean closed;
  private final ObjectMapper mapper = new ObjectMapper();

  private Engine(String host) {
    this.host = host;
    this.config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    this.http = transport(RESPONSE_TIMEOUT);
  }

  /** A connection (made lazily: nothing is sent here) to the engine the context names. */
  public static Engine connect(PlatformContext context) {
    return new Engine(resolveHost(context));
  }

  /** {@code docker.host} from the context, else {@code DOCKER_HOST}, else the local socket. */
  public static String resolveHost(PlatformContext context) {
    return context
        .property(PlatformContext.DOCKER_HOST)
        .filter(h -> !h.isBlank())
        .orElseGet(
            () -> {
              String env = System.getenv("DOCKER_HOST");
              return env == null || env.isBlank() ? DEFAULT_HOST : env;
            });
  }

  /**
   * Whether the engine runs on another machine, so that files this process writes are not the
   * engine's files (tcp:// or ssh:// to anything but the loopback address).
   */
  public static boolean isRemote(String host) {
    URI uri;
    try {
      uri = URI.create(host);
    } catch (IllegalArgumentException e) {
      return true;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("unix") || scheme.equals("npipe")) {
      return false;
    }
    String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return !(h.equals("localhost")
        || h.equals("127.0.0.1")
        || h.equals("[::1]")
        || h.equals("::1"));
  }

  private DockerHttpClient transport(Duration responseTimeout) {
    ApacheDockerHttpClient.Builder builder =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(64)
            .connectionTimeout(CONNECT_TIMEOUT);
    if (responseTimeout != null) {
      builder.responseTimeout(responseTimeout);
    }
    return builder.build();
  }

  private DockerHttpClient longTransport() {
    synchronized (longLock) {
      if (closed) {
        throw new PlatformException("the compose platform is closed", false);
      }
      if (longHttp == null) {
        longHttp = transport(null);
      }
      return longHttp;
    }
  }

  public String host() {
    return host;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** {@code path?k=v&...}, values URL-encoded; null values are left out. */
  public static String path(String path, Map<String, ?> query) {
    StringJoiner joiner = new StringJoiner("&");
    query.forEach(
        (k, v) -> {
          if (v != null) {
            joiner.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
          }
        });
    return joiner.length() == 0 ? path : path + "?" + joiner;
  }

  /** {@code {"label": ["k=v", ...], ...}} as the {@code filters} query parameter wants it. */
  public String filters(Map<String, java.util.List<String>> filters) {
    try {
      return mapper.writeValueAsString(new LinkedHashMap<>(filters));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET; a 404 is an error. */
  public JsonNode get(String what, String path) {
    return request(what, DockerHttpClient.Request.Method.GET, path, null, false).orElseThrow();
  }

  /** GET; a 404 gives an empty result. */
  public Optional<JsonNode> find(String what, String path) {
    try {
      return request(what, DockerHttpClient.Request.Method.GET, path, null, false);
    } catch (EngineNotFound e) {
      return Optional.empty();
    }
  }

  /** POST with an optional JSON body; returns the answer, or null when it has none. */
  public JsonNode post(String what, String path, JsonNode body) {
    return request(what, DockerHttpClient.Request.Method.POST, path, body, false).orElse(null);
  }

  /** POST on the transport without a response timeout (stop, wait). */
  public JsonNode postLong(String what, String path, JsonNode body) {
    return request(what, DockerHttpClient.Request.Method.POST, path, body, true).orElse(null);
  }

  /** DELETE; returns false when the object was already gone (404). */
  public boolean delete(String what, String path) {
    try {
      request(what, DockerHttpClient.Request.Method.DELETE, path, null, true);
      return true;
    } catch (EngineNotFound e) {
      return false;
    }
  }

  /**
   * Opens a streaming GET (the event stream). The caller reads the body and closes the response;
   * closing it from another thread ends a blocked read.
   */
  public DockerHttpClient.Response stream(String what, String path) {
    DockerHttpClient.Request request =
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path(path)
            .build();
    DockerHttpClient.Response response;
    try {
      response = longTransport().execute(request);
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
    if (response.getStatusCode() >= 300) {
      String message = readMessage(response);
      closeQuietly(response);
      throw fromStatus(what, response.getStatusCode(), message, null);
    }
    return response;
  }

  private Optional<JsonNode> request(
      String what,
      DockerHttpClient.Request.Method method,
      String path,
      JsonNode body,
      boolean noTimeout) {
    DockerHttpClient.Request.Builder builder =
        DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) {
      try {
        builder
            .putHeader("Content-Type", "application/json")
            .bodyBytes(mapper.writeValueAsBytes(body));
      } catch (IOException e) {
        throw new PlatformException(what + " failed: cannot write the request", false, e);
      }
    } else if (method == DockerHttpClient.Request.Method.POST) {
      builder.putHeader("Content-Type", "application/json");
    }
    if (closed) {
      throw new PlatformException(what + " failed: the compose platform is closed", false);
    }
    DockerHttpClient transport = noTimeout ? longTransport() : http;
    try (DockerHttpClient.Response response = transport.execute(builder.build())) {
      int status = response.getStatusCode();
      if (status == 304) {
        return Optional.empty(); // already started / already stopped
      }
      if (status >= 300) {
        throw fromStatus(what, status, readMessage(response), null);
      }
      try (InputStream in = response.getBody()) {
        byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
        return bytes.length == 0 ? Optional.empty() : Optional.of(mapper.readTree(bytes));
      }
    } catch (IOException e) {
      throw translate(what, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  private String readMessage(DockerHttpClient.Response response) {
    try (InputStream in = response.getBody()) {
      return in == null ? "" : engineMessage(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "(no message: " + e + ")";
    }
  }

  /** Maps a transport failure to the API's exceptions: connection problems are retryable. */
  OrchestratorException translate(String what, RuntimeException e) {
    if (e instanceof OrchestratorException oe) {
      return oe;
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
    return new PlatformException(what + " failed: " + e, false, e);
  }

  static OrchestratorException fromStatus(
      String what, int status, String message, Throwable cause) {
    String text = what + " failed (HTTP " + status + "): " + message;
    if (status == 404) {
      return new EngineNotFound(text, message);
    }
    if (status == 409) {
      return new ConflictException(text, cause);
    }
    return new PlatformException(text, status == 503 || status == 502 || status == 504, cause);
  }

  /** The {@code message} of the engine's JSON error body, or the text itself. */
  static String engineMessage(String text) {
    if (text == null) {
      return "";
    }
    int brace = text.indexOf('{');
    if (brace >= 0) {
      try {
        JsonNode node = new ObjectMapper().readTree(text.substring(brace));
        if (node.hasNonNull("message")) {
          return node.get("message").asText().trim();
        }
      } catch (IOException | RuntimeException ignored) {
        // not JSON
      }
    }
    return text.trim();
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("Closing {} failed", closeable, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (longLock) {
      closeQuietly(longHttp);
      longHttp = null;
    }
    closeQuietly(http);
  }

  /**
   * The engine answered 404 ("No such image: ...", "No such container: ..."): a platform failure
   * that also carries the engine's own message.
   */
  public static final class EngineNotFound extends PlatformException {
    private static final long serialVersionUID = 1L;
    private final String engineMessage;

    EngineNotFound(String message, String engineMessage) {
      super(message, false);
      this.engineMessage = engineMessage;
    }

    public String engineMessage() {
      return engineMessage;
    }
  }
}
