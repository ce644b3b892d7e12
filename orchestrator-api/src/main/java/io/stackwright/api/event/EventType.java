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
  WARNING,
  // health (probes, recovery, alerts)
  PROBE_FAILED,
  PROBE_RECOVERED,
  REPLICA_READY,
  REPLICA_UNREADY,
  CRASH_LOOP,
  ALERT_SENT,
  ALERT_FAILED,
  // autoscaling
  SCALING_DECISION,
  // routing
  ROUTES_PUBLISHED,
  TRAFFIC_SHIFTED,
  // rollout strategies
  ROLLOUT_STEP,
  ROLLOUT_PAUSED,
  ROLLBACK_STARTED,
  ROLLBACK_COMPLETED,
  CANARY_PROMOTED,
  CANARY_ABORTED
}
