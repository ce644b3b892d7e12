package io.stackwright.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmInfo;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.spi.Availability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.PlatformProvider;
import io.stackwright.docker.internal.Engine;
import java.time.Duration;

/**
 * Provides {@link SwarmPlatform} under the name {@code swarm}, with priority 100: where a Swarm
 * manager answers, it is preferred to a single-engine platform.
 */
public final class SwarmPlatformProvider implements PlatformProvider {

  public static final int PRIORITY = 100;

  /** How long {@link #availability} waits for the engine's answer. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public String name() {
    return SwarmPlatform.NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * Available when the engine answers and this node is a Swarm manager (where {@code docker stack
   * deploy} works).
   */
  @Override
  public Availability availability(PlatformContext context) {
    try (Engine engine = Engine.connect(context, PROBE_TIMEOUT)) {
      JsonNode version;
      try {
        version = engine.get("asking the Docker engine for its version", "/version");
      } catch (OrchestratorException e) {
        return Availability.unavailable(
            "no Docker engine answers at " + engine.host() + ": " + e.getMessage());
      }
      Availability manager = asManager(engine, version);
      return manager != null ? manager : fromInfo(engine);
    }
  }

  /**
   * Available, through the engine's quick answers: {@code /swarm}, which only a manager answers,
   * and the node count; null when this is not a manager, or cannot be told so, so that {@code
   * /info} explains. Not {@code /info} first: on a manager that has just started tasks it was
   * measured answering after 4.4 s (0.02-0.17 s otherwise) while {@code /swarm} took 29 ms, and
   * every command of the CLI asks.
   */
  private static Availability asManager(Engine engine, JsonNode version) {
    try {
      engine.get("asking the Docker engine for its swarm", "/swarm");
      int nodes = engine.getList("listing the swarm's nodes", "/nodes").size();
      return managerFound(
          version == null ? "" : version.path("Version").asText(), engine.host(), nodes);
    } catch (OrchestratorException e) {
      return null;
    }
  }

  private static Availability fromInfo(Engine engine) {
    Info info;
    try {
      info =
          engine.call(
              "asking the Docker engine for its info", () -> engine.docker().infoCmd().exec());
    } catch (OrchestratorException e) {
      return Availability.unavailable(
          "no Docker engine answers at " + engine.host() + ": " + e.getMessage());
    }
    SwarmInfo swarm = info.getSwarm();
    boolean manager = swarm != null && Boolean.TRUE.equals(swarm.getControlAvailable());
    String docker = "Docker " + info.getServerVersion() + " at " + engine.host();
    if (!manager) {
      String state =
          swarm == null || swarm.getLocalNodeState() == null
              ? "inactive"
              : swarm.getLocalNodeState().toString().toLowerCase(java.util.Locale.ROOT);
      return Availability.unavailable(
          docker
              + " is not a swarm manager (swarm state: "
              + state
              + "). Use \"docker swarm init\" or \"docker swarm join\" to connect this node"
              + " to swarm and try again");
    }
    return managerFound(info.getServerVersion(), engine.host(), swarm.getNodes());
  }

  private static Availability managerFound(String version, String host, Integer nodes) {
    return Availability.available(
        "Docker "
            + version
            + " at "
            + host
            + " in Swarm mode (manager"
            + (nodes == null ? "" : ", " + nodes + " nodes")
            + ")");
  }

  @Override
  public Platform create(PlatformContext context) {
    return new SwarmPlatform(context);
  }
}
