package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.PlatformException;
import io.stackwright.api.PlatformTimeoutException;
import io.stackwright.api.spi.PlatformContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deadlines against a local server that accepts connections and then never answers (no engine
 * needed): on a unix socket, where docker-java's response timeout alone is ignored, and on TCP.
 */
class EngineDeadlineTest {
  private static final Duration DEADLINE = Duration.ofMillis(700);

  /** Far above the deadline: the bound is that the call ends, not how fast it fails. */
  private static final Duration ENDS_WITHIN = Duration.ofSeconds(10);

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    executor.shutdownNow();
  }

  @Test
  void aUnixSocketThatNeverAnswersFailsWithinTheDeadline() throws Exception {
    Path socket = dir.resolve("silent.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    open.add(server);
    executor.submit(() -> acceptAndStaySilent(server));
    try (Engine engine = engine("unix://" + socket)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> engine.get("listing containers", "/containers/json"))
          .isInstanceOf(PlatformTimeoutException.class)
          .satisfies(e -> assertThat(((PlatformException) e).retryable()).isTrue())
          .satisfies(e -> assertThat(((PlatformTimeoutException) e).deadline()).isEqualTo(DEADLINE))
          .hasMessageStartingWith("listing containers failed: the Docker engine at unix://")
          .hasMessageContaining("did not answer within 700 ms")
          .hasMessageContaining("docker info")
          .hasMessageContaining(EngineSettings.RESPONSE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ENDS_WITHIN);
      assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt").isFalse();
      // docker-java's typed commands go through the same transport
      assertThatThrownBy(
              () -> engine.call("reading engine info", () -> engine.docker().infoCmd().exec()))
          .isInstanceOf(PlatformTimeoutException.class)
          .hasMessageContaining("reading engine info failed")
          .hasMessageContaining("did not answer within 700 ms");
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void aTcpEngineThatStopsInTheMiddleOfItsAnswerFailsWithinTheDeadline() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    open.add(server);
    executor.submit(() -> answerHalfAndStall(server));
    try (Engine engine = engine("tcp://127.0.0.1:" + server.getLocalPort())) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> engine.get("listing services", "/services"))
          .isInstanceOf(PlatformTimeoutException.class)
          .hasMessageContaining("did not answer within 700 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ENDS_WITHIN);
    }
  }

  @Test
  void aLongWaitHasItsOwnDeadline() throws Exception {
    Path socket = dir.resolve("slow.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    open.add(server);
    executor.submit(() -> acceptAndStaySilent(server));
    PlatformContext context =
        new PlatformContext(
            Clock.systemUTC(),
            executor,
            Map.of(
                PlatformContext.DOCKER_HOST, "unix://" + socket,
                EngineSettings.RESPONSE, "10s",
                EngineSettings.WAIT, "900ms"));
    try (Engine engine = Engine.connect(context)) {
      assertThatThrownBy(() -> engine.postLong("stopping container c", "/containers/c/stop", null))
          .isInstanceOf(PlatformTimeoutException.class)
          .hasMessageContaining("did not answer within 900 ms")
          .hasMessageContaining(EngineSettings.WAIT);
    }
  }

  @Test
  void aSocketTimeoutOfDockerJavasOwnIsATimeoutToo() {
    var e =
        EngineErrors.translate(
            "following the events",
            "tcp://10.0.0.1:2375",
            new RuntimeException(new SocketTimeoutException("Read timed out")),
            EngineSettings.DEFAULTS);
    assertThat(e)
        .isInstanceOf(PlatformTimeoutException.class)
        .hasMessageContaining("did not answer within 30 s");
    var connect =
        EngineErrors.translate(
            "listing services",
            "tcp://10.0.0.1:2375",
            new RuntimeException(new SocketTimeoutException("Connect timed out")),
            EngineSettings.DEFAULTS);
    assertThat(connect)
        .isInstanceOf(PlatformTimeoutException.class)
        .hasMessageContaining("did not accept a connection within 5 s")
        .hasMessageContaining(EngineSettings.CONNECT);
    assertThat(((PlatformException) connect).retryable()).isTrue();
  }

  private Engine engine(String host) {
    return Engine.connect(
        new PlatformContext(
            Clock.systemUTC(),
            executor,
            Map.of(PlatformContext.DOCKER_HOST, host, EngineSettings.RESPONSE, "700ms")));
  }

  /** Accepts every connection and reads what is sent, answering nothing. */
  private Void acceptAndStaySilent(ServerSocketChannel server) throws IOException {
    while (server.isOpen()) {
      SocketChannel client = server.accept();
      open.add(client);
      executor.submit(
          () -> {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (client.read(buffer) >= 0) {
              buffer.clear();
            }
            return null;
          });
    }
    return null;
  }

  /** Answers the headers and the start of a body, then stalls. */
  private Void answerHalfAndStall(ServerSocket server) throws IOException {
    while (!server.isClosed()) {
      Socket client = server.accept();
      open.add(client);
      executor.submit(
          () -> {
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[4096];
            in.read(buffer);
            OutputStream out = client.getOutputStream();
            out.write(
                ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.read(buffer) >= 0) {
              // stays silent
            }
            return null;
          });
    }
    return null;
  }
}
