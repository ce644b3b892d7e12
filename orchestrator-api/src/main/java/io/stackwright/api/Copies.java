package io.stackwright.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Defensive copies for the model's compact constructors: null becomes empty, order is kept. */
final class Copies {
  private Copies() {}

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  /** A list that stays {@code null} when unset, so "unset" and "empty" remain different. */
  static <T> List<T> nullableList(List<T> values) {
    return values == null ? null : List.copyOf(values);
  }

  /** An unmodifiable copy sorted by key, so equal maps print and hash the same way. */
  static <V> Map<String, V> sortedMap(Map<String, V> values) {
    if (values == null || values.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /** An unmodifiable copy that keeps insertion order (services, networks: file order). */
  static <V> Map<String, V> orderedMap(Map<String, V> values) {
    if (values == null || values.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
