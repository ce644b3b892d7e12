package io.stackwright.api.event;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.health.ProbeTier;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobState;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an {@link OrchestratorEvent} reports, for programs: one record per {@link EventType}, with
 * typed fields. A {@code switch} over this sealed type is checked for exhaustiveness by the
 * compiler. A field that is {@code null} was not known where the event was raised (documented per
 * kind in docs/events.md). Details never carry secret values.
 *
 * <p>Adding a kind is adding an {@link EventType} constant and one record here whose {@link
 * #type()} returns it ({@code EventDetailTest} checks the two stay one to one).
 */
public sealed interface EventDetail {

  /** The kind this detail is of. */
  EventType type();

  /**
   * The detail as text, one entry per non-null field (a map field adds {@code field.key} entries),
   * for logs, JSON output and consumers written against the attribute map.
   */
  default Map<String, String> attributes() {
    Map<String, String> attributes = new TreeMap<>();
    for (RecordComponent component : getClass().getRecordComponents()) {
      Object value;
      try {
        value = component.getAccessor().invoke(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component.getName(), e);
      }
      if (value instanceof Map<?, ?> map) {
        map.forEach((k, v) -> attributes.put(component.getName() + "." + k, String.valueOf(v)));
      } else if (value != null) {
        attributes.put(component.getName(), String.valueOf(value));
      }
    }
    return attributes;
  }

  /** What kind of thing a resource event is about. */
  enum Resource {
    SERVICE,
    NETWORK,
    VOLUME,
    SECRET,
    CONFIG,
    /** One container of a service on the single engine. */
    CONTAINER,
    /** One replica (task or container) of a service, whatever the platform. */
    REPLICA,
    /** The secret and config files the single engine mounts. */
    FILES;

    public static Resource of(ResourceKind kind) {
      return Resource.valueOf(kind.name());
    }
  }

  private static Map<String, String> copy(Map<String, String> map) {
    return map == null ? Map.of() : Map.copyOf(map);
  }

  // ------------------------------------------------------------------ deployments

  /**
   * A deployment (an attempt of a deploy job) began; it is always followed by {@link
   * DeploymentSucceeded} or {@link DeploymentFailed}.
   *
   * @param revision the desired-state revision deployed, 0 when not yet recorded
   * @param services how many services the stack declares
   * @param job the deploy job's id, 0 outside a job
   * @param attempt the job's attempt, 1 for the first
   */
  record DeploymentStarted(long revision, int services, long job, int attempt)
      implements EventDetail {
    public EventType type() {
      return EventType.DEPLOYMENT_STARTED;
    }
  }

  /** The platform compared the stack with what runs. */
  record PlanComputed(int changes, int creates, int updates, int deletes) implements EventDetail {
    public EventType type() {
      return EventType.PLAN_COMPUTED;
    }
  }

  /**
   * @param kind what was created
   * @param name the engine's name of it
   * @param id the engine's id, or null when the engine gives none
   */
  record ResourceCreated(Resource kind, String name, String id) implements EventDetail {
    public ResourceCreated {
      Objects.requireNonNull(kind, "kind");
    }

    public EventType type() {
      return EventType.RESOURCE_CREATED;
    }
  }

  /**
   * @param action what was done to it: updated, recreated, started, restarted, relabelled, new
   *     version
   */
  record ResourceUpdated(Resource kind, String name, String id, String action)
      implements EventDetail {
    public ResourceUpdated {
      Objects.requireNonNull(kind, "kind");
    }

    public EventType type() {
      return EventType.RESOURCE_UPDATED;
    }
  }

  record ResourceDeleted(Resource kind, String name, String id) implements EventDetail {
    public ResourceDeleted {
      Objects.requireNonNull(kind, "kind");
    }

    public EventType type() {
      return EventType.RESOURCE_DELETED;
    }
  }

  /**
   * A replica changed state or health, as the platform reports it.
   *
   * @param replica the replica's id (the task id on Swarm, the container id on the single engine)
   * @param slot the replica's slot (Swarm) or container number (single engine)
   * @param state what it is now
   * @param desired what the platform wants it to be, or null when the platform does not say
   * @param containerId the container's id, or null when it has none yet
   * @param exitCode the exit code when it exited, else null
   * @param error the platform's error text, else null
   * @param node the node it runs on, or null on the single engine
   */
  record TaskStateChanged(
      String service,
      String replica,
      int slot,
      TaskStatus state,
      TaskStatus desired,
      HealthStatus health,
      String containerId,
      Integer exitCode,
      String error,
      String node)
      implements EventDetail {
    public TaskStateChanged {
      Objects.requireNonNull(state, "state");
      health = health == null ? HealthStatus.NONE : health;
    }

    public EventType type() {
      return EventType.TASK_STATE_CHANGED;
    }
  }

  record ServiceConverged(String service, int replicas) implements EventDetail {
    public EventType type() {
      return EventType.SERVICE_CONVERGED;
    }
  }

  /**
   * @param from the replicas before, or null when not known
   * @param to the replicas now
   * @param job the scale job, or 0 when a deploy scaled it
   */
  record ServiceScaled(String service, Integer from, int to, long job) implements EventDetail {
    public EventType type() {
      return EventType.SERVICE_SCALED;
    }
  }

  /**
   * A replica was replaced by a new one, on every platform with both ids.
   *
   * @param oldReplica the id of the replica that was replaced
   * @param newReplica the id of the one that took its place, or null when the platform gave none in
   *     time
   * @param slot the slot both share
   * @param reason why (a short phrase)
   */
  record ReplicaReplaced(
      String service, String oldReplica, String newReplica, int slot, String reason)
      implements EventDetail {
    public EventType type() {
      return EventType.REPLICA_REPLACED;
    }
  }

  record DeploymentSucceeded(long revision, Duration elapsed, String strategy)
      implements EventDetail {
    public EventType type() {
      return EventType.DEPLOYMENT_SUCCEEDED;
    }
  }

  /**
   * @param outcome FAILED, ROLLED_BACK or TIMED_OUT (whatever the result says)
   * @param reason why, for people
   */
  record DeploymentFailed(
      long revision, DeploymentResult.Outcome outcome, Duration elapsed, String reason)
      implements EventDetail {
    public EventType type() {
      return EventType.DEPLOYMENT_FAILED;
    }
  }

  /** A stack was removed: once per remove, on every platform. */
  record StackRemoved(boolean volumesRemoved, long job) implements EventDetail {
    public EventType type() {
      return EventType.STACK_REMOVED;
    }
  }

  /**
   * Something worth a person's attention that is no failure of its own.
   *
   * @param code a stable short name for machines (documented in docs/events.md)
   * @param details what is open-ended about it
   */
  record Warning(String code, Map<String, String> details) implements EventDetail {
    public Warning {
      Objects.requireNonNull(code, "code");
      details = copy(details);
    }

    public static Warning of(String code) {
      return new Warning(code, Map.of());
    }

    public EventType type() {
      return EventType.WARNING;
    }
  }

  // ------------------------------------------------------------------ health

  /**
   * @param failures consecutive failures so far
   * @param threshold the failures that make the replica unready or dead
   * @param detail the probe's own text
   */
  record ProbeFailed(
      String service,
      String replica,
      int slot,
      ProbeTier tier,
      int failures,
      int threshold,
      String detail)
      implements EventDetail {
    public EventType type() {
      return EventType.PROBE_FAILED;
    }
  }

  record ProbeRecovered(String service, String replica, int slot, ProbeTier tier, int failures)
      implements EventDetail {
    public EventType type() {
      return EventType.PROBE_RECOVERED;
    }
  }

  record ReplicaReady(String service, String replica, int slot) implements EventDetail {
    public EventType type() {
      return EventType.REPLICA_READY;
    }
  }

  record ReplicaUnready(String service, String replica, int slot, String detail)
      implements EventDetail {
    public EventType type() {
      return EventType.REPLICA_UNREADY;
    }
  }

  record CrashLoop(String service, int failures, Duration window, int maxReplacements)
      implements EventDetail {
    public EventType type() {
      return EventType.CRASH_LOOP;
    }
  }

  record AlertSent(String service, String alert, String sink) implements EventDetail {
    public EventType type() {
      return EventType.ALERT_SENT;
    }
  }

  record AlertFailed(String service, String alert, String sink, String error)
      implements EventDetail {
    public EventType type() {
      return EventType.ALERT_FAILED;
    }
  }

  // ------------------------------------------------------------------ autoscaling

  /**
   * One autoscaling round of a service.
   *
   * @param acted whether the replicas were changed (false in dry-run or when nothing changes)
   * @param metrics per metric: its value and what it proposed
   */
  record ScalingDecision(
      String service,
      int current,
      int recommended,
      int desired,
      boolean acted,
      boolean dryRun,
      String reason,
      Map<String, String> metrics)
      implements EventDetail {
    public ScalingDecision {
      metrics = copy(metrics);
    }

    public EventType type() {
      return EventType.SCALING_DECISION;
    }
  }

  /** This process took the stack's autoscaling lease: its autoscaler acts from now on. */
  record ScalingLeaseAcquired(String holder) implements EventDetail {
    public EventType type() {
      return EventType.SCALING_LEASE_ACQUIRED;
    }
  }

  /** This process lost the stack's autoscaling lease to {@code leader}: it stops acting. */
  record ScalingLeaseLost(String holder, String leader) implements EventDetail {
    public EventType type() {
      return EventType.SCALING_LEASE_LOST;
    }
  }

  // ------------------------------------------------------------------ routing

  /**
   * @param provider the router's provider (Traefik's file, http, labels, ...)
   * @param routes how many routes are published now; 0 when they were withdrawn
   */
  record RoutesPublished(String provider, int routes) implements EventDetail {
    public EventType type() {
      return EventType.ROUTES_PUBLISHED;
    }
  }

  /**
   * @param weights per service, its share of the route's traffic in percent
   */
  record TrafficShifted(String service, String route, Map<String, Integer> weights)
      implements EventDetail {
    public TrafficShifted {
      weights = weights == null ? Map.of() : Map.copyOf(weights);
    }

    public EventType type() {
      return EventType.TRAFFIC_SHIFTED;
    }
  }

  // ------------------------------------------------------------------ rollouts

  /**
   * @param strategy the strategy's id (rolling, canary, blue-green)
   * @param step the step's name (update, verify, batch, green, switch, canary, done, ...)
   * @param number the step's number, from 1, or 0 when steps are not counted
   * @param of how many steps there are, or 0 when not counted
   * @param weight the canary's share of traffic in percent, or null
   * @param replicas the replicas the step runs or starts, or null
   */
  record RolloutStep(
      String service,
      long revision,
      String strategy,
      String step,
      int number,
      int of,
      Integer weight,
      Integer replicas)
      implements EventDetail {
    public EventType type() {
      return EventType.ROLLOUT_STEP;
    }
  }

  record RolloutPaused(long revision, String strategy, String step) implements EventDetail {
    public EventType type() {
      return EventType.ROLLOUT_PAUSED;
    }
  }

  /** Always followed by {@link RollbackCompleted} or {@link RollbackFailed}. */
  record RollbackStarted(long from, long to, String reason) implements EventDetail {
    public EventType type() {
      return EventType.ROLLBACK_STARTED;
    }
  }

  /**
   * @param recovery from detecting the failure to the old revision serving again
   */
  record RollbackCompleted(long from, long to, Duration recovery) implements EventDetail {
    public EventType type() {
      return EventType.ROLLBACK_COMPLETED;
    }
  }

  record RollbackFailed(long from, long to, String error) implements EventDetail {
    public EventType type() {
      return EventType.ROLLBACK_FAILED;
    }
  }

  record CanaryPromoted(long revision, String strategy) implements EventDetail {
    public EventType type() {
      return EventType.CANARY_PROMOTED;
    }
  }

  record CanaryAborted(long revision, String strategy, String reason) implements EventDetail {
    public EventType type() {
      return EventType.CANARY_ABORTED;
    }
  }

  // ------------------------------------------------------------------ jobs

  record JobSubmitted(long job, JobKind kind) implements EventDetail {
    public EventType type() {
      return EventType.JOB_SUBMITTED;
    }
  }

  /** Always followed by {@link JobFinished} or {@link JobRetrying} (then started again). */
  record JobStarted(long job, JobKind kind, int attempt) implements EventDetail {
    public EventType type() {
      return EventType.JOB_STARTED;
    }
  }

  record JobProgress(long job, JobKind kind, int step, int total) implements EventDetail {
    public EventType type() {
      return EventType.JOB_PROGRESS;
    }
  }

  record JobRetrying(long job, JobKind kind, int attempt, Duration retryIn, String error)
      implements EventDetail {
    public EventType type() {
      return EventType.JOB_RETRYING;
    }
  }

  /**
   * @param outcome the job's end state (succeeded, failed, cancelled, rolled back, ...)
   * @param error why it did not succeed, or null
   */
  record JobFinished(long job, JobKind kind, JobState outcome, String error)
      implements EventDetail {
    public EventType type() {
      return EventType.JOB_FINISHED;
    }
  }

  // ------------------------------------------------------------------ drift

  /**
   * A change made outside Stackwright was seen (one event per difference).
   *
   * @param resource the resource key
   * @param details what differs: kind, field, desired, live, firstSeen, changedAt, changedBy, mode,
   *     revision (open-ended: they depend on the resource)
   */
  record DriftDetected(String resource, Map<String, String> details) implements EventDetail {
    public DriftDetected {
      details = copy(details);
    }

    public EventType type() {
      return EventType.DRIFT_DETECTED;
    }

    /** The details themselves, as the drift reports have them. */
    @Override
    public Map<String, String> attributes() {
      return new TreeMap<>(details);
    }
  }

  /**
   * @param fields the differences repaired, {@code ; }-separated
   */
  record DriftRepaired(long job, String fields) implements EventDetail {
    public EventType type() {
      return EventType.DRIFT_REPAIRED;
    }
  }

  record DriftRepairStopped(String reason, int setbacks) implements EventDetail {
    public EventType type() {
      return EventType.DRIFT_REPAIR_STOPPED;
    }
  }

  // tenancy: admission and quotas

  /**
   * @param tenant the tenant the stack was admitted for, or {@code null} without one
   * @param problems how many problems refused it (every one is in the event's message)
   */
  record AdmissionDenied(String tenant, int problems) implements EventDetail {
    public EventType type() {
      return EventType.ADMISSION_DENIED;
    }
  }

  /** A policy violation admitted because the tenant's mode is warn. */
  record AdmissionWarning(String tenant, String problem) implements EventDetail {
    public EventType type() {
      return EventType.ADMISSION_WARNING;
    }
  }

  /** A policy violation admitted and recorded because the tenant's mode is audit. */
  record AdmissionAudit(String tenant, String problem) implements EventDetail {
    public EventType type() {
      return EventType.ADMISSION_AUDIT;
    }
  }

  /**
   * @param peak what the job reserves at most while it runs (its rollout's surge included)
   */
  record QuotaReserved(String tenant, long jobId, String peak) implements EventDetail {
    public EventType type() {
      return EventType.QUOTA_RESERVED;
    }
  }

  /**
   * @param outcome the state the job ended in
   */
  record QuotaReleased(String tenant, long jobId, String outcome) implements EventDetail {
    public EventType type() {
      return EventType.QUOTA_RELEASED;
    }
  }

  /**
   * @param resource the quota's resource that the request would pass ({@code replicas}, ...)
   */
  record QuotaExceeded(String tenant, String resource) implements EventDetail {
    public EventType type() {
      return EventType.QUOTA_EXCEEDED;
    }
  }

  // ------------------------------------------------------------------ secrets and configs

  /**
   * A secret's or config's new content serves: the services that reference it were rolled onto it
   * (start-first) and converged healthy. Carries no content and no hash of it.
   *
   * @param kind {@link Resource#SECRET} or {@link Resource#CONFIG}
   * @param key the secret's or config's key in the stack
   * @param services the services rolled onto the new content, by name
   * @param job the rotate job
   * @param revision the desired-state revision the rotation was accepted as
   * @param elapsed from the job's attempt start to the services converged
   */
  record ContentRotated(
      Resource kind, String key, List<String> services, long job, long revision, Duration elapsed)
      implements EventDetail {
    public ContentRotated {
      services = services == null ? List.of() : List.copyOf(services);
    }

    public EventType type() {
      return EventType.CONTENT_ROTATED;
    }
  }
}
