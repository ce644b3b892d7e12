package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.state.TaskState;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Where this process reaches a container's ports. On a local engine every container on a bridge
 * network has an address on a bridge of this host, so probes and metric scrapes connect to it
 * directly, without published ports. A remote engine's bridge addresses are that machine's: no
 * address then.
 */
public final class ReplicaAddresses {
  private final Engine engine;

  public ReplicaAddresses(Engine engine) {
    this.engine = engine;
  }

  /** The container's address on its first network that has one, or empty. */
  public Optional<String> address(TaskState replica) {
    if (replica.containerId() == null || Engine.isRemote(engine.host())) {
      return Optional.empty();
    }
    Optional<JsonNode> container =
        engine.find(
            "inspecting container " + replica.containerId(),
            "/containers/" + replica.containerId() + "/json");
    return container.flatMap(ReplicaAddresses::firstAddress);
  }

  static Optional<String> firstAddress(JsonNode container) {
    JsonNode settings = container.path("NetworkSettings");
    String mode = container.path("HostConfig").path("NetworkMode").asText("");
    if (mode.equals("host")) {
      return Optional.of("127.0.0.1");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.path("Networks").fields();
        it.hasNext(); ) {
      String ip = it.next().getValue().path("IPAddress").asText("");
      if (!ip.isEmpty()) {
        return Optional.of(ip);
      }
    }
    String ip = settings.path("IPAddress").asText("");
    return ip.isEmpty() ? Optional.empty() : Optional.of(ip);
  }
}
