package io.stackwright.core.metrics;

import io.stackwright.api.spi.MetricsRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A {@link MetricsRecorder} that keeps every series in memory and prints them in the Prometheus
 * text format ({@link #prometheusText()}): for tests, the CLI, and host applications without a
 * metrics library. Dotted names become underscores ({@code stackwright.probe.results} -> {@code
 * stackwright_probe_results}); counters get {@code _total}, timings a {@code _seconds} summary
 * (count and sum).
 *
 * <p>Host applications with a metrics library use {@code adapter-micrometer}'s {@code
 * MicrometerMetrics} instead, whose registries print Prometheus text (and every other format)
 * properly; this printer stays only until the CLI's {@code watch} exposes a Micrometer registry.
 */
public final class InMemoryMetrics implements MetricsRecorder {

  private record Series(String name, Map<String, String> tags) {
    Series {
      tags = Map.copyOf(new TreeMap<>(tags));
    }
  }

  private final ConcurrentMap<Series, DoubleAdder> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<Series, Double> gauges = new ConcurrentHashMap<>();
  private final ConcurrentMap<Series, DoubleAdder[]> timings = new ConcurrentHashMap<>();

  @Override
  public void count(String name, Map<String, String> tags, double amount) {
    counters.computeIfAbsent(new Series(name, tags), s -> new DoubleAdder()).add(amount);
  }

  @Override
  public void gauge(String name, Map<String, String> tags, double value) {
    gauges.put(new Series(name, tags), value);
  }

  @Override
  public void timing(String name, Map<String, String> tags, Duration duration) {
    DoubleAdder[] summary =
        timings.computeIfAbsent(
            new Series(name, tags), s -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder()});
    summary[0].add(1);
    summary[1].add(duration.toNanos() / 1e9);
  }

  /** The counter's value summed over the series whose tags include {@code tags}. */
  public double counter(String name, Map<String, String> tags) {
    return counters.entrySet().stream()
        .filter(
            e ->
                e.getKey().name().equals(name)
                    && e.getKey().tags().entrySet().containsAll(tags.entrySet()))
        .mapToDouble(e -> e.getValue().sum())
        .sum();
  }

  /** The gauge's value, or NaN when it was never set. */
  public double gauge(String name, Map<String, String> tags) {
    return gauges.getOrDefault(new Series(name, tags), Double.NaN);
  }

  /** Every series in the Prometheus text exposition format, sorted by name and labels. */
  public String prometheusText() {
    Map<String, StringBuilder> families = new TreeMap<>();
    // collected per family, then each family's lines sorted, so the text is stable

    counters.forEach(
        (s, v) ->
            line(families, prometheusName(s.name()) + "_total", "counter", s.tags(), v.sum()));
    gauges.forEach((s, v) -> line(families, prometheusName(s.name()), "gauge", s.tags(), v));
    timings.forEach(
        (s, v) -> {
          String base = prometheusName(s.name()) + "_seconds";
          line(families, base + "_count", "summary:" + base, s.tags(), v[0].sum());
          line(families, base + "_sum", "summary:" + base, s.tags(), v[1].sum());
        });
    StringBuilder out = new StringBuilder();
    Map<String, Boolean> typed = new TreeMap<>();
    families.forEach(
        (key, lines) -> {
          String[] parts = key.split("\u0000");
          String family = parts[0];
          String type = parts[1];
          if (typed.putIfAbsent(family, true) == null) {
            out.append("# TYPE ").append(family).append(' ').append(type).append('\n');
          }
          lines.toString().lines().sorted().forEach(l -> out.append(l).append('\n'));
        });
    return out.toString();
  }

  private static void line(
      Map<String, StringBuilder> families,
      String name,
      String type,
      Map<String, String> tags,
      double value) {
    String family = type.startsWith("summary:") ? type.substring(8) : name;
    String kind = type.startsWith("summary:") ? "summary" : type;
    StringBuilder lines =
        families.computeIfAbsent(family + "\u0000" + kind, k -> new StringBuilder());
    StringBuilder line = new StringBuilder(name);
    if (!tags.isEmpty()) {
      line.append('{');
      String separator = "";
      for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
        line.append(separator)
            .append(prometheusName(tag.getKey()))
            .append("=\"")
            .append(escape(tag.getValue()))
            .append('"');
        separator = ",";
      }
      line.append('}');
    }
    line.append(' ').append(format(value)).append('\n');
    lines.append(line);
  }

  static String prometheusName(String name) {
    return name.replaceAll("[^a-zA-Z0-9_:]", "_");
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String format(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value)
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
