package io.stackwright.api.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One probe: what it checks and how often, with Kubernetes' settings and defaults (no initial
 * delay, every 10 s, 1 s timeout, 3 failures to fail, 1 success to pass).
 *
 * @param check what is checked
 * @param initialDelay how long after the replica starts the first probe runs
 * @param period time between the starts of two probes
 * @param timeout how long one probe may take before it counts as failed
 * @param failureThreshold consecutive failures after which the probe has failed
 * @param successThreshold consecutive successes after which a failed probe passes again
 */
public record ProbeSpec(
    ProbeCheck check,
    Duration initialDelay,
    Duration period,
    Duration timeout,
    int failureThreshold,
    int successThreshold) {

  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final int DEFAULT_SUCCESS_THRESHOLD = 1;

  public ProbeSpec {
    Objects.requireNonNull(check, "check");
    initialDelay = Objects.requireNonNullElse(initialDelay, Duration.ZERO);
    period = Objects.requireNonNullElse(period, DEFAULT_PERIOD);
    timeout = Objects.requireNonNullElse(timeout, DEFAULT_TIMEOUT);
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initial delay cannot be negative, was " + initialDelay);
    }
    if (period.compareTo(Duration.ofMillis(10)) < 0) {
      throw new IllegalArgumentException("period must be at least 10ms, was " + period);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    if (failureThreshold < 1) {
      throw new IllegalArgumentException(
          "failure threshold must be 1 or more, was " + failureThreshold);
    }
    if (successThreshold < 1) {
      throw new IllegalArgumentException(
          "success threshold must be 1 or more, was " + successThreshold);
    }
  }

  /** An HTTP GET of {@code path} on {@code port}, passing on a status of 200..399. */
  public static Builder http(int port, String path) {
    return new Builder().http(port, path);
  }

  /** A TCP connect to {@code port}. */
  public static Builder tcp(int port) {
    return new Builder(new ProbeCheck.Tcp(port));
  }

  /** A command run in the container, passing on exit code 0. */
  public static Builder exec(String... command) {
    return new Builder(new ProbeCheck.Exec(List.of(command)));
  }

  /** The container's own HEALTHCHECK status. */
  public static Builder engine() {
    return new Builder(new ProbeCheck.Engine());
  }

  /** A probe of the {@link io.stackwright.api.spi.HealthProbe} named {@code name}. */
  public static Builder custom(String name, Map<String, String> settings) {
    return new Builder(new ProbeCheck.Custom(name, settings));
  }

  /** The time a failing replica takes to be declared failed: failureThreshold x period. */
  public Duration timeToFail() {
    return period.multipliedBy(failureThreshold);
  }

  /** Builds a {@link ProbeSpec}; the HTTP settings apply to HTTP probes only. */
  public static final class Builder {
    private ProbeCheck check;
    private boolean https;
    private String method = "GET";
    private int port;
    private String path;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int minStatus = 200;
    private int maxStatus = 399;
    private String bodyContains;
    private String bodyPattern;
    private Duration initialDelay = Duration.ZERO;
    private Duration period = DEFAULT_PERIOD;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
    private int successThreshold = DEFAULT_SUCCESS_THRESHOLD;

    private Builder() {}

    private Builder(ProbeCheck check) {
      this.check = check;
    }

    private Builder http(int port, String path) {
      this.port = port;
      this.path = path;
      return this;
    }

    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** The statuses that pass, both ends included. */
    public Builder expectStatus(int min, int max) {
      this.minStatus = min;
      this.maxStatus = max;
      return this;
    }

    public Builder bodyContains(String text) {
      this.bodyContains = text;
      return this;
    }

    /** A regular expression that must be found in the body. */
    public Builder bodyMatches(String regex) {
      this.bodyPattern = regex;
      return this;
    }

    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = initialDelay;
      return this;
    }

    public Builder period(Duration period) {
      this.period = period;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder failureThreshold(int failureThreshold) {
      this.failureThreshold = failureThreshold;
      return this;
    }

    public Builder successThreshold(int successThreshold) {
      this.successThreshold = successThreshold;
      return this;
    }

    public ProbeSpec build() {
      ProbeCheck built =
          check != null
              ? check
              : new ProbeCheck.Http(
                  https,
                  method,
                  port,
                  path,
                  headers,
                  minStatus,
                  maxStatus,
                  bodyContains,
                  bodyPattern);
      return new ProbeSpec(
          built, initialDelay, period, timeout, failureThreshold, successThreshold);
    }
  }
}
