package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.compose.internal.Observed.Container;
import io.stackwright.compose.internal.Observed.Network;
import io.stackwright.compose.internal.Observed.Volume;
import io.stackwright.docker.internal.Engine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads what the engine holds for a project. Reads only. */
public final class ProjectReader {
  private final Engine engine;
  private final SecretFiles files;

  public ProjectReader(Engine engine, SecretFiles files) {
    this.engine = engine;
    this.files = files;
  }

  /** Everything the planner needs about the stack's project. */
  public Observed.Project read(StackSpec stack) {
    String project = stack.name();
    List<Container> containers = containers(project);
    Map<String, Network> networks = new HashMap<>();
    for (String key : Planner.usedNetworks(stack)) {
      String name = ComposeNames.network(stack, key);
      network(name).ifPresent(n -> networks.put(name, n));
    }
    Map<String, Volume> volumes = new HashMap<>();
    for (String key : Planner.usedVolumes(stack)) {
      String name = ComposeNames.volume(stack, key);
      volume(name).ifPresent(v -> volumes.put(name, v));
    }
    Map<String, String> images = new HashMap<>();
    for (ServiceSpec s : stack.services().values()) {
      if (!images.containsKey(s.image())) {
        imageId(s.image()).ifPresent(id -> images.put(s.image(), id));
      }
    }
    Set<String> stale = new HashSet<>();
    for (ServiceSpec s : stack.services().values()) {
      if (files.mounts(stack, s).stream().anyMatch(m -> !files.upToDate(m))) {
        stale.add(s.name());
      }
    }
    return new Observed.Project(
        project, containers, networks, projectNetworks(project), volumes, images, stale);
  }

  /** The project's service containers (one-offs excluded), in any state. */
  public List<Container> containers(String project) {
    return list(
        Map.of(
            "label",
            List.of(
                ComposeNames.PROJECT + "=" + project,
                ComposeNames.ONEOFF + "=" + ComposeNames.ONEOFF_FALSE)),
        "listing the containers of project " + project);
  }

  /** One service's containers, in any state, not being removed, by number. */
  public List<Container> containers(String project, String service) {
    return list(
            Map.of(
                "label",
                List.of(
                    ComposeNames.PROJECT + "=" + project,
                    ComposeNames.SERVICE + "=" + service,
                    ComposeNames.ONEOFF + "=" + ComposeNames.ONEOFF_FALSE)),
            "listing the containers of service " + service + " of project " + project)
        .stream()
        .filter(c -> !c.removing())
        .sorted(java.util.Comparator.comparingInt(Container::number))
        .toList();
  }

  /** Every container with the project label, one-offs included (for remove). */
  public List<Container> allContainers(String project) {
    return list(
        Map.of("label", List.of(ComposeNames.PROJECT + "=" + project)),
        "listing the containers of project " + project);
  }

  private List<Container> list(Map<String, List<String>> filters, String what) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("all", "1");
    query.put("filters", engine.filters(filters));
    JsonNode answer = engine.get(what, Engine.path("/containers/json", query));
    List<Container> out = new ArrayList<>();
    answer.forEach(c -> out.add(Container.fromList(c)));
    return out;
  }

  /** The full inspect of a container, or empty when it is gone. */
  public Optional<JsonNode> inspect(String id) {
    return engine.find("inspecting container " + id, "/containers/" + id + "/json");
  }

  public Optional<Network> network(String name) {
    return engine
        .find("inspecting network " + name, "/networks/" + encode(name))
        .map(Network::from)
        .filter(n -> n.name().equals(name) || n.id().equals(name));
  }

  public List<Network> projectNetworks(String project) {
    JsonNode answer =
        engine.get(
            "listing the networks of project " + project,
            Engine.path(
                "/networks",
                Map.of(
                    "filters",
                    engine.filters(
                        Map.of("label", List.of(ComposeNames.PROJECT + "=" + project))))));
    List<Network> out = new ArrayList<>();
    answer.forEach(n -> out.add(Network.from(n)));
    return out;
  }

  public Optional<Volume> volume(String name) {
    return engine.find("inspecting volume " + name, "/volumes/" + encode(name)).map(Volume::from);
  }

  public List<Volume> projectVolumes(String project) {
    JsonNode answer =
        engine.get(
            "listing the volumes of project " + project,
            Engine.path(
                "/volumes",
                Map.of(
                    "filters",
                    engine.filters(
                        Map.of("label", List.of(ComposeNames.PROJECT + "=" + project))))));
    List<Volume> out = new ArrayList<>();
    answer.path("Volumes").forEach(v -> out.add(Volume.from(v)));
    return out;
  }

  /** The ID of the image a reference resolves to, or empty when the engine does not have it. */
  public Optional<String> imageId(String image) {
    return engine
        .find("inspecting image " + image, "/images/" + image + "/json")
        .map(i -> i.path("Id").asText(null));
  }

  static String encode(String name) {
    return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
  }
}
