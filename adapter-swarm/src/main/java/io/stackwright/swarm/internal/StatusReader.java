package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.docker.internal.ContainerStates;
import io.stackwright.docker.internal.Engine;
import io.stackwright.swarm.internal.LiveStack.LiveFile;
import io.stackwright.swarm.internal.LiveStack.LiveNetwork;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the observed state of a stack: its services, their tasks and, for tasks whose container
 * runs on this engine, the container's health.
 *
 * <p>Swarm's task API does not expose container health. A container on this engine is inspected
 * ({@code State.Health.Status}). For a container on another node the health is derived: the engine
 * reports a task with a healthcheck as {@code running} only once it passed its healthcheck, so a
 * running task with a healthcheck is {@code HEALTHY} and one still starting is {@code STARTING}.
 */
public final class StatusReader {

  private final Engine engine;

  public StatusReader(Engine engine) {
    this.engine = engine;
  }

  public StackState status(String stack) {
    List<LiveService> services = LiveStack.services(engine, stack);
    Map<String, List<JsonNode>> tasksByService = tasks(services);
    List<ServiceState> states = new ArrayList<>();
    for (LiveService service : services) {
      states.add(
          serviceState(stack, service, tasksByService.getOrDefault(service.id(), List.of())));
    }
    List<String> networks =
        LiveStack.networks(engine).stream()
            .filter(n -> n.inNamespace(stack))
            .map(LiveNetwork::name)
            .sorted()
            .toList();
    List<String> secrets =
        LiveStack.secrets(engine).stream()
            .filter(f -> f.inNamespace(stack))
            .map(LiveFile::name)
            .sorted()
            .toList();
    List<String> configs =
        LiveStack.configs(engine).stream()
            .filter(f -> f.inNamespace(stack))
            .map(LiveFile::name)
            .sorted()
            .toList();
    return new StackState(stack, states, networks, secrets, configs, volumes(stack));
  }

  /** Named volumes carrying the stack's label (created by the engine when a task mounts them). */
  public List<String> volumes(String stack) {
    return engine
        .call(
            "listing the volumes of stack " + stack,
            () ->
                engine
                    .docker()
                    .listVolumesCmd()
                    .withFilter("label", List.of(StackNames.NAMESPACE + "=" + stack))
                    .exec())
        .getVolumes()
        .stream()
        .map(InspectVolumeResponse::getName)
        .sorted()
        .toList();
  }

  /** The tasks of these services as JSON trees, by service id. */
  Map<String, List<JsonNode>> tasks(List<LiveService> services) {
    Map<String, List<JsonNode>> result = new HashMap<>();
    if (services.isEmpty()) {
      return result;
    }
    List<String> ids = services.stream().map(LiveService::id).toList();
    List<JsonNode> tasks =
        engine.getList(
            "listing the tasks of " + services.size() + " services",
            Engine.path("/tasks", Map.of("filters", engine.filters(Map.of("service", ids)))));
    for (JsonNode tree : tasks) {
      result.computeIfAbsent(tree.path("ServiceID").asText(), k -> new ArrayList<>()).add(tree);
    }
    return result;
  }

  ServiceState serviceState(String stack, LiveService service, List<JsonNode> tasks) {
    JsonNode spec = service.spec();
    String key = StackNames.descope(stack, service.name());
    JsonNode currentTemplate = SpecNormalizer.taskTemplate(spec.path("TaskTemplate"));
    List<TaskState> taskStates = new ArrayList<>();
    for (JsonNode task : tasks) {
      taskStates.add(taskState(key, task, currentTemplate));
    }
    taskStates.sort(
        Comparator.comparingInt(TaskState::slot)
            .thenComparing(t -> t.updatedAt() == null ? Instant.MIN : t.updatedAt()));
    String image =
        Optional.ofNullable(service.labels().get(StackNames.IMAGE))
            .orElse(spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText(null));
    String updateState = service.tree().path("UpdateStatus").path("State").asText(null);
    return new ServiceState(
        key,
        service.id(),
        image,
        desiredReplicas(spec.path("Mode")),
        service.version(),
        updateState == null || updateState.isEmpty() ? null : updateState,
        service.labels(),
        taskStates);
  }

  static int desiredReplicas(JsonNode mode) {
    if (mode.has("Replicated")) {
      return mode.path("Replicated").path("Replicas").asInt(1);
    }
    if (mode.has("ReplicatedJob")) {
      return mode.path("ReplicatedJob").path("TotalCompletions").asInt(1);
    }
    return -1;
  }

  TaskState taskState(String serviceKey, JsonNode task, JsonNode currentTemplate) {
    JsonNode status = task.path("Status");
    TaskStatus state = taskStatus(status.path("State").asText());
    String containerId = status.path("ContainerStatus").path("ContainerID").asText(null);
    if (containerId != null && containerId.isEmpty()) {
      containerId = null;
    }
    boolean current = SpecNormalizer.taskTemplate(task.path("Spec")).equals(currentTemplate);
    String error = status.path("Err").asText(null);
    HealthStatus health = health(state, containerId, task.path("Spec"));
    if ((state == TaskStatus.COMPLETE || state == TaskStatus.SHUTDOWN)
        && containerId != null
        && declaresHealthcheck(task.path("Spec"))) {
      // The engine stops a container its healthcheck called unhealthy as it stops any other (the
      // task ends "complete"); only the container, while it exists, tells that it was unhealthy.
      // The task stays as the engine reports it (not a crash); its health says why it ended.
      Optional<String> unhealthy = stoppedUnhealthy(containerId);
      if (unhealthy.isPresent()) {
        health = HealthStatus.UNHEALTHY;
        error = "stopped by the engine as unhealthy: " + unhealthy.get();
      }
    }
    return new TaskState(
        task.path("ID").asText(),
        serviceKey,
        task.path("Slot").asInt(0),
        emptyToNull(task.path("NodeID").asText(null)),
        containerId,
        state,
        taskStatus(task.path("DesiredState").asText()),
        health,
        current,
        emptyToNull(status.path("Message").asText(null)),
        emptyToNull(error),
        ContainerStates.time(status.path("Timestamp").asText(null)));
  }

  private static boolean declaresHealthcheck(JsonNode taskSpec) {
    JsonNode test = taskSpec.path("ContainerSpec").path("Healthcheck").path("Test");
    return test.isArray() && !test.isEmpty() && !"NONE".equals(test.get(0).asText());
  }

  /**
   * How the healthcheck of an ended container on this engine failed, if its last health status was
   * unhealthy; empty otherwise, or when the container is elsewhere or gone. An ended container's
   * health no longer changes, so each is inspected once (the last {@value #ENDED_REMEMBERED}).
   */
  private Optional<String> stoppedUnhealthy(String containerId) {
    Optional<String> known = endedHealth.get(containerId);
    if (known != null) {
      return known;
    }
    Optional<String> verdict =
        inspect(containerId)
            .map(inspect -> inspect.path("State").path("Health"))
            .filter(h -> ContainerStates.health(h) == HealthStatus.UNHEALTHY)
            .map(ContainerStates::lastHealthcheck);
    endedHealth.put(containerId, verdict);
    return verdict;
  }

  static final int ENDED_REMEMBERED = 1024;

  private final Map<String, Optional<String>> endedHealth =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
              return size() > ENDED_REMEMBERED;
            }
          });

  HealthStatus health(TaskStatus state, String containerId, JsonNode taskSpec) {
    if (state != TaskStatus.RUNNING && state != TaskStatus.STARTING) {
      return HealthStatus.NONE;
    }
    if (containerId != null) {
      Optional<JsonNode> container = inspect(containerId);
      if (container.isPresent()) {
        JsonNode health = container.get().path("State").path("Health");
        return health.isMissingNode() || health.isNull()
            ? HealthStatus.NONE
            : ContainerStates.health(health.path("Status").asText(null));
      }
    }
    if (!declaresHealthcheck(taskSpec)) {
      return HealthStatus.NONE;
    }
    return state == TaskStatus.RUNNING ? HealthStatus.HEALTHY : HealthStatus.STARTING;
  }

  /** The container as the engine answers, if it is on this engine. */
  private Optional<JsonNode> inspect(String containerId) {
    return engine.find(
        "inspecting container " + containerId, "/containers/" + containerId + "/json");
  }

  /** Swarm's task states; {@code allocated} (between new and pending) counts as new. */
  static TaskStatus taskStatus(String state) {
    if (state == null || state.isEmpty()) {
      return TaskStatus.NEW;
    }
    return switch (state.toLowerCase(Locale.ROOT)) {
      case "new", "allocated" -> TaskStatus.NEW;
      case "pending" -> TaskStatus.PENDING;
      case "assigned" -> TaskStatus.ASSIGNED;
      case "accepted" -> TaskStatus.ACCEPTED;
      case "preparing" -> TaskStatus.PREPARING;
      case "ready" -> TaskStatus.READY;
      case "starting" -> TaskStatus.STARTING;
      case "running" -> TaskStatus.RUNNING;
      case "complete" -> TaskStatus.COMPLETE;
      case "shutdown" -> TaskStatus.SHUTDOWN;
      case "failed" -> TaskStatus.FAILED;
      case "rejected" -> TaskStatus.REJECTED;
      case "remove" -> TaskStatus.REMOVE;
      case "orphaned" -> TaskStatus.ORPHANED;
      default -> TaskStatus.PENDING;
    };
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
