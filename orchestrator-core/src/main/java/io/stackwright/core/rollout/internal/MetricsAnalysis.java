package io.stackwright.core.rollout.internal;

import io.stackwright.api.rollout.CanaryAnalysis;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A canary's metric thresholds, read from the Prometheus text endpoint of each canary replica
 * (through {@link Platform#replicaAddress}). The error rate is taken over the current step: the
 * counters read when the step began are the baseline (per replica, so a replica that restarted or
 * joined later counts from zero).
 */
public final class MetricsAnalysis {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsAnalysis.class);
  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

  private final Platform platform;
  private final CanaryAnalysis analysis;
  private final String stack;
  private final String service;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).build();
  private final Map<String, double[]> baseline = new HashMap<>();

  public MetricsAnalysis(Platform platform, CanaryAnalysis analysis, String stack, String service) {
    this.platform = platform;
    this.analysis = analysis;
    this.stack = stack;
    this.service = service;
  }

  /** Starts a step: the counters read now are what the step's rates are measured against. */
  public void beginStep() {
    baseline.clear();
    baseline.putAll(read(platform.status(stack)).counters());
  }

  /** Why the canary fails its thresholds in {@code state}, or empty. */
  public Optional<String> problem(StackState state) {
    Reading now = read(state);
    double requests = 0;
    double errors = 0;
    for (Map.Entry<String, double[]> replica : now.counters().entrySet()) {
      double[] before = baseline.getOrDefault(replica.getKey(), new double[] {0, 0});
      double[] after = replica.getValue();
      boolean restarted = after[0] < before[0] || after[1] < before[1];
      requests += restarted ? after[0] : after[0] - before[0];
      errors += restarted ? after[1] : after[1] - before[1];
    }
    if (analysis.checksErrorRate() && requests > 0 && errors / requests > analysis.maxErrorRate()) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "error rate %.3f (%d of %d requests) above %.3f",
              errors / requests,
              (long) errors,
              (long) requests,
              analysis.maxErrorRate()));
    }
    if (analysis.maxLatency() != null
        && now.latencySeconds() > analysis.maxLatency().toNanos() / 1e9) {
      return Optional.of(
          String.format(
              Locale.ROOT,
              "%s %.3f s above %s",
              analysis.latencyMetric(),
              now.latencySeconds(),
              analysis.maxLatency()));
    }
    return Optional.empty();
  }

  private record Reading(Map<String, double[]> counters, double latencySeconds) {}

  private Reading read(StackState state) {
    Map<String, double[]> counters = new HashMap<>();
    double latency = 0;
    Optional<ServiceState> canary = state.service(service);
    if (canary.isEmpty()) {
      return new Reading(counters, latency);
    }
    for (TaskState replica : canary.get().currentTasks()) {
      Optional<String> address = platform.replicaAddress(stack, replica);
      if (address.isEmpty()) {
        continue;
      }
      Optional<String> text = scrape(address.get());
      if (text.isEmpty()) {
        continue;
      }
      counters.put(
          replica.id(),
          new double[] {
            sum(text.get(), analysis.requestsMetric()), sum(text.get(), analysis.errorsMetric())
          });
      if (analysis.latencyMetric() != null) {
        latency = Math.max(latency, sum(text.get(), analysis.latencyMetric()));
      }
    }
    return new Reading(counters, latency);
  }

  private Optional<String> scrape(String address) {
    String host = address.contains(":") ? "[" + address + "]" : address;
    URI uri = URI.create("http://" + host + ":" + analysis.metricsPort() + analysis.metricsPath());
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(SCRAPE_TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      LOG.debug("Cannot read {}: {}", uri, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The sum of every sample of {@code metric} (any labels) in Prometheus text format. */
  static double sum(String text, String metric) {
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(metric)) {
        continue;
      }
      String rest = line.substring(metric.length());
      if (!rest.startsWith(" ") && !rest.startsWith("{")) {
        continue; // another metric whose name starts the same
      }
      int end = rest.startsWith("{") ? rest.indexOf('}') + 1 : 0;
      String[] parts = rest.substring(end).trim().split("\\s+");
      try {
        total += Double.parseDouble(parts[0]);
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        // not a sample line
      }
    }
    return total;
  }
}
