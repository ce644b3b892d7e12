package io.stackwright.core.health.internal;

import io.stackwright.api.health.ProbeCheck;
import io.stackwright.api.health.ProbeResult;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.spi.HealthProbe;
import io.stackwright.api.spi.ProbeTarget;
import io.stackwright.api.state.HealthStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Runs one check against one replica without blocking the calling thread: HTTP through the JDK's
 * asynchronous client (connections kept alive between probes), TCP through an asynchronous socket
 * channel, commands on the blocking executor, custom probes as their stages. Every check ends
 * within its timeout: a check still running then is a failure.
 */
public final class ProbeRunner implements AutoCloseable {
  private final ScheduledExecutorService scheduler;
  private final Executor blocking;
  private final Map<String, HealthProbe> customProbes;
  // Made at the first HTTP(S) probe, not here: every orchestrator has a probe runner, most
  // commands of a short-lived process (the CLI's status, plan, an unchanged deploy) probe nothing,
  // and an HttpClient costs a TLS context and a selector thread parked in native code, which
  // holds up a JVM's exit by 300 ms (HotSpot waits for threads in native before it exits).
  private HttpClient http; // guarded by this
  private HttpClient https; // guarded by this

  public ProbeRunner(
      ScheduledExecutorService scheduler,
      Executor blocking,
      Map<String, HealthProbe> customProbes) {
    this.scheduler = scheduler;
    this.blocking = blocking;
    this.customProbes = Map.copyOf(customProbes);
  }

  /** The client for plain or TLS probes, built at its first use. */
  private synchronized HttpClient client(boolean tls) {
    if (tls) {
      if (https == null) {
        https = clientBuilder().sslContext(trustingContext()).build();
      }
      return https;
    }
    if (http == null) {
      http = clientBuilder().build();
    }
    return http;
  }

  private HttpClient.Builder clientBuilder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(scheduler);
  }

  /**
   * Runs {@code check}; never completes exceptionally (failures are failed results).
   *
   * @param engineHealth the replica's HEALTHCHECK status, for {@link ProbeCheck.Engine}
   */
  public CompletableFuture<ProbeResult> run(
      ProbeCheck check, ProbeTarget target, HealthStatus engineHealth, Duration timeout) {
    CompletableFuture<ProbeResult> result;
    try {
      if (check instanceof ProbeCheck.Http h) {
        result = http(h, target, timeout);
      } else if (check instanceof ProbeCheck.Tcp t) {
        result = tcp(t, target, timeout);
      } else if (check instanceof ProbeCheck.Exec e) {
        result = exec(e, target, timeout);
      } else if (check instanceof ProbeCheck.Custom c) {
        result = custom(c, target, timeout);
      } else {
        result = CompletableFuture.completedFuture(engine(engineHealth));
      }
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .orTimeout(timeout.toMillis() + 50, TimeUnit.MILLISECONDS)
        .exceptionally(ProbeRunner::failure);
  }

  private static ProbeResult failure(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
      return ProbeResult.failed("timed out");
    }
    String message = cause.getMessage();
    return ProbeResult.failed(
        cause.getClass().getSimpleName() + (message == null ? "" : ": " + message));
  }

  static ProbeResult engine(HealthStatus health) {
    return switch (health) {
      case HEALTHY -> ProbeResult.passed("engine: healthy");
      case UNHEALTHY -> ProbeResult.failed("engine: unhealthy");
      case STARTING -> ProbeResult.failed("engine: starting");
      case NONE -> ProbeResult.failed("engine: the container has no HEALTHCHECK");
    };
  }

  private CompletableFuture<ProbeResult> http(
      ProbeCheck.Http check, ProbeTarget target, Duration timeout) {
    String address = target.address();
    String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    URI uri =
        URI.create(
            (check.https() ? "https://" : "http://") + host + ":" + check.port() + check.path());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .method(check.method(), HttpRequest.BodyPublishers.noBody());
    check.headers().forEach(request::header);
    boolean needsBody = check.bodyContains() != null || check.bodyPattern() != null;
    HttpClient client = client(check.https());
    if (!needsBody) {
      return client
          .sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
          .thenApply(r -> status(check, r.statusCode()));
    }
    return client
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              ProbeResult status = status(check, r.statusCode());
              if (!status.passed()) {
                return status;
              }
              String body = r.body();
              if (check.bodyContains() != null && !body.contains(check.bodyContains())) {
                return ProbeResult.failed(
                    "HTTP " + r.statusCode() + ", body lacks the expected text");
              }
              if (check.bodyPattern() != null
                  && !Pattern.compile(check.bodyPattern()).matcher(body).find()) {
                return ProbeResult.failed(
                    "HTTP " + r.statusCode() + ", body does not match the expected pattern");
              }
              return status;
            });
  }

  private static ProbeResult status(ProbeCheck.Http check, int status) {
    boolean passed = status >= check.minStatus() && status <= check.maxStatus();
    return new ProbeResult(passed, "HTTP " + status);
  }

  private CompletableFuture<ProbeResult> tcp(
      ProbeCheck.Tcp check, ProbeTarget target, Duration timeout) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    channel.connect(
        new InetSocketAddress(target.address(), check.port()),
        null,
        new CompletionHandler<Void, Void>() {
          @Override
          public void completed(Void ignored, Void attachment) {
            result.complete(ProbeResult.passed("connected to port " + check.port()));
          }

          @Override
          public void failed(Throwable error, Void attachment) {
            result.complete(failure(error));
          }
        });
    scheduler.schedule(
        () -> result.complete(ProbeResult.failed("timed out")),
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    return result.whenComplete((r, e) -> closeQuietly(channel));
  }

  private CompletableFuture<ProbeResult> exec(
      ProbeCheck.Exec check, ProbeTarget target, Duration timeout) {
    return CompletableFuture.supplyAsync(
        () -> {
          ExecResult run =
              target.platform().exec(target.stack(), target.replica(), check.command(), timeout);
          if (run.timedOut()) {
            return ProbeResult.failed("timed out");
          }
          String output = run.output().strip();
          if (output.length() > 200) {
            output = output.substring(0, 200);
          }
          return new ProbeResult(
              run.exitCode() == 0,
              "exit code " + run.exitCode() + (output.isEmpty() ? "" : ": " + output));
        },
        blocking);
  }

  private CompletableFuture<ProbeResult> custom(
      ProbeCheck.Custom check, ProbeTarget target, Duration timeout) {
    HealthProbe probe = customProbes.get(check.name());
    if (probe == null) {
      return CompletableFuture.completedFuture(
          ProbeResult.failed(
              "no HealthProbe named '"
                  + check.name()
                  + "' is registered (known: "
                  + customProbes.keySet()
                  + ")"));
    }
    return probe.probe(target, check.settings(), timeout).toCompletableFuture();
  }

  private static void closeQuietly(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // the probe's verdict is already made
    }
  }

  /**
   * Trusts any certificate and any host name: as in Kubernetes, an HTTPS probe checks that the
   * replica answers, not who it is (replicas often serve self-signed certificates, and their
   * addresses are not in them).
   */
  private static SSLContext trustingContext() {
    TrustManager trustAll =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

          @Override
          public void checkClientTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public void checkServerTrusted(
              X509Certificate[] chain, String authType, SSLEngine engine) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JDK", e);
    }
  }

  @Override
  public void close() {
    // HttpClient has no close() before Java 21; its threads end once it is unreachable.
  }
}
