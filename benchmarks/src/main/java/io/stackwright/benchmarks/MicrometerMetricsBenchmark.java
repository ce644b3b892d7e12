package io.stackwright.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.micrometer.MicrometerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of Stackwright's meters in Micrometer: nanoseconds per recorded event (a counter
 * increment, a gauge set, a timer record on a known series, as core records them with a fresh tag
 * map each time) against Micrometer used directly in the same run (a held {@link Counter}, and a
 * {@code registry.counter(name, tags...)} lookup per event), and against core's {@link
 * InMemoryMetrics}; then the cost of one Prometheus scrape of a fleet of services with every meter
 * core records per service, against InMemoryMetrics' hand-written printer. Run it with {@code
 * scripts/bench-metrics-micrometer.sh [SERVICES] [ROUNDS]}.
 */
public final class MicrometerMetricsBenchmark {
  private static final int EVENTS = 2_000_000;
  private static volatile Object sink;

  private MicrometerMetricsBenchmark() {}

  public static void main(String[] args) {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    System.out.printf(
        "micrometer metrics benchmark: %,d events per measurement, median of 5; fleet of %d"
            + " services, median of %d scrapes%n",
        EVENTS, services, rounds);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetrics metrics = MicrometerMetrics.of(registry);
    InMemoryMetrics inMemory = new InMemoryMetrics();
    Counter held = registry.counter("bench.held", "stack", "shop", "service", "web");

    double heldNs = nsPerEvent(i -> held.increment());
    double lookupNs =
        nsPerEvent(
            i -> registry.counter("bench.lookup", "stack", "shop", "service", "web").increment());
    double countNs =
        nsPerEvent(
            i -> metrics.count("stackwright.replica.crashes", tags("shop", "web" + (i & 7)), 1));
    double gaugeNs =
        nsPerEvent(
            i -> metrics.gauge("stackwright.replicas.ready", tags("shop", "web" + (i & 7)), i));
    Duration took = Duration.ofMillis(3);
    double timerNs =
        nsPerEvent(
            i -> metrics.timing("stackwright.probe.duration", tags("shop", "web" + (i & 7)), took));
    double inMemoryNs =
        nsPerEvent(
            i -> inMemory.count("stackwright.replica.crashes", tags("shop", "web" + (i & 7)), 1));
    Map<String, String> withId = new LinkedHashMap<>(tags("shop", "web"));
    withId.put("container", "3f2a9c");
    double droppedNs = nsPerEvent(i -> metrics.count("stackwright.replica.crashes", withId, 1));

    System.out.printf("  Micrometer, held counter:               %6.1f ns/event%n", heldNs);
    System.out.printf("  Micrometer, registry.counter() lookup:  %6.1f ns/event%n", lookupNs);
    System.out.printf(
        "  MicrometerMetrics.count:                %6.1f ns/event (%.2fx the lookup)%n",
        countNs, countNs / lookupNs);
    System.out.printf("  MicrometerMetrics.gauge:                %6.1f ns/event%n", gaugeNs);
    System.out.printf("  MicrometerMetrics.timing:               %6.1f ns/event%n", timerNs);
    System.out.printf(
        "  MicrometerMetrics.count, a dropped tag: %6.1f ns/event (mapped again every time)%n",
        droppedNs);
    System.out.printf(
        "  InMemoryMetrics.count (core):           %6.1f ns/event (MicrometerMetrics %.2fx)%n",
        inMemoryNs, countNs / inMemoryNs);

    PrometheusMeterRegistry fleet = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetrics fleetMetrics = MicrometerMetrics.of(fleet);
    InMemoryMetrics fleetInMemory = new InMemoryMetrics();
    int stacks = Math.max(1, services / 5);
    for (int s = 0; s < services; s++) {
      record(fleetMetrics, "stack" + (s % stacks), "svc" + s);
      record(fleetInMemory, "stack" + (s % stacks), "svc" + s);
    }
    int series = fleet.scrape().lines().filter(l -> !l.startsWith("#")).toList().size();
    double micrometerMs = medianMs(rounds, () -> sink = fleet.scrape());
    double inMemoryMs = medianMs(rounds, () -> sink = fleetInMemory.prometheusText());
    System.out.printf(
        "  scrape of %d services (%,d samples, %,d bytes): Micrometer %.2f ms, InMemoryMetrics"
            + " %.2f ms (Micrometer %.2fx)%n",
        services,
        series,
        fleet.scrape().length(),
        micrometerMs,
        inMemoryMs,
        micrometerMs / inMemoryMs);
  }

  /** Every meter core records for one service (health, scaling, one rollout). */
  static void record(MetricsRecorder m, String stack, String service) {
    Map<String, String> t = tags(stack, service);
    m.gauge("stackwright.replicas.desired", t, 3);
    m.gauge("stackwright.replicas.running", t, 3);
    m.gauge("stackwright.replicas.ready", t, 3);
    m.gauge("stackwright.service.crash_looping", t, 0);
    for (String probe : List.of("liveness", "readiness")) {
      for (String outcome : List.of("passed", "failed")) {
        Map<String, String> p = new LinkedHashMap<>(t);
        p.put("probe", probe);
        p.put("outcome", outcome);
        m.count("stackwright.probe.results", p, 10);
      }
      Map<String, String> p = new LinkedHashMap<>(t);
      p.put("probe", probe);
      m.timing("stackwright.probe.duration", p, Duration.ofMillis(2));
    }
    m.count("stackwright.replica.crashes", t, 1);
    m.count("stackwright.replica.replacements", t, 1);
    m.count("stackwright.crash_loops", t, 0);
    for (String direction : List.of("ready", "unready")) {
      Map<String, String> d = new LinkedHashMap<>(t);
      d.put("direction", direction);
      m.count("stackwright.replica.readiness_changes", d, 1);
    }
    m.gauge("stackwright.autoscaler.desired.replicas", t, 3);
    m.gauge("stackwright.autoscaler.current.replicas", t, 3);
    m.gauge("stackwright.autoscaler.recommended.replicas", t, 3);
    Map<String, String> k = new LinkedHashMap<>(t);
    k.put("kind", "cpu");
    m.gauge("stackwright.autoscaler.metric.value", k, 42);
    m.timing("stackwright.autoscaler.round", t, Duration.ofMillis(5));
    Map<String, String> d = new LinkedHashMap<>(t);
    d.put("direction", "none");
    d.put("outcome", "kept");
    m.count("stackwright.autoscaler.decisions", d, 1);
  }

  private static Map<String, String> tags(String stack, String service) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("stack", stack);
    tags.put("service", service);
    return tags;
  }

  private interface Event {
    void record(int i);
  }

  private static double nsPerEvent(Event event) {
    for (int i = 0; i < EVENTS; i++) { // warm up
      event.record(i);
    }
    double[] runs = new double[5];
    for (int r = 0; r < runs.length; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < EVENTS; i++) {
        event.record(i);
      }
      runs[r] = (System.nanoTime() - start) / (double) EVENTS;
    }
    Arrays.sort(runs);
    return runs[runs.length / 2];
  }

  private static double medianMs(int rounds, Runnable scrape) {
    for (int i = 0; i < 10; i++) {
      scrape.run();
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      scrape.run();
      times.add((System.nanoTime() - start) / (double) TimeUnit.MILLISECONDS.toNanos(1));
    }
    times.sort(Double::compare);
    return times.get(times.size() / 2);
  }
}
