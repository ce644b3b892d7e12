package io.stackwright.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.health.Alert;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookAlertSinkTest {
  private static final Alert ALERT =
      new Alert(
          Instant.parse("2026-01-01T00:00:00Z"),
          Alert.Severity.CRITICAL,
          "crash_loop",
          "shop",
          "web",
          "web crashed 5 times",
          Map.of("failures", "5"));

  private HttpServer server;
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> signatures = new CopyOnWriteArrayList<>();
  private volatile long delayMillis;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          signatures.add(exchange.getRequestHeaders().getFirst(WebhookAlertSink.SIGNATURE_HEADER));
          try {
            Thread.sleep(delayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          Integer status = answers.poll();
          exchange.sendResponseHeaders(status == null ? 200 : status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private WebhookAlertSink.Builder sink() {
    return WebhookAlertSink.builder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"))
        .retries(3, Duration.ofMillis(10))
        .timeout(Duration.ofMillis(500));
  }

  @Test
  void postsJsonSignedWithHmacSha256AndNeverTheSecret() {
    byte[] secret = "s3cret-value".getBytes(StandardCharsets.UTF_8);
    sink().signingSecret(secret).build().send(ALERT);
    assertThat(bodies)
        .singleElement()
        .satisfies(
            body -> {
              assertThat(body)
                  .isEqualTo(
                      "{\"kind\":\"crash_loop\",\"severity\":\"CRITICAL\",\"stack\":\"shop\",\"service\":\"web\","
                          + "\"summary\":\"web crashed 5 times\",\"at\":\"2026-01-01T00:00:00Z\",\"details\":{\"failures\":\"5\"}}");
              assertThat(body).doesNotContain("s3cret");
            });
    // the receiver's check: HMAC of the exact body with the shared secret
    assertThat(signatures.get(0))
        .isEqualTo(
            "sha256="
                + WebhookAlertSink.sign(secret, bodies.get(0).getBytes(StandardCharsets.UTF_8)));
    assertThat(
            WebhookAlertSink.sign(
                "key".getBytes(StandardCharsets.UTF_8),
                "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"); // RFC test vector
    // (Wikipedia)
    assertThat(sink().signingSecret(secret).build().toString()).doesNotContain("s3cret");
  }

  @Test
  void serverErrorsAndTimeoutsAreRetriedWithBackoff() {
    answers.add(503);
    answers.add(500);
    answers.add(429);
    sink().build().send(ALERT);
    assertThat(bodies).hasSize(4);
  }

  @Test
  void aClientErrorFailsAtOnceAndExhaustedRetriesFailWithTheReason() {
    answers.add(400);
    assertThatThrownBy(() -> sink().build().send(ALERT))
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("(attempts: 1): HTTP 400");
    assertThat(bodies).hasSize(1);

    bodies.clear();
    delayMillis = 1000;
    assertThatThrownBy(
            () ->
                sink()
                    .retries(1, Duration.ofMillis(10))
                    .timeout(Duration.ofMillis(200))
                    .build()
                    .send(ALERT))
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("(attempts: 2)")
        .hasMessageContaining("Timeout");
  }
}
