package io.stackwright.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.PlatformContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one Docker engine, shared by both Docker adapters: docker-java's typed client
 * for the calls it models well, raw Engine API JSON requests for the rest (docker-java lacks label
 * updates of secrets and configs and does not model everything a container needs), and the
 * translation of every failure into one of the API's exceptions (see {@link EngineErrors}).
 *
 * <p>Three transports: a <em>bounded</em> one for ordinary calls, a <em>long</em> one for calls
 * that legitimately wait (stopping a container with a long grace period, removing one), and a
 * <em>stream</em> one for the {@code /events} stream and docker-java's attached streams.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  private final String host;
  private final EngineSettings settings;
  private final MetricsRecorder metrics;
  private final DockerClientConfig config;
  private final ScheduledThreadPoolExecutor watchdogs;
  private final DockerHttpClient http;
  private final DockerClient docker;
  private final Object lazyLock = new Object();
  private DockerHttpClient longHttp;
  private DockerHttpClient streamHttp;
  private DockerClient streamDocker;
  private volatile boolean closed;

  private Engine(String host, EngineSettings settings, MetricsRecorder metrics) {
    this.host = host;
    this.settings = settings;
    this.metrics = metrics;
    this.config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    // One small daemon thread per connection for the deadlines' watchdogs: they must fire even
    // when every thread of the host's executor is blocked on the engine they guard.
    this.watchdogs =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "stackwright-engine-deadlines");
              t.setDaemon(true);
              return t;
            });
    this.watchdogs.setRemoveOnCancelPolicy(true);
    this.http =
        new DeadlineTransport(
            transport(settings.response()),
            settings.response(),
            EngineSettings.RESPONSE,
            true,
            watchdogs,
            metrics);
    this.docker = DockerClientImpl.getInstance(config, http);
  }

  /**
   * A connection (made lazily: nothing is sent here) to the engine the context names, with the
   * deadlines its properties set ({@link EngineSettings}); every request is recorded in the
   * context's {@link MetricsRecorder} as {@code stackwright.engine.requests} (see {@link
   * DeadlineTransport}).
   */
  public static Engine connect(PlatformContext context) {
    return new Engine(resolveHost(context), EngineSettings.from(context), context.metrics());
  }

  /**
   * Like {@link #connect(PlatformContext)}, with a response deadline no longer than {@code
   * responseTimeout} (a quick availability probe).
   */
  public static Engine connect(PlatformContext context, Duration responseTimeout) {
    EngineSettings settings = EngineSettings.from(context);
    if (responseTimeout.compareTo(settings.response()) < 0) {
      settings = settings.withResponse(responseTimeout);
    }
    return new Engine(resolveHost(context), settings, context.metrics());
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
   * Whether the engine runs on this machine, so that its containers' bridge addresses and cgroup
   * files are this machine's: unix:// and npipe:// sockets, and tcp:// (or ssh://) to the loopback
   * address. A host that cannot be parsed is not local.
   */
  public static boolean isLocal(String host) {
    URI uri;
    try {
      uri = URI.create(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("unix") || scheme.equals("npipe")) {
      return true;
    }
    String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
  }

  /** The opposite of {@link #isLocal}: files this process writes are not the engine's files. */
  public static boolean isRemote(String host) {
    return !isLocal(host);
  }

  private SSLConfig sslConfig() {
    SSLConfig configured = config.getSSLConfig();
    if (configured == null && "unix".equals(config.getDockerHost().getScheme())) {
      return UnixSocketTls.INSTANCE;
    }
    return configured;
  }

  private DockerHttpClient transport(Duration responseTimeout) {
    ApacheDockerHttpClient.Builder builder =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(sslConfig())
            .maxConnections(64)
            .connectionTimeout(settings.connect());
    if (responseTimeout != null) {
      builder.responseTimeout(responseTimeout);
    }
    return builder.build();
  }

  private DockerHttpClient longTransport() {
    synchronized (lazyLock) {
      ensureOpen("a long engine call");
      if (longHttp == null) {
        longHttp =
            new DeadlineTransport(
                transport(settings.longWait()),
                settings.longWait(),
                EngineSettings.WAIT,
                true,
                watchdogs,
                metrics);
      }
      return longHttp;
    }
  }

  private DockerHttpClient streamTransport() {
    synchronized (lazyLock) {
      ensureOpen("following an engine stream");
      if (streamHttp == null) {
        // No socket timeout: an event stream is silent for as long as nothing happens.
        streamHttp =
            new DeadlineTransport(
                transport(null),
                settings.response(),
                EngineSettings.RESPONSE,
                false,
                watchdogs,
                metrics);
      }
      return streamHttp;
    }
  }

  private void ensureOpen(String what) {
    if (closed) {
      throw new PlatformException(
          what + " failed: the connection to the Docker engine at " + host + " is closed", false);
    }
  }

  public String host() {
    return host;
  }

  public EngineSettings settings() {
    return settings;
  }

  /** Runs {@code action} once after {@code delay} on the connection's timer (never blocking). */
  public ScheduledFuture<?> later(Duration delay, Runnable action) {
    return watchdogs.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** docker-java's typed client on the bounded transport. */
  public DockerClient docker() {
    return docker;
  }

  /** docker-java's typed client on the stream transport: for its attached streams only. */
  public DockerClient streaming() {
    synchronized (lazyLock) {
      DockerHttpClient transport = streamTransport();
      if (streamDocker == null) {
        streamDocker = DockerClientImpl.getInstance(config, transport);
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
  public String filters(Map<String, List<String>> filters) {
    try {
      return mapper().writeValueAsString(new LinkedHashMap<>(filters));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET; a 404 is an error; null when the answer has no body. */
  public JsonNode get(String what, String path) {
    return request(what, DockerHttpClient.Request.Method.GET, path, null, false).orElse(null);
  }

  /** GET of a list (services, tasks, secrets): its elements; none when the answer has no body. */
  public List<JsonNode> getList(String what, String path) {
    JsonNode answer = get(what, path);
    List<JsonNode> items = new java.util.ArrayList<>();
    if (answer != null) {
      answer.forEach(items::add);
    }
    return items;
  }

  /** GET; a 404 gives an empty result. */
  public Optional<JsonNode> find(String what, String path) {
    try {
      return request(what, DockerHttpClient.Request.Method.GET, path, null, false);
    } catch (EngineErrors.EngineNotFound e) {
      return Optional.empty();
    }
  }

  /**
   * POST with an optional JSON body; returns the answer, or null when it has none (or the engine
   * answered 304: already started, already stopped).
   */
  public JsonNode post(String what, String path, JsonNode body) {
    return request(what, DockerHttpClient.Request.Method.POST, path, body, false).orElse(null);
  }

  /**
   * POST of a body that holds a secret's or a config's content. While the HTTP client's wire log is
   * enabled (it would print the body), the request goes over an unlogged socket of its own ({@link
   * QuietTransport}); otherwise like {@link #post}. Nothing here logs the body either.
   */
  public JsonNode postSensitive(String what, String path, JsonNode body) {
    if (!QuietTransport.wireLogged()) {
      return post(what, path, body);
    }
    try {
      return quiet(what, "POST", path, mapper().writeValueAsBytes(body));
    } catch (IOException e) {
      throw translate(what, new UncheckedIOException(e));
    }
  }

  /** GET of an answer that holds config data (the list of configs); see {@link #postSensitive}. */
  public JsonNode getSensitive(String what, String path) {
    if (!QuietTransport.wireLogged()) {
      return get(what, path);
    }
    return quiet(what, "GET", path, null);
  }

  private JsonNode quiet(String what, String method, String path, byte[] body) {
    ensureOpen(what);
    try {
      QuietTransport.Answer answer =
          QuietTransport.request(
              config.getDockerHost(),
              config.getSSLConfig() != null,
              method,
              path,
              body,
              settings.response(),
              this::later);
      if (answer.status() >= 300) {
        throw EngineErrors.fromStatus(
            what,
            answer.status(),
            EngineErrors.engineMessage(new String(answer.body(), StandardCharsets.UTF_8)),
            null);
      }
      return answer.body().length == 0 ? null : mapper().readTree(answer.body());
    } catch (IOException e) {
      throw translate(what, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  /** POST on the long transport (stop, wait). */
  public JsonNode postLong(String what, String path, JsonNode body) {
    return request(what, DockerHttpClient.Request.Method.POST, path, body, true).orElse(null);
  }

  /** DELETE on the long transport; returns false when the object was already gone (404). */
  public boolean delete(String what, String path) {
    try {
      request(what, DockerHttpClient.Request.Method.DELETE, path, null, true);
      return true;
    } catch (EngineErrors.EngineNotFound e) {
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
      response = streamTransport().execute(request);
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
    if (response.getStatusCode() >= 300) {
      String message = readMessage(response);
      closeQuietly(response);
      throw EngineErrors.fromStatus(what, response.getStatusCode(), message, null);
    }
    return response;
  }

  private Optional<JsonNode> request(
      String what,
      DockerHttpClient.Request.Method method,
      String path,
      JsonNode body,
      boolean long_) {
    DockerHttpClient.Request.Builder builder =
        DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) {
      try {
        builder
            .putHeader("Content-Type", "application/json")
            .bodyBytes(mapper().writeValueAsBytes(body));
      } catch (IOException e) {
        throw new PlatformException(what + " failed: cannot write the request", false, e);
      }
    } else if (method == DockerHttpClient.Request.Method.POST) {
      builder.putHeader("Content-Type", "application/json");
    }
    ensureOpen(what);
    DockerHttpClient transport = long_ ? longTransport() : http;
    try (DockerHttpClient.Response response = transport.execute(builder.build())) {
      int status = response.getStatusCode();
      if (status == 304) {
        return Optional.empty();
      }
      if (status >= 300) {
        throw EngineErrors.fromStatus(what, status, readMessage(response), null);
      }
      try (InputStream in = response.getBody()) {
        byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
        return bytes.length == 0 ? Optional.empty() : Optional.of(mapper().readTree(bytes));
      }
    } catch (IOException e) {
      throw translate(what, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  private static String readMessage(DockerHttpClient.Response response) {
    try (InputStream in = response.getBody()) {
      return in == null
          ? ""
          : EngineErrors.engineMessage(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return "(no message: " + e + ")";
    }
  }

  /** Maps an engine or transport failure to the API's exceptions; see {@link EngineErrors}. */
  public OrchestratorException translate(String what, RuntimeException e) {
    return EngineErrors.translate(what, host, e, settings);
  }

  public static void closeQuietly(AutoCloseable closeable) {
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
    synchronized (lazyLock) {
      closeQuietly(streamDocker);
      closeQuietly(streamHttp);
      closeQuietly(longHttp);
      streamDocker = null;
      streamHttp = null;
      longHttp = null;
    }
    closeQuietly(docker);
    closeQuietly(http);
    watchdogs.shutdownNow();
  }
}
