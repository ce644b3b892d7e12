package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.stackwright.api.ConflictException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.spi.PlatformContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one Docker engine: a docker-java client for ordinary calls (with timeouts), a
 * second one without a response timeout for the event stream, raw JSON requests for the few calls
 * docker-java lacks, and the translation of engine errors into Stackwright's exceptions.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  private final String host;
  private final DockerClientConfig config;
  private final DockerHttpClient http;
  private final DockerClient docker;
  private final Object streamLock = new Object();
  private DockerHttpClient streamHttp;
  private DockerClient streamDocker;
  private boolean closed;

  private Engine(String host, Duration responseTimeout) {
    this.host = host;
    this.config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    this.http = httpClient(responseTimeout);
    this.docker = DockerClientImpl.getInstance(config, http);
  }

  /** Connects (lazily: no request is made here) to the engine the context names. */
  public static Engine connect(PlatformContext context) {
    return new Engine(resolveHost(context), RESPONSE_TIMEOUT);
  }

  /** Like {@link #connect(PlatformContext)}, with another response timeout (a quick probe). */
  public static Engine connect(PlatformContext context, Duration responseTimeout) {
    return new Engine(resolveHost(context), responseTimeout);
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

  private DockerHttpClient httpClient(Duration responseTimeout) {
    ApacheDockerHttpClient.Builder builder =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(32)
            .connectionTimeout(CONNECT_TIMEOUT);
    if (responseTimeout != null) {
      builder.responseTimeout(responseTimeout);
    }
    return builder.build();
  }

  public String host() {
    return host;
  }

  public DockerClient docker() {
    return docker;
  }

  /** A client whose responses never time out: for the {@code /events} stream only. */
  DockerClient streaming() {
    synchronized (streamLock) {
      if (closed) {
        throw new PlatformException("the Swarm platform is closed", false);
      }
      if (streamDocker == null) {
        streamHttp = httpClient(null);
        streamDocker = DockerClientImpl.getInstance(config, streamHttp);
      }
      return streamDocker;
    }
  }

  /** docker-java's own mapper: the one its model classes are written for. */
  public ObjectMapper mapper() {
    return config.getObjectMapper();
  }

  /** A docker-java model object as a JSON tree, including the fields docker-java does not model. */
  public JsonNode tree(Object dockerObject) {
    return mapper().valueToTree(dockerObject);
  }

  /** Runs an engine call; failures become {@link OrchestratorException}s naming {@code what}. */
  public <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  public void run(String what, Runnable action) {
    call(
        what,
        () -> {
          action.run();
          return null;
        });
  }

  /** Like {@link #call}, but an engine 404 gives an empty result. */
  public <T> Optional<T> find(String what, Supplier<T> action) {
    try {
      return Optional.ofNullable(action.get());
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  /**
   * A raw JSON request, for the calls docker-java lacks (label updates of secrets and configs) or
   * gets wrong (re-sending a spec read from the engine: docker-java would duplicate its fields).
   */
  public JsonNode post(String what, String path, JsonNode body) {
    byte[] bytes;
    try {
      bytes = mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new PlatformException(what + " failed: cannot serialize the request", false, e);
    }
    return send(
        what,
        path,
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.POST)
            .path(path)
            .putHeader("Content-Type", "application/json")
            .bodyBytes(bytes)
            .build());
  }

  /** A raw GET, for the calls docker-java lacks (one-shot container stats). */
  public JsonNode get(String what, String path) {
    return send(
        what,
        path,
        DockerHttpClient.Request.builder()
            .method(DockerHttpClient.Request.Method.GET)
            .path(path)
            .build());
  }

  private JsonNode send(String what, String path, DockerHttpClient.Request request) {
    try (DockerHttpClient.Response response = http.execute(request)) {
      int status = response.getStatusCode();
      if (status >= 300) {
        String message = readMessage(response.getBody());
        throw fromStatus(what, status, message, null);
      }
      try (InputStream in = response.getBody()) {
        byte[] answer = in.readAllBytes();
        return answer.length == 0 ? null : mapper().readTree(answer);
      }
    } catch (IOException e) {
      throw translate(what, new java.io.UncheckedIOException(e));
    } catch (OrchestratorException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  private String readMessage(InputStream body) {
    try (InputStream in = body) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return engineMessage(text);
    } catch (IOException e) {
      return "(no message: " + e + ")";
    }
  }

  /** Maps an engine or transport failure to the API's exceptions. */
  public OrchestratorException translate(String what, RuntimeException e) {
    if (e instanceof OrchestratorException oe) {
      return oe;
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

  static OrchestratorException fromStatus(
      String what, int status, String message, Throwable cause) {
    if (message.contains("out of sequence")) {
      return new ConflictException(
          what
              + " failed: it was changed by someone else since it was read (engine: "
              + message
              + "); nothing was overwritten, plan again and retry",
          cause);
    }
    if (status == 409) {
      return new ConflictException(what + " failed: " + message, cause);
    }
    boolean retryable =
        status == 503 || message.contains("code = Unavailable") || message.contains("DeadlineEx");
    return new PlatformException(
        what + " failed (HTTP " + status + "): " + message, retryable, cause);
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
        // not JSON: fall through
      }
    }
    return text.trim();
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
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

  @Override
  public void close() {
    synchronized (streamLock) {
      closed = true;
      closeQuietly(streamDocker);
      closeQuietly(streamHttp);
      streamDocker = null;
      streamHttp = null;
    }
    closeQuietly(docker);
    closeQuietly(http);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("Closing {} failed", closeable, e);
    }
  }
}
