package io.stackwright.swarm.internal;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Network;
import io.stackwright.api.state.TaskState;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where this process reaches a task's container ports.
 *
 * <p>Overlay addresses live in the network's own namespace and are not routable from the host. But
 * every container Swarm attaches to an overlay network also gets an interface on {@code
 * docker_gwbridge}, a plain bridge of the node, and the node's processes reach the container there,
 * on any port it listens on (measured: a dnsrr task answered on its gwbridge address and not on its
 * overlay address). So a task on the node of the engine this process talks to, where that engine
 * runs on this machine, has an address; a task on another node has none, and callers fall back to
 * what runs inside the container (exec) or the engine's own healthcheck.
 *
 * <p>A container's address does not change while it lives, so addresses are remembered per
 * container.
 */
public final class ReplicaAddresses {
  static final String GATEWAY_BRIDGE = "docker_gwbridge";
  private static final int MAX_REMEMBERED = 10_000;

  private final Engine engine;
  private final boolean local;
  private final Map<String, String> byContainer = new ConcurrentHashMap<>();
  private volatile String localNodeId;

  public ReplicaAddresses(Engine engine) {
    this.engine = engine;
    this.local = isLocal(engine.host());
  }

  /** Whether addresses can exist at all: the engine runs on this machine. */
  public boolean available() {
    return local;
  }

  public Optional<String> address(TaskState task) {
    String containerId = task.containerId();
    if (!local || containerId == null) {
      return Optional.empty();
    }
    if (task.nodeId() != null && !task.nodeId().equals(localNodeId())) {
      return Optional.empty();
    }
    String known = byContainer.get(containerId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> found = lookUp(containerId);
    found.ifPresent(
        address -> {
          if (byContainer.size() >= MAX_REMEMBERED) {
            byContainer.clear();
          }
          byContainer.put(containerId, address);
        });
    return found;
  }

  private Optional<String> lookUp(String containerId) {
    Optional<InspectContainerResponse> container =
        engine.find(
            "inspecting container " + containerId,
            () -> engine.docker().inspectContainerCmd(containerId).exec());
    if (container.isEmpty()) {
      return Optional.empty();
    }
    if ("host".equals(container.get().getHostConfig().getNetworkMode())) {
      return Optional.of("127.0.0.1");
    }
    Optional<String> gateway =
        engine
            .find(
                "inspecting network " + GATEWAY_BRIDGE,
                () -> engine.docker().inspectNetworkCmd().withNetworkId(GATEWAY_BRIDGE).exec())
            .map(Network::getContainers)
            .map(containers -> containers.get(container.get().getId()))
            .map(Network.ContainerNetworkConfig::getIpv4Address)
            .map(ReplicaAddresses::withoutPrefix)
            .filter(ip -> !ip.isEmpty());
    if (gateway.isPresent()) {
      return gateway;
    }
    // A container without overlay networks (attached to a local bridge network) is reached there.
    Map<String, ContainerNetwork> networks =
        container.get().getNetworkSettings() == null
            ? Map.of()
            : container.get().getNetworkSettings().getNetworks();
    return networks == null
        ? Optional.empty()
        : networks.values().stream()
            .map(ContainerNetwork::getIpAddress)
            .filter(ip -> ip != null && !ip.isEmpty() && !ip.startsWith("10."))
            .findFirst();
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

  static String withoutPrefix(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }

  /** unix:// and npipe:// sockets, and tcp:// to the loopback address, are this machine. */
  static boolean isLocal(String host) {
    URI uri;
    try {
      uri = URI.create(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("unix") || scheme.equals("npipe")) {
      return true;
    }
    String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
  }
}
