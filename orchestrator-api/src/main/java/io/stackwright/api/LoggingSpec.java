package io.stackwright.api;

import java.util.Map;
import java.util.Objects;

/** The log driver of a service's containers and its options. */
public record LoggingSpec(String driver, Map<String, String> options) {
  public LoggingSpec {
    Objects.requireNonNull(driver, "driver");
    options = Copies.sortedMap(options);
  }
}
