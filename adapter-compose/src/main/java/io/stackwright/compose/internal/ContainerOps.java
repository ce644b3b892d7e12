package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.compose.internal.ContainerMapper.CreateRequest;
import io.stackwright.compose.internal.ContainerMapper.NetworkAttachment;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.EngineErrors;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The container calls of the Engine API, with messages naming the container. */
public final class ContainerOps {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerOps.class);

  private final Engine engine;

  public ContainerOps(Engine engine) {
    this.engine = engine;
  }

  /**
   * Creates the container and connects it to its other networks; returns its ID. A missing image
   * fails here, with the engine's "No such image" in the message; nothing is left behind.
   */
  public String create(CreateRequest request) {
    String image = request.body().path("Image").asText();
    JsonNode answer;
    try {
      answer =
          engine.post(
              "creating container " + request.name(),
              Engine.path("/containers/create", Map.of("name", request.name())),
              request.body());
    } catch (EngineErrors.EngineNotFound e) {
      throw new PlatformException(
          "creating container "
              + request.name()
              + " failed: the engine has no image "
              + image
              + " ("
              + e.engineMessage()
              + "). Stackwright never pulls: build, load or pull the image first",
          false,
          e);
    }
    String id = answer.path("Id").asText();
    try {
      for (NetworkAttachment n : request.extraNetworks()) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("Container", id);
        body.set("EndpointConfig", n.endpointConfig());
        engine.post(
            "connecting container " + request.name() + " to network " + n.network(),
            "/networks/" + ProjectReader.encode(n.network()) + "/connect",
            body);
      }
    } catch (OrchestratorException e) {
      removeQuietly(id, request.name());
      throw e;
    }
    LOG.debug("Created container {} ({})", request.name(), ComposeNames.shortId(id));
    return id;
  }

  public void start(String id, String name) {
    engine.post("starting container " + name, "/containers/" + id + "/start", null);
  }

  /** Stops the container, giving it its own grace period (its StopTimeout). */
  public void stop(String id, String name) {
    engine.postLong("stopping container " + name, "/containers/" + id + "/stop", null);
  }

  public void restart(String id, String name) {
    engine.postLong("restarting container " + name, "/containers/" + id + "/restart", null);
  }

  /** Removes the container (forced); {@code volumes}: its anonymous volumes too. */
  public boolean remove(String id, String name, boolean volumes) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("force", "true");
    query.put("v", volumes ? "true" : "false");
    return engine.delete("removing container " + name, Engine.path("/containers/" + id, query));
  }

  /** Stops with the grace period, then removes; a container already gone is fine. */
  public void stopAndRemove(String id, String name, boolean volumes) {
    try {
      stop(id, name);
    } catch (EngineErrors.EngineNotFound e) {
      return;
    } catch (OrchestratorException e) {
      LOG.debug("Stopping {} failed, removing it anyway: {}", name, e.getMessage());
    }
    remove(id, name, volumes);
  }

  public void rename(String id, String oldName, String newName) {
    engine.post(
        "renaming container " + oldName + " to " + newName,
        Engine.path("/containers/" + id + "/rename", Map.of("name", newName)),
        null);
  }

  private void removeQuietly(String id, String name) {
    try {
      remove(id, name, true);
    } catch (RuntimeException e) {
      LOG.warn("Cannot remove the half-created container {}: {}", name, e.getMessage());
    }
  }
}
