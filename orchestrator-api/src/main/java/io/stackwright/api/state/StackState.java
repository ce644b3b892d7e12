package io.stackwright.api.state;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What runs on the platform for one stack.
 *
 * @param stack the stack name
 * @param services the stack's services
 * @param networks engine names of the stack's networks
 * @param secrets engine names of the stack's secrets
 * @param configs engine names of the stack's configs
 * @param volumes engine names of the stack's volumes
 */
public record StackState(
    String stack,
    List<ServiceState> services,
    List<String> networks,
    List<String> secrets,
    List<String> configs,
    List<String> volumes) {

  public StackState {
    Objects.requireNonNull(stack, "stack");
    services = List.copyOf(services);
    networks = List.copyOf(networks);
    secrets = List.copyOf(secrets);
    configs = List.copyOf(configs);
    volumes = List.copyOf(volumes);
  }

  public Optional<ServiceState> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Nothing of the stack exists on the platform. */
  public boolean isEmpty() {
    return services.isEmpty()
        && networks.isEmpty()
        && secrets.isEmpty()
        && configs.isEmpty()
        && volumes.isEmpty();
  }
}
