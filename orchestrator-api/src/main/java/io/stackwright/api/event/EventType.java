package io.stackwright.api.event;

/** What an {@link OrchestratorEvent} reports. */
public enum EventType {
  DEPLOYMENT_STARTED,
  PLAN_COMPUTED,
  RESOURCE_CREATED,
  RESOURCE_UPDATED,
  RESOURCE_DELETED,
  /** A replica changed state (pending, running, failed, ...) or health. */
  TASK_STATE_CHANGED,
  /** Every desired replica of a service runs its current spec and is healthy. */
  SERVICE_CONVERGED,
  SERVICE_SCALED,
  /** A replica that exited or vanished was replaced to keep the stack as declared. */
  REPLICA_REPLACED,
  DEPLOYMENT_SUCCEEDED,
  DEPLOYMENT_FAILED,
  STACK_REMOVED,
  WARNING
}
