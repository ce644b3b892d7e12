package io.stackwright.it.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) started on a free local port with a
 * generated configuration: it scrapes the given targets every second, evaluates the given rule
 * files every second, and keeps its data in a temporary directory removed on {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {
  static final Path BINARY =
      Path.of(System.getProperty("stackwright.prometheus", "/usr/bin/prometheus"));
  static final Path PROMTOOL = BINARY.resolveSibling("promtool");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path dir;
  private final URI uri;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, Path dir, URI uri) {
    this.process = process;
    this.dir = dir;
    this.uri = uri;
  }

  /** Skips the calling test, with the reason, when Prometheus is not installed. */
  static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(BINARY),
        BINARY + " is missing: install Debian's prometheus package (scripts/dev-env.sh does)");
  }

  static PrometheusServer start(List<String> targets, List<Path> ruleFiles) throws IOException {
    assumeInstalled();
    Path dir = Files.createTempDirectory("mx-prometheus");
    int port = freePort();
    String config =
        "global:\n"
            + "  scrape_interval: 1s\n"
            + "  scrape_timeout: 1s\n"
            + "  evaluation_interval: 1s\n"
            + "rule_files:\n"
            + (ruleFiles.isEmpty()
                ? "  []\n"
                : ruleFiles.stream()
                    .map(p -> "  - '" + p.toAbsolutePath() + "'\n")
                    .collect(Collectors.joining()))
            + "scrape_configs:\n"
            + "  - job_name: stackwright\n"
            + "    static_configs:\n"
            + "      - targets: ["
            + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
            + "]\n";
    Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusServer server =
        new PrometheusServer(process, dir, URI.create("http://127.0.0.1:" + port + "/"));
    try {
      await("Prometheus ready")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(server::ready);
    } catch (RuntimeException | AssertionError e) {
      String log = server.log();
      server.close();
      throw new AssertionError("Prometheus did not start: " + log, e);
    }
    return server;
  }

  URI uri() {
    return uri;
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException("prometheus exited with " + process.exitValue());
    }
    try {
      return http.send(
                  HttpRequest.newBuilder(uri.resolve("-/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** GET {@code path} of the HTTP API ({@code api/v1/...}) as JSON, whatever its status. */
  JsonNode api(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The answer of an instant query: {@code status}, and {@code data} or {@code error}. */
  JsonNode instant(String promql) {
    return api("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** The result array of an instant query that must succeed. */
  JsonNode query(String promql) {
    JsonNode answer = instant(promql);
    assertThat(answer.path("status").asText())
        .as("PromQL %s: %s", promql, answer.path("error").asText())
        .isEqualTo("success");
    return answer.path("data").path("result");
  }

  /** The value of the single sample of {@code promql}, or NaN when it returns nothing. */
  double value(String promql) {
    JsonNode result = query(promql);
    if (result.isEmpty()) {
      return Double.NaN;
    }
    assertThat(result.size()).as("samples of %s: %s", promql, result).isEqualTo(1);
    return Double.parseDouble(result.get(0).path("value").path(1).asText());
  }

  /** Every metric name Prometheus holds. */
  List<String> names() {
    JsonNode data = api("api/v1/label/__name__/values").path("data");
    return Stream.iterate(0, i -> i < data.size(), i -> i + 1)
        .map(i -> data.get(i).asText())
        .toList();
  }

  /** The active alerts ({@code /api/v1/alerts}). */
  JsonNode alerts() {
    return api("api/v1/alerts").path("data").path("alerts");
  }

  /** The loaded rule groups ({@code /api/v1/rules}). */
  JsonNode ruleGroups() {
    return api("api/v1/rules").path("data").path("groups");
  }

  String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is not worth failing a test for
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The repository's root (where docs/ lives), from the module's working directory. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs/prometheus"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent directory holding docs/prometheus").isNotNull();
    return dir;
  }
}
