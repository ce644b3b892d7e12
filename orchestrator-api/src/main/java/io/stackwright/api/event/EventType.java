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
  DEPLOYMENT_SUCCEEDED,
  DEPLOYMENT_FAILED,
  STACK_REMOVED,
  WARNING
}
