package io.stackwright.core.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.spi.MetricSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetricSource} that runs a PromQL query against a Prometheus server's HTTP API ({@code
 * GET /api/v1/query}), as KEDA's Prometheus scaler does: a service scales on any series Prometheus
 * has (request rate at the proxy, a queue's length, an error ratio).
 *
 * <p>The metric name of a {@link io.stackwright.api.scaling.CustomMetric} naming this source is the
 * query; {@code {stack}} and {@code {service}} in it are replaced by the stack and service scaled,
 * so one query serves every service. The value is the query's result for the whole service (a
 * scalar, or the sum of an instant vector's samples); the autoscaler divides it by the ready
 * replicas. An empty result or NaN is "not known now" and never scales down.
 *
 * <pre>{@code
 * Orchestrator.builder()
 *     .metricSource(PromQlMetricSource.builder(URI.create("http://prometheus:9090")).build())
 *
 * # stack.yml
 * x-stackwright:
 *   autoscaling:
 *     min_replicas: 1
 *     max_replicas: 10
 *     metrics:
 *       - custom:
 *           source: promql
 *           name: sum(rate(http_requests_total{service="{service}"}[1m]))
 *           target: 50          # requests per second per replica
 * }</pre>
 */
public final class PromQlMetricSource implements MetricSource {
  private static final Logger LOG = LoggerFactory.getLogger(PromQlMetricSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final URI server;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<String, String> headers;

  private PromQlMetricSource(Builder b) {
    this.name = b.name;
    this.server = b.server;
    this.timeout = b.timeout;
    this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.timeout).build();
    this.headers = Collections.unmodifiableMap(new TreeMap<>(b.headers));
  }

  /** A source querying the Prometheus server at {@code server} ({@code http://host:9090}). */
  public static Builder builder(URI server) {
    return new Builder(server);
  }

  @Override
  public String name() {
    return name;
  }

  /** The server queried. */
  public URI server() {
    return server;
  }

  @Override
  public OptionalDouble read(String stack, String service, String metric) {
    String query = metric.replace("{stack}", stack).replace("{service}", service);
    JsonNode data = query(query);
    double total = 0;
    boolean any = false;
    if ("scalar".equals(data.path("resultType").asText())) {
      total = number(query, data.path("result").path(1));
      any = true;
    } else {
      for (JsonNode series : vector(query, data)) {
        double value = number(query, series.path("value").path(1));
        if (!Double.isNaN(value)) {
          total += value;
          any = true;
        }
      }
    }
    if (!any || Double.isNaN(total)) {
      LOG.debug("PromQL query {} for {}/{} returned no value", query, stack, service);
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(total);
  }

  /**
   * The value of each series of {@code query}'s instant vector by the value of its {@code label} (a
   * value per replica when the label names the replica, e.g. {@code instance}); series without the
   * label are left out, series sharing a value are added.
   */
  public Map<String, Double> readByLabel(String query, String label) {
    Objects.requireNonNull(label, "label");
    Map<String, Double> values = new TreeMap<>();
    for (JsonNode series : vector(query, query(query))) {
      JsonNode key = series.path("metric").get(label);
      double value = number(query, series.path("value").path(1));
      if (key != null && !Double.isNaN(value)) {
        values.merge(key.asText(), value, Double::sum);
      }
    }
    return Collections.unmodifiableMap(values);
  }

  /** Runs {@code query} and returns its {@code data} object; throws {@link PromQlException}. */
  private JsonNode query(String query) {
    Objects.requireNonNull(query, "query");
    URI uri =
        server.resolve(
            "api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&timeout="
                + Math.max(1, timeout.toMillis())
                + "ms");
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new PromQlException(
          query, "timeout", "no answer from " + server + " within " + timeout, e);
    } catch (IOException e) {
      throw new PromQlException(query, "unreachable", server + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PromQlException(query, "interrupted", "interrupted while querying " + server, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new PromQlException(
          query,
          "bad_response",
          "HTTP "
              + response.statusCode()
              + " from "
              + uri.getHost()
              + " is not Prometheus's API JSON",
          e);
    }
    if (body == null || !"success".equals(body.path("status").asText())) {
      String type = body == null ? "bad_response" : body.path("errorType").asText("bad_response");
      String error =
          body == null ? "empty body" : body.path("error").asText("HTTP " + response.statusCode());
      throw new PromQlException(query, type, error, null);
    }
    return body.path("data");
  }

  private static Iterable<JsonNode> vector(String query, JsonNode data) {
    String type = data.path("resultType").asText();
    if (!"vector".equals(type)) {
      throw new PromQlException(
          query,
          "bad_data",
          "the query returns a " + type + "; a metric source needs an instant vector or a scalar",
          null);
    }
    return data.path("result");
  }

  private static double number(String query, JsonNode value) {
    String text = value.asText(null);
    if (text == null) {
      throw new PromQlException(query, "bad_response", "a sample without a value", null);
    }
    try {
      return Double.parseDouble(text.replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
    } catch (NumberFormatException e) {
      throw new PromQlException(query, "not_a_number", "sample value '" + text + "'", e);
    }
  }

  /** Configures a {@link PromQlMetricSource}. */
  public static final class Builder {
    private final URI server;
    private String name = "promql";
    private Duration timeout = Duration.ofSeconds(5);
    private HttpClient http;
    private final Map<String, String> headers = new TreeMap<>();

    private Builder(URI server) {
      Objects.requireNonNull(server, "server");
      if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme())) {
        throw new IllegalArgumentException(
            "Prometheus server must be an http(s) URI, not " + server);
      }
      String text = server.toString();
      this.server = URI.create(text.endsWith("/") ? text : text + "/");
    }

    /** The source name custom metrics refer to; {@code promql} by default. */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a metric source needs a name");
      }
      this.name = name;
      return this;
    }

    /** How long one query may take, on the wire and in Prometheus; 5 seconds by default. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, not " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * A header sent with every query (an {@code Authorization} for a secured Prometheus); header
     * values are never logged.
     */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The HTTP client to use (a host's proxy or TLS settings); one of its own by default. */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http, "http");
      return this;
    }

    public PromQlMetricSource build() {
      return new PromQlMetricSource(this);
    }
  }
}
