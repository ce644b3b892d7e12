package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the engine holds for one project, as read in one go. */
public final class Observed {
  private Observed() {}

  private static final Pattern EXITED = Pattern.compile("(?i)^exited \\((-?\\d+)\\)");

  /**
   * One container of the project, from the container list.
   *
   * @param state the engine's state: created, running, paused, restarting, removing, exited, dead
   * @param exitCode for exited containers, from the status text; otherwise null
   * @param imageId the ID of the image the container runs
   * @param created seconds since the epoch
   */
  public record Container(
      String id,
      String name,
      String service,
      int number,
      String state,
      Integer exitCode,
      String hash,
      String image,
      String imageId,
      long created,
      Map<String, String> labels) {

    public Container {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean running() {
      return "running".equals(state) || "paused".equals(state) || "restarting".equals(state);
    }

    public boolean dead() {
      return "dead".equals(state);
    }

    public boolean removing() {
      return "removing".equals(state);
    }

    /** This container under another name (a temporary one's final name, once renamed). */
    public Container named(String other) {
      return new Container(
          id, other, service, number, state, exitCode, hash, image, imageId, created, labels);
    }

    /** {@code exited (1)}, {@code created}, ... for plan texts. */
    public String describeState() {
      return exitCode == null ? state : state + " (" + exitCode + ")";
    }

    /** From an entry of {@code GET /containers/json}. */
    public static Container fromList(JsonNode c) {
      Map<String, String> labels = new TreeMap<>();
      c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      String name = c.path("Names").path(0).asText("").replaceFirst("^/", "");
      String state = c.path("State").asText("");
      Integer exit = null;
      Matcher m = EXITED.matcher(c.path("Status").asText(""));
      if ("exited".equals(state) && m.find()) {
        exit = Integer.valueOf(m.group(1));
      }
      return new Container(
          c.path("Id").asText(),
          name,
          labels.get(ComposeNames.SERVICE),
          ComposeNames.number(labels),
          state,
          exit,
          labels.get(ComposeNames.CONFIG_HASH),
          c.path("Image").asText(null),
          c.path("ImageID").asText(null),
          c.path("Created").asLong(),
          labels);
    }
  }

  /** A network, from {@code GET /networks/{name}} or the network list. */
  public record Network(
      String id, String name, Map<String, String> labels, List<String> containers) {
    public Network {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      containers = List.copyOf(containers);
    }

    public static Network from(JsonNode n) {
      Map<String, String> labels = new TreeMap<>();
      n.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      List<String> containers = new ArrayList<>();
      n.path("Containers").fieldNames().forEachRemaining(containers::add);
      return new Network(n.path("Id").asText(), n.path("Name").asText(), labels, containers);
    }
  }

  /** A volume. */
  public record Volume(String name, Map<String, String> labels) {
    public Volume {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static Volume from(JsonNode v) {
      Map<String, String> labels = new TreeMap<>();
      v.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      return new Volume(v.path("Name").asText(), labels);
    }
  }

  /**
   * The project.
   *
   * @param containers the service containers (one-offs excluded)
   * @param networks the networks the stack refers to, by engine name, where they exist
   * @param projectNetworks the networks labelled with the project
   * @param volumes the volumes the stack refers to, by engine name, where they exist
   * @param imageIds the image ID of each image reference of the stack that exists
   * @param staleFiles services whose secret or config files are missing or outdated
   */
  public record Project(
      String name,
      List<Container> containers,
      Map<String, Network> networks,
      List<Network> projectNetworks,
      Map<String, Volume> volumes,
      Map<String, String> imageIds,
      java.util.Set<String> staleFiles) {
    public Project {
      containers = List.copyOf(containers);
      networks = Map.copyOf(networks);
      projectNetworks = List.copyOf(projectNetworks);
      volumes = Map.copyOf(volumes);
      imageIds = Map.copyOf(imageIds);
      staleFiles = java.util.Set.copyOf(staleFiles);
    }

    /** The service's containers (not being removed), by number. */
    public List<Container> containersOf(String service) {
      return containers.stream()
          .filter(c -> service.equals(c.service()))
          .filter(c -> !c.removing())
          .sorted(Comparator.comparingInt(Container::number).thenComparing(Container::name))
          .toList();
    }

    public Optional<String> imageId(String image) {
      return Optional.ofNullable(imageIds.get(image));
    }
  }
}
