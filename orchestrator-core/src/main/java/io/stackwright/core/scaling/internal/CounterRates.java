package io.stackwright.core.scaling.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-second rates of cumulative counters (CPU nanoseconds, Prometheus counters), one per key (a
 * replica's container), from the difference between the last two readings. A counter that went down
 * was reset (the process restarted): as Prometheus' {@code rate()} does, its new value is taken as
 * the increase since the reset. The first reading of a key gives no rate.
 */
public final class CounterRates {
  private record Reading(Instant at, double value) {}

  private final Map<String, Reading> last = new ConcurrentHashMap<>();

  /** Records a reading; returns the rate per second since the previous one, or null. */
  public Double update(String key, Instant at, double value) {
    Reading previous = last.put(key, new Reading(at, value));
    if (previous == null) {
      return null;
    }
    double seconds = Duration.between(previous.at(), at).toNanos() / 1e9;
    if (seconds <= 0) {
      last.put(key, previous);
      return null;
    }
    double increase = value >= previous.value() ? value - previous.value() : value;
    return increase / seconds;
  }

  /** Forgets keys that are gone (replicas removed), so memory does not grow. */
  public void retain(Set<String> keys) {
    last.keySet().retainAll(keys);
  }
}
