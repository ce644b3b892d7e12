package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Info;
import io.stackwright.api.state.TaskState;
import io.stackwright.docker.internal.ContainerAddresses;
import io.stackwright.docker.internal.Engine;
import java.util.Optional;

/**
 * Where this process reaches a task's container ports.
 *
 * <p>Overlay addresses live in the network's own namespace and are not routable from the host. But
 * every container Swarm attaches to an overlay network also gets an interface on {@code
 * docker_gwbridge}, a plain bridge of the node, and the node's processes reach the container there,
 * on any port it listens on (measured: a dnsrr task answered on its gwbridge address and not on its
 * overlay address). So a task on the node of the engine this process talks to, where that engine
 * runs on this machine, has an address; a task on another node has none, and callers fall back to
 * what runs inside the container (exec) or the engine's own healthcheck. A container without
 * overlay networks (attached to a local bridge network) is reached on that network.
 */
public final class GatewayAddresses {
  static final String GATEWAY_BRIDGE = "docker_gwbridge";

  private final Engine engine;
  private final ContainerAddresses addresses;
  private volatile String localNodeId;

  public GatewayAddresses(Engine engine) {
    this.engine = engine;
    // 10.x addresses are the overlay networks' (Swarm's default address pool): not routable here.
    this.addresses =
        new ContainerAddresses(
            engine, GatewayAddresses::gatewayAddress, ip -> !ip.startsWith("10."));
  }

  /** Whether addresses can exist at all: the engine runs on this machine. */
  public boolean available() {
    return addresses.available();
  }

  public Optional<String> address(TaskState task) {
    if (!addresses.available() || task.containerId() == null) {
      return Optional.empty();
    }
    if (task.nodeId() != null && !task.nodeId().equals(localNodeId())) {
      return Optional.empty();
    }
    return addresses.address(task.containerId());
  }

  private static Optional<String> gatewayAddress(Engine engine, JsonNode container) {
    String id = container.path("Id").asText();
    return engine
        .find("inspecting network " + GATEWAY_BRIDGE, "/networks/" + GATEWAY_BRIDGE)
        .map(network -> network.path("Containers").path(id).path("IPv4Address").asText(""))
        .map(ContainerAddresses::withoutPrefix)
        .filter(ip -> !ip.isEmpty());
  }

  private String localNodeId() {
    String id = localNodeId;
    if (id == null) {
      Info info = engine.call("reading engine info", () -> engine.docker().infoCmd().exec());
      id = info.getSwarm() == null ? "" : info.getSwarm().getNodeID();
      localNodeId = id;
    }
    return id;
  }
}
