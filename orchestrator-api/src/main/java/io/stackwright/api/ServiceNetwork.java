package io.stackwright.api;

import java.util.List;
import java.util.Objects;

/**
 * A service's attachment to one of the stack's networks.
 *
 * @param network the network's key in the stack
 * @param aliases extra DNS names of the service on that network
 * @param ipv4Address a fixed address, or {@code null}
 */
public record ServiceNetwork(String network, List<String> aliases, String ipv4Address) {
  public ServiceNetwork {
    Objects.requireNonNull(network, "network");
    aliases = Copies.list(aliases);
  }

  public static ServiceNetwork of(String network) {
    return new ServiceNetwork(network, List.of(), null);
  }
}
