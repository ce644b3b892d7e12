package io.stackwright.api;

import java.util.Map;
import java.util.Objects;

/**
 * A named volume of the stack.
 *
 * @param key the volume's key in the stack
 * @param name the engine name to use verbatim, or {@code null} for {@code <stack>_<key>}
 * @param driver the driver, or {@code null} for {@code local}
 * @param external the volume exists already and is only referenced
 */
public record VolumeSpec(
    String key,
    String name,
    String driver,
    Map<String, String> driverOptions,
    boolean external,
    Map<String, String> labels) {

  public VolumeSpec {
    Objects.requireNonNull(key, "key");
    driverOptions = Copies.sortedMap(driverOptions);
    labels = Copies.sortedMap(labels);
  }

  public static VolumeSpec of(String key) {
    return new VolumeSpec(key, null, null, Map.of(), false, Map.of());
  }
}
