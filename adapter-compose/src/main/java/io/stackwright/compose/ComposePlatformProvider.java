package io.stackwright.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.spi.Availability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.PlatformProvider;
import io.stackwright.compose.internal.Settings;
import io.stackwright.docker.internal.Engine;

/**
 * Provides {@link ComposePlatform} under the name {@code compose}, with priority 50: any Docker
 * engine that answers will do, but where a Swarm manager answers, the {@code swarm} platform
 * (priority 100) is preferred when none is chosen explicitly.
 */
public final class ComposePlatformProvider implements PlatformProvider {

  public static final int PRIORITY = 50;

  @Override
  public String name() {
    return ComposePlatform.NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * Available when an engine answers at {@code docker.host} (else {@code DOCKER_HOST}, else the
   * local socket); the reason names its version. For a remote engine, the reason also says that
   * secrets and configs need the state directory shared with it.
   */
  @Override
  public Availability availability(PlatformContext context) {
    try (Engine engine = Engine.connect(context)) {
      JsonNode version;
      try {
        version = engine.get("asking the Docker engine for its version", "/version");
      } catch (OrchestratorException e) {
        return Availability.unavailable(
            "no Docker engine answers at " + engine.host() + ": " + e.getMessage());
      }
      String what =
          "Docker "
              + version.path("Version").asText("?")
              + " (API "
              + version.path("ApiVersion").asText("?")
              + ") at "
              + engine.host();
      if (Engine.isRemote(engine.host())
          && !context
              .property(Settings.SHARED_STATE_DIR)
              .map(Boolean::parseBoolean)
              .orElse(false)) {
        what +=
            "; the engine is remote: stacks with secrets or configs need the state directory"
                + " shared with it at the same path ("
                + Settings.SHARED_STATE_DIR
                + "=true)";
      }
      return Availability.available(what);
    }
  }

  @Override
  public Platform create(PlatformContext context) {
    return new ComposePlatform(context);
  }
}
