package io.stackwright.core.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.health.Alert;
import io.stackwright.api.spi.AlertSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each alert as JSON to a URL ({@code Content-Type: application/json}):
 *
 * <pre>{@code
 * {"kind":"crash_loop","severity":"CRITICAL","stack":"shop","service":"web",
 *  "summary":"...","at":"2026-01-01T00:00:00Z","details":{"failures":"5",...}}
 * }</pre>
 *
 * A request that times out, cannot connect, or gets a 5xx or 429 answer is retried with exponential
 * backoff; any other non-2xx answer fails at once. With a signing secret, the header {@code
 * X-Stackwright-Signature: sha256=<hex HMAC-SHA256 of the body>} lets the receiver check that the
 * alert is genuine (GitHub's webhook scheme). The secret is never logged or sent.
 */
public final class WebhookAlertSink implements AlertSink {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookAlertSink.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The header carrying the body's HMAC-SHA256 signature. */
  public static final String SIGNATURE_HEADER = "X-Stackwright-Signature";

  private final URI url;
  private final Duration timeout;
  private final int retries;
  private final Duration initialBackoff;
  private final byte[] secret;
  private final HttpClient client;

  private WebhookAlertSink(Builder builder) {
    this.url = builder.url;
    this.timeout = builder.timeout;
    this.retries = builder.retries;
    this.initialBackoff = builder.initialBackoff;
    this.secret = builder.secret;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public static Builder builder(URI url) {
    return new Builder(url);
  }

  @Override
  public String name() {
    return "webhook "
        + url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public void send(Alert alert) {
    byte[] body = body(alert);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (secret != null) {
      request.header(SIGNATURE_HEADER, "sha256=" + sign(secret, body));
    }
    Duration wait = initialBackoff;
    String last = "";
    int attempts = 0;
    for (int attempt = 0; attempt <= retries; attempt++) {
      attempts++;
      if (attempt > 0) {
        sleep(wait);
        wait = wait.multipliedBy(2);
      }
      try {
        HttpResponse<Void> response =
            client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return;
        }
        last = "HTTP " + status;
        if (status != 429 && status < 500) {
          break;
        }
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OrchestratorException(
            "posting alert " + alert.kind() + " to " + name() + " was interrupted", e);
      }
      LOG.debug("Alert {} to {} failed (attempt {}): {}", alert.kind(), name(), attempt + 1, last);
    }
    throw new OrchestratorException(
        "posting alert "
            + alert.kind()
            + " to "
            + name()
            + " failed (attempts: "
            + attempts
            + "): "
            + last);
  }

  static byte[] body(Alert alert) {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", alert.kind());
    node.put("severity", alert.severity().name());
    node.put("stack", alert.stack());
    node.put("service", alert.service());
    node.put("summary", alert.summary());
    node.put("at", alert.at().toString());
    ObjectNode details = node.putObject("details");
    alert.details().forEach(details::put);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The lower-case hex HMAC-SHA256 of {@code body} with {@code secret}. */
  public static String sign(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestratorException("interrupted while waiting to retry an alert", e);
    }
  }

  @Override
  public String toString() {
    return name() + (secret == null ? "" : " (signed)");
  }

  /** Configures a {@link WebhookAlertSink}: 5 s timeout, 3 retries from 500 ms, unsigned. */
  public static final class Builder {
    private final URI url;
    private Duration timeout = Duration.ofSeconds(5);
    private int retries = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private byte[] secret;

    private Builder(URI url) {
      this.url = Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException(
            "a webhook URL must be http or https, was " + url.getScheme());
      }
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Retries after the first attempt, waiting {@code initialBackoff}, then twice as long, ... */
    public Builder retries(int retries, Duration initialBackoff) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries cannot be negative, was " + retries);
      }
      this.retries = retries;
      this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    /** Signs each body with HMAC-SHA256 under this secret. */
    public Builder signingSecret(byte[] secret) {
      this.secret = secret.clone();
      return this;
    }

    public WebhookAlertSink build() {
      return new WebhookAlertSink(this);
    }
  }
}
