package io.stackwright.docker.internal.testing;

import io.stackwright.api.spi.MetricsRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A MetricsRecorder that keeps the timings it is given, for tests to read. */
public final class RecordingMetrics implements MetricsRecorder {
  public record Timing(String name, Map<String, String> tags, Duration duration) {}

  private final List<Timing> timings = new CopyOnWriteArrayList<>();

  @Override
  public void count(String name, Map<String, String> tags, double amount) {}

  @Override
  public void gauge(String name, Map<String, String> tags, double value) {}

  @Override
  public void timing(String name, Map<String, String> tags, Duration duration) {
    timings.add(new Timing(name, Map.copyOf(tags), duration));
  }

  /** The timings named {@code name}, in the order they came. */
  public List<Timing> timings(String name) {
    return timings.stream().filter(t -> t.name().equals(name)).toList();
  }

  public List<Timing> timings() {
    return List.copyOf(timings);
  }
}
