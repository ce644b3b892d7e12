package io.stackwright.api.state;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The observed state of one service.
 *
 * @param name the service's key in the stack
 * @param platformId the platform's id for it
 * @param image the image as declared (not the pinned digest)
 * @param desiredReplicas replicas asked for ({@code -1} for global mode, where the node count
 *     rules)
 * @param version the platform's version index (0 where there is none)
 * @param updateState the state of a rolling update in progress, or {@code null}
 * @param tasks the replicas, current and old
 */
public record ServiceState(
    String name,
    String platformId,
    String image,
    int desiredReplicas,
    long version,
    String updateState,
    Map<String, String> labels,
    List<TaskState> tasks) {

  public ServiceState {
    Objects.requireNonNull(name, "name");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    tasks = List.copyOf(tasks);
  }

  /** Replicas of the current spec that should be running. */
  public List<TaskState> currentTasks() {
    return tasks.stream()
        .filter(t -> t.current() && t.desiredStatus() == TaskStatus.RUNNING)
        .toList();
  }

  /** Replicas of the current spec that run and pass their healthcheck. */
  public long readyReplicas() {
    return currentTasks().stream().filter(TaskState::isReady).count();
  }

  /** Running replicas, of any version. */
  public long runningReplicas() {
    return tasks.stream().filter(t -> t.status() == TaskStatus.RUNNING).count();
  }
}
