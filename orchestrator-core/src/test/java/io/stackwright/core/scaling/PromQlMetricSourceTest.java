package io.stackwright.core.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local HTTP server answering as Prometheus's /api/v1/query does. */
class PromQlMetricSourceTest {
  private HttpServer server;
  private volatile int status = 200;
  private volatile String body;
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hang;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/query",
        exchange -> {
          String raw = exchange.getRequestURI().getRawQuery();
          for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals("query")) {
              queries.add(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
          }
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          if (auth != null) {
            authorizations.add(auth);
          }
          if (hang) {
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private PromQlMetricSource source() {
    return PromQlMetricSource.builder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .timeout(Duration.ofMillis(500))
        .build();
  }

  private static String vector(String... samples) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + String.join(",", samples)
        + "]}}";
  }

  private static String sample(String labels, String value) {
    return "{\"metric\":{" + labels + "},\"value\":[1764620000.123,\"" + value + "\"]}";
  }

  @Test
  void sumsAVectorAndFillsInTheStackAndService() {
    body = vector(sample("\"instance\":\"a\"", "12.5"), sample("\"instance\":\"b\"", "7.5"));

    assertThat(
            source()
                .read(
                    "shop",
                    "web",
                    "sum by (instance) (rate(x{service=\"{service}\",stack=\"{stack}\"}[1m]))"))
        .hasValue(20.0);
    assertThat(queries)
        .containsExactly("sum by (instance) (rate(x{service=\"web\",stack=\"shop\"}[1m]))");
  }

  @Test
  void readsAScalar() {
    body =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1764620000,\"3\"]}}";

    assertThat(source().read("shop", "web", "scalar(vector(3))")).hasValue(3.0);
  }

  @Test
  void anEmptyResultOrNaNIsNotKnownNow() {
    body = vector();
    assertThat(source().read("shop", "web", "absent_series")).isEmpty();
    body = vector(sample("", "NaN"));
    assertThat(source().read("shop", "web", "0/0")).isEmpty();
  }

  @Test
  void givesAValuePerReplicaByALabel() {
    body =
        vector(
            sample("\"instance\":\"10.0.0.2:8080\"", "4"),
            sample("\"instance\":\"10.0.0.3:8080\"", "6"),
            sample("\"job\":\"other\"", "100"));

    assertThat(source().readByLabel("up", "instance"))
        .containsOnly(Map.entry("10.0.0.2:8080", 4.0), Map.entry("10.0.0.3:8080", 6.0));
  }

  @Test
  void aQueryPrometheusRefusesIsATypedErrorWithItsMessage() {
    status = 400;
    body =
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": 1:5: parse error: unexpected end of input\"}";

    assertThatThrownBy(() -> source().read("shop", "web", "sum("))
        .isInstanceOfSatisfying(
            PromQlException.class,
            e -> {
              assertThat(e.errorType()).isEqualTo("bad_data");
              assertThat(e.query()).isEqualTo("sum(");
              assertThat(e.getMessage()).contains("parse error", "sum(");
            });
  }

  @Test
  void aRangeVectorIsRefused() {
    body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";

    assertThatThrownBy(() -> source().read("shop", "web", "up[5m]"))
        .isInstanceOf(PromQlException.class)
        .hasMessageContaining("matrix");
  }

  @Test
  void somethingThatIsNotPrometheusIsABadResponse() {
    status = 502;
    body = "<html>bad gateway</html>";

    assertThatThrownBy(() -> source().read("shop", "web", "up"))
        .isInstanceOfSatisfying(
            PromQlException.class, e -> assertThat(e.errorType()).isEqualTo("bad_response"));
  }

  @Test
  void aSlowServerTimesOut() {
    hang = true;
    body = vector(sample("", "1"));

    assertThatThrownBy(() -> source().read("shop", "web", "up"))
        .isInstanceOfSatisfying(
            PromQlException.class, e -> assertThat(e.errorType()).isEqualTo("timeout"));
  }

  @Test
  void anUnreachableServerIsATypedErrorToo() {
    int port = server.getAddress().getPort();
    server.stop(0);
    PromQlMetricSource gone =
        PromQlMetricSource.builder(URI.create("http://127.0.0.1:" + port)).build();

    assertThatThrownBy(() -> gone.read("shop", "web", "up"))
        .isInstanceOfSatisfying(
            PromQlException.class, e -> assertThat(e.errorType()).isEqualTo("unreachable"));
  }

  @Test
  void sendsConfiguredHeadersWithoutLoggingThem() {
    body = vector(sample("", "1"));
    PromQlMetricSource secured =
        PromQlMetricSource.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .header("Authorization", "Bearer s3cret")
            .name("metrics-server")
            .build();

    assertThat(secured.read("shop", "web", "up")).hasValue(1.0);
    assertThat(authorizations).containsExactly("Bearer s3cret");
    assertThat(secured.name()).isEqualTo("metrics-server");
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> PromQlMetricSource.builder(URI.create("ftp://x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> PromQlMetricSource.builder(URI.create("http://x")).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
