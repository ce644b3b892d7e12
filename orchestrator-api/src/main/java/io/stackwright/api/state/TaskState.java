package io.stackwright.api.state;

import java.time.Instant;
import java.util.Objects;

/**
 * The observed state of one replica.
 *
 * @param id the platform's id (a Swarm task id, a container id)
 * @param service the service's key in the stack
 * @param slot the replica's slot or container number (0 where there is none, as in global mode)
 * @param nodeId the node it was scheduled on, or {@code null}
 * @param containerId the container, once one exists, or {@code null}
 * @param status where the replica is in its life cycle
 * @param desiredStatus where the platform wants it to be (running, or shutdown when replaced)
 * @param health the container healthcheck's verdict
 * @param current whether it runs the service's current spec (not an older version being replaced)
 * @param message the engine's status message
 * @param error the engine's error, or {@code null}
 * @param updatedAt when its status last changed
 */
public record TaskState(
    String id,
    String service,
    int slot,
    String nodeId,
    String containerId,
    TaskStatus status,
    TaskStatus desiredStatus,
    HealthStatus health,
    boolean current,
    String message,
    String error,
    Instant updatedAt) {

  public TaskState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(desiredStatus, "desiredStatus");
    health = Objects.requireNonNullElse(health, HealthStatus.NONE);
  }

  /** Running, and healthy where a healthcheck exists. */
  public boolean isReady() {
    return status == TaskStatus.RUNNING
        && (health == HealthStatus.NONE || health == HealthStatus.HEALTHY);
  }
}
