package io.stackwright.core.scaling.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.Metric;
import io.stackwright.api.scaling.PrometheusMetric;
import io.stackwright.api.scaling.ResourceMetric;
import io.stackwright.api.spi.MetricSource;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.state.TaskState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures one service's metrics for one decision. Usage and scrapes of all replicas run in
 * parallel on the executor, each at most once per round whatever the number of metrics reading
 * them. CPU is a rate, so a replica's first round gives it no CPU value (a missing metric, which
 * the algorithm treats conservatively).
 */
public final class MetricCollector {
  private static final Logger LOG = LoggerFactory.getLogger(MetricCollector.class);
  static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

  private final Platform platform;
  private final String stack;
  private final ServiceSpec service;
  private final Map<String, MetricSource> sources;
  private final ExecutorService executor;
  private final Clock clock;
  private final HttpClient http;
  private final CounterRates cpuRates = new CounterRates();
  private final CounterRates counterRates = new CounterRates();

  public MetricCollector(
      Platform platform,
      String stack,
      ServiceSpec service,
      Map<String, MetricSource> sources,
      ExecutorService executor,
      Clock clock) {
    this.platform = platform;
    this.stack = stack;
    this.service = service;
    this.sources = sources;
    this.executor = executor;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(SCRAPE_TIMEOUT).executor(executor).build();
  }

  /** One round: the observation of each metric, in the order asked. */
  public Map<Metric, Observation> collect(
      List<Metric> metrics, List<TaskState> replicas, int current) {
    boolean usage = metrics.stream().anyMatch(m -> m instanceof ResourceMetric);
    Set<String> endpoints = new HashSet<>();
    for (Metric m : metrics) {
      if (m instanceof PrometheusMetric p) {
        endpoints.add(p.port() + p.path());
      }
    }
    Map<String, CompletableFuture<ResourceUsage>> usages = new HashMap<>();
    Map<String, CompletableFuture<String>> scrapes = new HashMap<>();
    for (TaskState t : replicas) {
      if (usage) {
        usages.put(t.id(), CompletableFuture.supplyAsync(() -> platform.usage(stack, t), executor));
      }
      for (String endpoint : endpoints) {
        scrapes.put(t.id() + " " + endpoint, scrape(t, endpoint));
      }
    }
    Map<Metric, Observation> out = new java.util.LinkedHashMap<>();
    Set<String> keys = new HashSet<>();
    for (Metric m : metrics) {
      out.put(m, observe(m, replicas, current, usages, scrapes, keys));
    }
    cpuRates.retain(keys);
    counterRates.retain(keys);
    return out;
  }

  private Observation observe(
      Metric metric,
      List<TaskState> replicas,
      int current,
      Map<String, CompletableFuture<ResourceUsage>> usages,
      Map<String, CompletableFuture<String>> scrapes,
      Set<String> keys) {
    if (metric instanceof CustomMetric c) {
      MetricSource source = sources.get(c.source());
      OptionalDouble value;
      try {
        value = source.read(stack, service.name(), c.name());
      } catch (RuntimeException e) {
        LOG.warn("Metric source {} failed to read {}: {}", c.source(), c.name(), e.toString());
        value = OptionalDouble.empty();
      }
      return value.isPresent()
          ? new Observation.ServiceTotal(value.getAsDouble())
          : new Observation.Unavailable(c.describe() + " has no value now");
    }
    List<ReplicaSample> samples = new ArrayList<>();
    for (TaskState t : replicas) {
      Double value = null;
      if (metric instanceof ResourceMetric r) {
        ResourceUsage u = join(usages.get(t.id()), "usage of " + t.id());
        if (u != null) {
          String key = "cpu " + t.id();
          keys.add(key);
          value =
              r.resource() == ResourceMetric.Resource.CPU ? cpuPercent(key, u) : memoryPercent(u);
        }
      } else if (metric instanceof PrometheusMetric p) {
        String text = join(scrapes.get(t.id() + " " + p.port() + p.path()), "scrape of " + t.id());
        OptionalDouble sum =
            text == null ? OptionalDouble.empty() : PrometheusText.sum(text, p.name(), p.labels());
        if (sum.isPresent()) {
          if (p.kind() == PrometheusMetric.Kind.GAUGE) {
            value = sum.getAsDouble();
          } else {
            String key = p.describe() + " " + t.id();
            keys.add(key);
            value = counterRates.update(key, clock.instant(), sum.getAsDouble());
          }
        }
      }
      samples.add(new ReplicaSample(t.id(), t.isReady(), value));
    }
    return new Observation.PerReplica(samples);
  }

  private Double cpuPercent(String key, ResourceUsage u) {
    Double nanosPerSecond = cpuRates.update(key, u.readAt(), u.cpuNanos());
    if (nanosPerSecond == null) {
      return null;
    }
    return nanosPerSecond / cpuBase(service) * 100;
  }

  private Double memoryPercent(ResourceUsage u) {
    long base = memoryBase(service);
    return base == 0 ? null : 100.0 * u.memoryBytes() / base;
  }

  /** What 100% CPU is, in CPU nanoseconds per second: reservation, limit, else one core. */
  public static double cpuBase(ServiceSpec service) {
    long reserved = service.resources().reservations().nanoCpus();
    long limit = service.resources().limits().nanoCpus();
    return reserved > 0 ? reserved : limit > 0 ? limit : 1_000_000_000d;
  }

  /** What 100% memory is, in bytes: reservation, else limit, else 0 (not measurable). */
  public static long memoryBase(ServiceSpec service) {
    long reserved = service.resources().reservations().memoryBytes();
    return reserved > 0 ? reserved : service.resources().limits().memoryBytes();
  }

  private CompletableFuture<String> scrape(TaskState t, String endpoint) {
    Optional<String> address;
    try {
      address = platform.replicaAddress(stack, t);
    } catch (RuntimeException e) {
      address = Optional.empty();
    }
    if (address.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    URI uri = URI.create("http://" + address.get() + ":" + endpoint);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(SCRAPE_TIMEOUT).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> r.statusCode() == 200 ? r.body() : null);
  }

  private static <T> T join(CompletableFuture<T> future, String what) {
    if (future == null) {
      return null;
    }
    try {
      return future.join();
    } catch (RuntimeException e) {
      LOG.debug("{} failed: {}", what, e.toString());
      return null;
    }
  }
}
