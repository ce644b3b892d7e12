package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.PlatformException;
import io.stackwright.api.PlatformTimeoutException;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.docker.internal.testing.RecordingMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every engine request is one timing in the platform's MetricsRecorder, by operation and outcome,
 * against a small HTTP server on a unix socket that answers the way an engine does.
 */
class EngineMetricsTest {
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private Engine engine;

  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    Path socket = dir.resolve("engine.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    open.add(server);
    executor.submit(() -> serve(server));
    engine =
        Engine.connect(
            new PlatformContext(
                Clock.systemUTC(),
                executor,
                Map.of(
                    PlatformContext.DOCKER_HOST, "unix://" + socket, EngineSettings.RESPONSE, "3s"),
                metrics));
  }

  @AfterEach
  void stop() throws Exception {
    engine.close();
    for (AutoCloseable c : open) {
      c.close();
    }
    executor.shutdownNow();
  }

  @Test
  void eachRequestIsOneTimingByOperationAndOutcome() {
    assertThat(engine.get("listing containers", "/containers/json?all=1").isArray()).isTrue();
    assertThat(engine.find("inspecting container gone", "/containers/gone/json")).isEmpty();
    assertThatThrownBy(
            () ->
                engine.post(
                    "updating service web",
                    "/services/k2x9q/update?version=3",
                    engine.mapper().createObjectNode()))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining("boom");
    assertThatThrownBy(
            () -> engine.call("reading engine info", () -> engine.docker().infoCmd().exec()))
        .isInstanceOf(PlatformTimeoutException.class);

    assertThat(metrics.timings())
        .extracting(RecordingMetrics.Timing::name)
        .containsOnly("stackwright.engine.requests");
    assertThat(metrics.timings())
        .extracting(RecordingMetrics.Timing::tags)
        .containsExactly(
            Map.of("operation", "container.list", "outcome", "success"),
            Map.of("operation", "container.inspect", "outcome", "success"),
            Map.of("operation", "service.update", "outcome", "error"),
            Map.of("operation", "engine.info", "outcome", "timeout"));
    assertThat(metrics.timings()).allSatisfy(t -> assertThat(t.duration()).isPositive());
    // the timeout's time is its deadline (a loaded machine answers slowly: 3 s leaves room)
    assertThat(metrics.timings().get(3).duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aFailingRecorderDoesNotFailTheCall() throws IOException {
    MetricsRecorder broken =
        new MetricsRecorder() {
          @Override
          public void count(String name, Map<String, String> tags, double amount) {}

          @Override
          public void gauge(String name, Map<String, String> tags, double value) {}

          @Override
          public void timing(String name, Map<String, String> tags, Duration duration) {
            throw new IllegalStateException("metrics backend down");
          }
        };
    try (Engine other =
        Engine.connect(
            new PlatformContext(
                Clock.systemUTC(),
                executor,
                Map.of(PlatformContext.DOCKER_HOST, engine.host()),
                broken))) {
      assertThat(other.get("listing containers", "/containers/json").isArray()).isTrue();
    }
  }

  /** Answers like an engine: a list, a 404, a 500, and nothing at all for /info. */
  private Void serve(ServerSocketChannel server) throws IOException {
    while (server.isOpen()) {
      SocketChannel client = server.accept();
      open.add(client);
      executor.submit(() -> answer(client));
    }
    return null;
  }

  private Void answer(SocketChannel client) throws IOException {
    String head = readHead(client);
    String path = head.split(" ", 3)[1];
    String response;
    if (path.startsWith("/containers/json")) {
      response = http(200, "OK", "[]");
    } else if (path.startsWith("/containers/gone/json")) {
      response = http(404, "Not Found", "{\"message\": \"No such container: gone\"}");
    } else if (path.contains("/update")) {
      response = http(500, "Internal Server Error", "{\"message\": \"boom\"}");
    } else {
      return null; // silent: the call must time out
    }
    client.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.UTF_8)));
    client.close();
    return null;
  }

  private static String http(int status, String reason, String body) {
    return "HTTP/1.1 "
        + status
        + " "
        + reason
        + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static String readHead(SocketChannel client) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      one.clear();
      if (client.read(one) < 0) {
        break;
      }
      head.write(one.array()[0]);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
