package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.compose.internal.Observed.Container;
import io.stackwright.compose.internal.ProjectState.ServiceRecord;
import io.stackwright.docker.internal.ContainerStates;
import io.stackwright.docker.internal.Engine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The state of a project, from its containers (one {@link TaskState} per container, id = container
 * id, slot = container number) and, where it exists, the state recorded at the last apply on this
 * host (desired replicas, expected hash, services with no container).
 *
 * <p>A container is <em>current</em> when its config hash is the one last applied, or, without a
 * record, the hash of the service's newest container.
 */
public final class StatusReader {
  private final ProjectReader reader;
  private final ProjectState state;
  private final SecretFiles files;

  public StatusReader(ProjectReader reader, ProjectState state, SecretFiles files) {
    this.reader = reader;
    this.state = state;
    this.files = files;
  }

  public StackState status(String project) {
    List<Container> containers = reader.containers(project);
    Map<String, ServiceRecord> records = state.read(project);
    Map<String, List<Container>> byService = new LinkedHashMap<>();
    records.keySet().forEach(s -> byService.put(s, new ArrayList<>()));
    containers.stream()
        .filter(c -> c.service() != null)
        .sorted(Comparator.comparing(Container::service).thenComparingInt(Container::number))
        .forEach(c -> byService.computeIfAbsent(c.service(), k -> new ArrayList<>()).add(c));
    List<ServiceState> services = new ArrayList<>();
    byService.forEach(
        (service, list) -> services.add(service(project, service, list, records.get(service))));
    List<String> networks =
        reader.projectNetworks(project).stream().map(Observed.Network::name).sorted().toList();
    List<String> volumes =
        reader.projectVolumes(project).stream().map(Observed.Volume::name).sorted().toList();
    List<String> secrets =
        files.keys(project, "secret").stream().map(k -> project + "_" + k).toList();
    List<String> configs =
        files.keys(project, "config").stream().map(k -> project + "_" + k).toList();
    if (services.isEmpty() && networks.isEmpty() && volumes.isEmpty()) {
      // leftover files alone do not make a stack
      return new StackState(project, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    return new StackState(project, services, networks, secrets, configs, volumes);
  }

  private ServiceState service(
      String project, String service, List<Container> containers, ServiceRecord record) {
    Container newest =
        containers.stream().max(Comparator.comparingLong(Container::created)).orElse(null);
    String expectedHash =
        record != null && record.hash() != null
            ? record.hash()
            : newest == null ? null : newest.hash();
    String mode =
        record != null
            ? record.mode()
            : newest == null
                ? "replicated"
                : newest.labels().getOrDefault(ComposeNames.MODE, "replicated");
    boolean job = mode.endsWith("job");
    int desired;
    if (record != null) {
      desired = record.replicas();
    } else if (newest != null && newest.labels().containsKey(ComposeNames.REPLICAS)) {
      desired = parse(newest.labels().get(ComposeNames.REPLICAS), containers.size());
    } else {
      desired = containers.size();
    }
    List<TaskState> tasks = new ArrayList<>();
    String image = null;
    for (Container c : containers) {
      JsonNode inspect = reader.inspect(c.id()).orElse(null);
      if (inspect == null) {
        continue; // removed while we looked
      }
      if (c == newest) {
        image = inspect.path("Config").path("Image").asText(c.image());
      }
      tasks.add(task(service, c, inspect, Objects.equals(expectedHash, c.hash()), job));
    }
    Map<String, String> labels =
        newest == null ? Map.of() : new java.util.TreeMap<>(newest.labels());
    return new ServiceState(
        service, project + "-" + service, image, desired, 0, null, labels, tasks);
  }

  static TaskState task(
      String service, Container c, JsonNode inspect, boolean current, boolean job) {
    JsonNode state = inspect.path("State");
    String status = state.path("Status").asText(c.state());
    int exitCode = state.path("ExitCode").asInt();
    TaskStatus taskStatus = status(status, exitCode);
    HealthStatus health = ContainerStates.health(state.path("Health"));
    String engineError = state.path("Error").asText("");
    String error = null;
    if (taskStatus == TaskStatus.FAILED) {
      error =
          "exited".equals(status)
              ? "exit code " + exitCode + (engineError.isBlank() ? "" : ": " + engineError)
              : engineError.isBlank() ? status : engineError;
    } else if (!engineError.isBlank()) {
      error = engineError;
    } else if (health == HealthStatus.UNHEALTHY) {
      error = ContainerStates.lastHealthcheck(state.path("Health"));
    }
    Instant updatedAt =
        switch (status) {
          case "exited", "dead" -> ContainerStates.time(state.path("FinishedAt").asText(null));
          case "created" -> ContainerStates.time(inspect.path("Created").asText(null));
          default -> ContainerStates.time(state.path("StartedAt").asText(null));
        };
    String message = "exited".equals(status) ? "exited (" + exitCode + ")" : status;
    return new TaskState(
        c.id(),
        service,
        c.number(),
        null,
        c.id(),
        taskStatus,
        job ? TaskStatus.COMPLETE : TaskStatus.RUNNING,
        health,
        current,
        message,
        error,
        updatedAt);
  }

  /** The engine's container state as a task state. */
  static TaskStatus status(String state, int exitCode) {
    return switch (state) {
      case "created" -> TaskStatus.READY;
      case "running", "paused" -> TaskStatus.RUNNING;
      case "restarting" -> TaskStatus.STARTING;
      case "exited" -> exitCode == 0 ? TaskStatus.COMPLETE : TaskStatus.FAILED;
      case "dead" -> TaskStatus.FAILED;
      case "removing" -> TaskStatus.REMOVE;
      default -> TaskStatus.PENDING;
    };
  }

  private static int parse(String value, int fallback) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** The projects that have containers, networks or volumes labelled on the engine. */
  public static List<String> projects(Engine engine) {
    TreeSet<String> names = new TreeSet<>();
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("all", "1");
    query.put("filters", engine.filters(Map.of("label", List.of(ComposeNames.PROJECT))));
    engine
        .get("listing containers", Engine.path("/containers/json", query))
        .forEach(c -> add(names, c.path("Labels").path(ComposeNames.PROJECT)));
    engine
        .get(
            "listing networks",
            Engine.path(
                "/networks",
                Map.of("filters", engine.filters(Map.of("label", List.of(ComposeNames.PROJECT))))))
        .forEach(n -> add(names, n.path("Labels").path(ComposeNames.PROJECT)));
    engine
        .get(
            "listing volumes",
            Engine.path(
                "/volumes",
                Map.of("filters", engine.filters(Map.of("label", List.of(ComposeNames.PROJECT))))))
        .path("Volumes")
        .forEach(v -> add(names, v.path("Labels").path(ComposeNames.PROJECT)));
    return new ArrayList<>(names);
  }

  private static void add(TreeSet<String> names, JsonNode value) {
    if (value.isTextual() && !value.asText().isBlank()) {
      names.add(value.asText());
    }
  }
}
