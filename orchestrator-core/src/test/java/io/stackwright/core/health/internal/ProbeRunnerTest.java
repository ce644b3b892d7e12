package io.stackwright.core.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.health.ProbeCheck;
import io.stackwright.api.health.ProbeResult;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.spi.HealthProbe;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.ProbeTarget;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.TaskState;
import io.stackwright.testing.InMemoryPlatform;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeRunnerTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private HttpServer server;
  private ProbeRunner runner;

  /** Commands run in replicas: {@code ok} exits 0, anything else exits 2 saying "broken". */
  private final InMemoryPlatform platform =
      InMemoryPlatform.builder()
          .exec(
              (stack, replica, command) ->
                  command.get(0).equals("ok")
                      ? new ExecResult(0, "", false)
                      : new ExecResult(2, "broken\n", false))
          .build();

  private final TaskState task = runningReplica();

  private TaskState runningReplica() {
    StackSpec stack =
        StackSpec.builder("s").service(ServiceSpec.builder("web", "img").build()).build();
    platform.apply(stack, platform.plan(stack), event -> {});
    return platform.status("s").service("web").orElseThrow().currentTasks().get(0);
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok", e -> answer(e, 200, "status: ok v2"));
    server.createContext(
        "/slow",
        e -> {
          try {
            Thread.sleep(2000);
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
          answer(e, 200, "late");
        });
    server.createContext(
        "/header",
        e -> answer(e, "yes".equals(e.getRequestHeaders().getFirst("X-Probe")) ? 204 : 401, ""));
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    HealthProbe custom =
        new HealthProbe() {
          @Override
          public String name() {
            return "always";
          }

          @Override
          public CompletableFuture<ProbeResult> probe(
              ProbeTarget target, Map<String, String> settings, Duration timeout) {
            return CompletableFuture.completedFuture(ProbeResult.passed(settings.get("say")));
          }
        };
    runner = new ProbeRunner(scheduler, Executors.newCachedThreadPool(), Map.of("always", custom));
  }

  private static void answer(com.sun.net.httpserver.HttpExchange e, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    e.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      e.getResponseBody().write(bytes);
    }
    e.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    scheduler.shutdownNow();
  }

  private ProbeResult run(ProbeCheck check, Platform platform) {
    return runner
        .run(
            check,
            new ProbeTarget("s", task, "127.0.0.1", platform == null ? this.platform : platform),
            task.health(),
            TIMEOUT)
        .join();
  }

  private ProbeCheck http(String path) {
    return ProbeSpec.http(server.getAddress().getPort(), path).build().check();
  }

  @Test
  void httpChecksStatusBodyAndHeaders() {
    int port = server.getAddress().getPort();
    assertThat(run(http("/ok"), null)).isEqualTo(ProbeResult.passed("HTTP 200"));
    assertThat(run(http("/missing"), null)).isEqualTo(ProbeResult.failed("HTTP 404"));
    assertThat(
            run(ProbeSpec.http(port, "/ok").bodyContains("ok v2").build().check(), null).passed())
        .isTrue();
    assertThat(run(ProbeSpec.http(port, "/ok").bodyContains("v3").build().check(), null).detail())
        .contains("lacks the expected text");
    assertThat(run(ProbeSpec.http(port, "/ok").bodyMatches("v\\d").build().check(), null).passed())
        .isTrue();
    assertThat(run(ProbeSpec.http(port, "/ok").bodyMatches("^v").build().check(), null).passed())
        .isFalse();
    assertThat(
            run(ProbeSpec.http(port, "/ok").expectStatus(201, 299).build().check(), null).passed())
        .isFalse();
    assertThat(
            run(ProbeSpec.http(port, "/header").header("X-Probe", "yes").build().check(), null)
                .passed())
        .isTrue();
    assertThat(run(ProbeSpec.http(port, "/slow").build().check(), null))
        .isEqualTo(ProbeResult.failed("timed out"));
  }

  @Test
  void tcpPassesOnAnOpenPortAndFailsOnAClosedOne() throws IOException {
    assertThat(run(new ProbeCheck.Tcp(server.getAddress().getPort()), null).passed()).isTrue();
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThat(run(new ProbeCheck.Tcp(closed), null).passed()).isFalse();
  }

  @Test
  void execEngineAndCustomChecks() {
    assertThat(run(new ProbeCheck.Exec(List.of("ok")), null))
        .isEqualTo(ProbeResult.passed("exit code 0"));
    assertThat(run(new ProbeCheck.Exec(List.of("fail")), null))
        .isEqualTo(ProbeResult.failed("exit code 2: broken"));
    assertThat(run(new ProbeCheck.Engine(), null).detail()).contains("no HEALTHCHECK");
    assertThat(ProbeRunner.engine(HealthStatus.HEALTHY).passed()).isTrue();
    assertThat(run(new ProbeCheck.Custom("always", Map.of("say", "hi")), null))
        .isEqualTo(ProbeResult.passed("hi"));
    assertThat(run(new ProbeCheck.Custom("nope", Map.of()), null).detail())
        .contains("no HealthProbe named 'nope'");
  }
}
