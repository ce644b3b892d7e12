package io.stackwright.core.state;

import io.stackwright.api.spi.StateStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link StateStore} that forgets everything when the process ends: for tests and dry runs. */
public final class InMemoryStateStore implements StateStore {
  private final Map<String, Map<String, String>> values = new ConcurrentHashMap<>();
  private final Map<String, Deque<String>> histories = new ConcurrentHashMap<>();

  @Override
  public Optional<String> get(String namespace, String key) {
    return Optional.ofNullable(values.getOrDefault(namespace, Map.of()).get(key));
  }

  @Override
  public void put(String namespace, String key, String value) {
    values.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>()).put(key, value);
  }

  @Override
  public void delete(String namespace, String key) {
    Optional.ofNullable(values.get(namespace)).ifPresent(keys -> keys.remove(key));
    histories.remove(namespace + '\u0000' + key);
  }

  @Override
  public List<String> keys(String namespace) {
    return values.getOrDefault(namespace, Map.of()).keySet().stream().sorted().toList();
  }

  @Override
  public void append(String namespace, String key, String record, int keep) {
    Deque<String> history =
        histories.computeIfAbsent(namespace + '\u0000' + key, k -> new ArrayDeque<>());
    synchronized (history) {
      history.addLast(record);
      while (history.size() > Math.max(keep, 1)) {
        history.removeFirst();
      }
    }
  }

  @Override
  public List<String> history(String namespace, String key, int limit) {
    Deque<String> history = histories.get(namespace + '\u0000' + key);
    if (history == null) {
      return List.of();
    }
    synchronized (history) {
      List<String> all = List.copyOf(history);
      return all.subList(Math.max(0, all.size() - limit), all.size());
    }
  }
}
