package io.stackwright.api.event;

/**
 * What an {@link OrchestratorEvent} reports. Each constant has exactly one {@link EventDetail}
 * record; the catalogue is docs/events.md.
 */
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
  /** This process took a stack's autoscaling lease (its autoscaler acts). */
  SCALING_LEASE_ACQUIRED,
  /** This process lost a stack's autoscaling lease to another. */
  SCALING_LEASE_LOST,
  // routing
  ROUTES_PUBLISHED,
  TRAFFIC_SHIFTED,
  // rollout strategies
  ROLLOUT_STEP,
  ROLLOUT_PAUSED,
  ROLLBACK_STARTED,
  ROLLBACK_COMPLETED,
  /** The way back to the previous revision failed too. */
  ROLLBACK_FAILED,
  CANARY_PROMOTED,
  CANARY_ABORTED,
  // jobs (the subject is the job id)
  JOB_SUBMITTED,
  JOB_STARTED,
  JOB_PROGRESS,
  JOB_RETRYING,
  JOB_FINISHED,
  // drift (the subject is the resource key; attributes kind, field, desired, live, firstSeen)
  /** A change made outside Stackwright was seen (one event per difference). */
  DRIFT_DETECTED,
  /** A reconcile job restored the desired state after a drift. */
  DRIFT_REPAIRED,
  /** Repairs of a drift stopped: it kept coming back, or the repair failed; an alert went out. */
  DRIFT_REPAIR_STOPPED,
  // tenancy: admission and quotas (the subject is the stack)
  /** A stack was refused at admission (policy, isolation, a host check or the quota). */
  ADMISSION_DENIED,
  /** A policy violation admitted because the tenant's mode is warn. */
  ADMISSION_WARNING,
  /** A policy violation admitted and recorded because the tenant's mode is audit. */
  ADMISSION_AUDIT,
  /** A job reserved part of its tenant's quota (attributes: tenant, job). */
  QUOTA_RESERVED,
  /** A job ended and its reservation was released (attributes: tenant, job). */
  QUOTA_RELEASED,
  /** A job was refused because it would pass its tenant's quota (attributes: tenant, resource). */
  QUOTA_EXCEEDED,
  // secrets and configs (the subject is the secret's or config's key; never its content)
  /** A rotate job rolled the services using a secret or config onto its new content. */
  CONTENT_ROTATED
}
