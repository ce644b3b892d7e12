package io.stackwright.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Where this process reaches a container's ports, when the engine runs on this machine: every
 * container on a bridge network has an address on a bridge of this host, so probes and metric
 * scrapes connect to it directly, without published ports; a container in the host's network
 * namespace is reached on the loopback address. A remote engine's bridge addresses are that
 * machine's: no address then.
 *
 * <p>A container's address does not change while it lives, so addresses are remembered per
 * container (a replaced replica is a new container).
 */
public final class ContainerAddresses {
  private static final int MAX_REMEMBERED = 10_000;

  /** Picks, from an inspected container, the address a platform prefers (Swarm: its gwbridge). */
  @FunctionalInterface
  public interface Preferred {
    Optional<String> address(Engine engine, JsonNode container);
  }

  private final Engine engine;
  private final boolean local;
  private final Preferred preferred;
  private final Predicate<String> usable;
  private final Map<String, String> byContainer = new ConcurrentHashMap<>();

  /**
   * @param preferred asked first; when it has none, the first address of the container's networks
   *     that {@code usable} accepts is used
   */
  public ContainerAddresses(Engine engine, Preferred preferred, Predicate<String> usable) {
    this.engine = engine;
    this.local = Engine.isLocal(engine.host());
    this.preferred = preferred;
    this.usable = usable;
  }

  /** Addresses on the container's own networks only. */
  public ContainerAddresses(Engine engine) {
    this(engine, (e, c) -> Optional.empty(), ip -> true);
  }

  /** Whether addresses can exist at all: the engine runs on this machine. */
  public boolean available() {
    return local;
  }

  public Optional<String> address(String containerId) {
    if (!local || containerId == null || containerId.isBlank()) {
      return Optional.empty();
    }
    String known = byContainer.get(containerId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<String> found =
        engine
            .find("inspecting container " + containerId, "/containers/" + containerId + "/json")
            .flatMap(this::addressOf);
    found.ifPresent(
        address -> {
          if (byContainer.size() >= MAX_REMEMBERED) {
            byContainer.clear();
          }
          byContainer.put(containerId, address);
        });
    return found;
  }

  private Optional<String> addressOf(JsonNode container) {
    if ("host".equals(container.path("HostConfig").path("NetworkMode").asText(""))) {
      return Optional.of("127.0.0.1");
    }
    Optional<String> first = preferred.address(engine, container);
    return first.isPresent() ? first : networkAddress(container, usable);
  }

  /** The container's first network address that {@code usable} accepts. */
  static Optional<String> networkAddress(JsonNode container, Predicate<String> usable) {
    JsonNode settings = container.path("NetworkSettings");
    for (Iterator<Map.Entry<String, JsonNode>> it = settings.path("Networks").fields();
        it.hasNext(); ) {
      String ip = it.next().getValue().path("IPAddress").asText("");
      if (!ip.isEmpty() && usable.test(ip)) {
        return Optional.of(ip);
      }
    }
    String ip = settings.path("IPAddress").asText("");
    return ip.isEmpty() || !usable.test(ip) ? Optional.empty() : Optional.of(ip);
  }

  /** {@code 172.18.0.3/16} without its prefix length. */
  public static String withoutPrefix(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }
}
