package io.stackwright.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A network of the stack.
 *
 * @param key the network's key in the stack ({@code default} for the implicit one)
 * @param name the engine name to use verbatim, or {@code null} for the platform's scoped name
 *     ({@code <stack>_<key>})
 * @param driver the driver, or {@code null} for the platform's default (overlay on Swarm)
 * @param external the network exists already and is only referenced
 * @param subnets IPAM subnets, in CIDR notation
 */
public record NetworkSpec(
    String key,
    String name,
    String driver,
    Map<String, String> driverOptions,
    boolean attachable,
    boolean internal,
    boolean external,
    List<String> subnets,
    Map<String, String> labels) {

  public NetworkSpec {
    Objects.requireNonNull(key, "key");
    driverOptions = Copies.sortedMap(driverOptions);
    subnets = Copies.list(subnets);
    labels = Copies.sortedMap(labels);
  }

  /** A network with the platform's default driver and options. */
  public static NetworkSpec of(String key) {
    return new NetworkSpec(key, null, null, Map.of(), false, false, false, List.of(), Map.of());
  }

  public static NetworkSpec external(String key, String name) {
    return new NetworkSpec(key, name, null, Map.of(), false, false, true, List.of(), Map.of());
  }
}
