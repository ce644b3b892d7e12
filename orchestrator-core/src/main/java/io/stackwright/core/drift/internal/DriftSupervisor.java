package io.stackwright.core.drift.internal;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.drift.DriftReport;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.Alert;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.spi.AuditStore;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.store.AuditEntry;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one stack for drift and reacts as its {@link DriftPolicy} says. A comparison runs when
 * the engine reports something about the stack's resources (the fast path, {@link #onEngineEvent})
 * and every interval plus jitter (the slow path: event streams drop events on reconnect). It
 * compares only while no job of the stack is live, against the desired state the jobs accepted, so
 * Stackwright's own deploys, scales and rollbacks are never drift.
 *
 * <ul>
 *   <li>{@code warn}: each new difference becomes a {@code DRIFT_DETECTED} event, a count of {@code
 *       stackwright.drift.detected} and an audit entry; nothing is written.
 *   <li>{@code repair}: the same, then a {@code reconcile} job re-applies the desired state ({@code
 *       DRIFT_REPAIRED} when it did). When the same drift comes back after a repair, or a repair
 *       fails, the next one waits ({@link RepairBackoff}: 2 s, tripling, up to 5 min); at the third
 *       setback in a row repairs stop with one {@code DRIFT_REPAIR_STOPPED} event and one alert,
 *       until the drift is gone or a new revision is accepted.
 * </ul>
 *
 * <p>Decisions are taken on the caller's thread from the injected clock; the {@link Target} reads
 * and submits, the {@link Timer} schedules, so tests drive it without an engine or sleeps.
 */
public final class DriftSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DriftSupervisor.class);

  /** How soon after an engine event the comparison runs (events come in bursts). */
  static final Duration EVENT_DEBOUNCE = Duration.ofMillis(150);

  /** A drift that comes back later than this after its repair counts as a new one. */
  static final Duration RECURRENCE_WINDOW = Duration.ofMinutes(30);

  /** What a supervisor reads and submits. */
  public interface Target {
    /** The current desired spec (with the replica counts set since), when this process holds it. */
    Optional<StackSpec> desiredSpec();

    /** The current desired revision, 0 when none. */
    long revision();

    /** Whether a job of the stack is queued or running (its writes are not drift). */
    boolean jobLive();

    /** The plan from {@code spec} to what runs (reads only). */
    Plan plan(StackSpec spec);

    /** Submits a reconcile job; completes with the finished job. */
    Submitted repair();
  }

  /** A submitted repair: its job id and its end. */
  public record Submitted(long jobId, CompletableFuture<Job> finished) {}

  /** Runs work later (the orchestrator's scheduler, or a test's). */
  public interface Timer {
    AutoCloseable schedule(Runnable work, Duration delay);
  }

  private final String stack;
  private final DriftPolicy policy;
  private final Target target;
  private final Timer timer;
  private final Clock clock;
  private final RandomGenerator random;
  private final EventListener events;
  private final MetricsRecorder metrics;
  private final AuditStore audit;
  private final Consumer<Alert> alerts;
  private final String host;
  private final String principal;
  private final RepairBackoff backoff;
  private final DriftDetector detector = new DriftDetector();

  private final Object lock = new Object();
  private Set<String> reported = Set.of();
  private Set<String> lastRepaired = Set.of();
  private Instant lastRepairAt = Instant.MIN;
  private int setbacks;
  private boolean stopped;
  private long stoppedAtRevision;
  private Long repairInFlight;
  private boolean comparing;
  private boolean again;
  private volatile boolean closed;
  private AutoCloseable periodic;
  private AutoCloseable soon;
  private volatile List<DriftReport> current = List.of();
  private volatile long comparisons;

  public DriftSupervisor(
      String stack,
      DriftPolicy policy,
      Target target,
      Timer timer,
      Clock clock,
      RandomGenerator random,
      EventListener events,
      MetricsRecorder metrics,
      AuditStore audit,
      Consumer<Alert> alerts,
      String host,
      String principal,
      RepairBackoff backoff) {
    this.stack = stack;
    this.policy = policy;
    this.target = target;
    this.timer = timer;
    this.clock = clock;
    this.random = random;
    this.events = events;
    this.metrics = metrics;
    this.audit = audit;
    this.alerts = alerts;
    this.host = host;
    this.principal = principal;
    this.backoff = backoff;
  }

  /** Starts the periodic comparisons (the first after one interval plus jitter). */
  public DriftSupervisor start() {
    if (policy.mode() != DriftMode.OFF) {
      // Counters exist at 0 from the start: Prometheus' increase() over a series that appears
      // with its first drift already counted sees no increase at all.
      for (ResourceKind kind : ResourceKind.values()) {
        metrics.count(
            "stackwright.drift.detected",
            Map.of("stack", stack, "kind", kind.name().toLowerCase(Locale.ROOT)),
            0);
      }
      metrics.count("stackwright.drift.repaired", Map.of("stack", stack), 0);
      schedulePeriodic();
    }
    return this;
  }

  public String stack() {
    return stack;
  }

  public DriftPolicy policy() {
    return policy;
  }

  /** The drift seen at the last comparison (empty when none). */
  public List<DriftReport> current() {
    return current;
  }

  /** Whether repairs stopped (and alerted) and wait for the drift to go or a new revision. */
  public boolean repairsStopped() {
    synchronized (lock) {
      return stopped;
    }
  }

  /** How many comparisons ran. */
  public long comparisons() {
    return comparisons;
  }

  /** The wait before the next periodic comparison: the interval plus up to the jitter. */
  Duration nextInterval() {
    long jitter = policy.jitter().toMillis();
    return policy.interval().plusMillis(jitter == 0 ? 0 : random.nextLong(jitter + 1));
  }

  private void schedulePeriodic() {
    if (closed) {
      return;
    }
    periodic =
        timer.schedule(
            () -> {
              compare("periodic comparison");
              schedulePeriodic();
            },
            nextInterval());
  }

  /** The engine reported something about one of the stack's resources: compare soon. */
  public void onEngineEvent(OrchestratorEvent event) {
    if (closed || policy.mode() == DriftMode.OFF) {
      return;
    }
    lastEvent = event;
    compareSoon(EVENT_DEBOUNCE, "engine event " + event.type());
  }

  /** The engine event that asked for the next comparison: when (and by whom) things changed. */
  private volatile OrchestratorEvent lastEvent;

  private void compareSoon(Duration delay, String why) {
    synchronized (lock) {
      if (soon != null) {
        return; // one is scheduled already; it will see this change too
      }
      soon =
          timer.schedule(
              () -> {
                synchronized (lock) {
                  soon = null;
                }
                compare(why);
              },
              delay);
    }
  }

  /**
   * Compares the desired state with what runs and reacts. Runs one at a time; a request during a
   * comparison runs once more after it.
   */
  public void compare(String why) {
    if (closed || policy.mode() == DriftMode.OFF) {
      return;
    }
    synchronized (lock) {
      if (comparing) {
        again = true;
        return;
      }
      comparing = true;
    }
    try {
      boolean more;
      do {
        compareOnce(why);
        synchronized (lock) {
          more = again;
          again = false;
          if (!more) {
            comparing = false;
          }
        }
      } while (more && !closed);
    } catch (RuntimeException e) {
      synchronized (lock) {
        comparing = false;
        again = false;
      }
      LOG.warn("Drift of {}: the comparison failed ({}); next one later", stack, e.toString());
    }
  }

  private void compareOnce(String why) {
    synchronized (lock) {
      if (repairInFlight != null) {
        return; // the repair's end compares again
      }
    }
    if (target.jobLive()) {
      LOG.debug("Drift of {}: a job is live; its writes are not drift ({})", stack, why);
      return;
    }
    Optional<StackSpec> spec = target.desiredSpec();
    if (spec.isEmpty()) {
      LOG.debug("Drift of {}: no desired spec held here; nothing to compare", stack);
      return;
    }
    long revision = target.revision();
    Plan plan;
    try {
      plan = target.plan(spec.get());
    } catch (OrchestratorException e) {
      LOG.warn(
          "Drift of {}: cannot read what runs ({}); next comparison later", stack, e.getMessage());
      return;
    }
    comparisons++;
    if (target.jobLive()) {
      return; // a job was submitted while planning: what the plan saw may be its doing
    }
    Instant now = clock.instant();
    List<DriftReport> reports = withEngineHint(detector.detect(spec.get(), plan, policy, now), now);
    current = reports;
    if (reports.isEmpty()) {
      clean(revision);
      return;
    }
    Set<String> keys =
        reports.stream().map(DriftReport::key).collect(Collectors.toCollection(LinkedHashSet::new));
    List<DriftReport> fresh;
    synchronized (lock) {
      fresh = reports.stream().filter(r -> !reported.contains(r.key())).toList();
      reported = keys;
    }
    if (!fresh.isEmpty()) {
      announce(fresh, revision);
    }
    if (policy.mode() == DriftMode.REPAIR) {
      maybeRepair(keys, revision, now);
    }
  }

  /**
   * The differences first seen now got here by an engine event. Its {@code actor} attribute (where
   * the platform gives one) says who changed them; its time says when only where the plan read no
   * instant from the live resource (a resource gone, a container removed): the engine's own record
   * of the resource is more exact than when this process received an event, which may even be
   * another resource's.
   */
  private List<DriftReport> withEngineHint(List<DriftReport> reports, Instant now) {
    OrchestratorEvent event = lastEvent;
    lastEvent = null;
    Map<String, OrchestratorEvent> kept = new LinkedHashMap<>();
    List<DriftReport> out = new java.util.ArrayList<>();
    for (DriftReport r : reports) {
      OrchestratorEvent hint = hints.get(r.key());
      if (hint == null && event != null && r.firstSeen().equals(now)) {
        hint = event;
      }
      if (hint != null) {
        kept.put(r.key(), hint);
        r =
            new DriftReport(
                r.stack(),
                r.kind(),
                r.resource(),
                r.field(),
                r.desired(),
                r.live(),
                r.firstSeen(),
                r.changedAt() != null ? r.changedAt() : hint.timestamp(),
                hint.attributes().get("actor"));
      }
      out.add(r);
    }
    hints.clear();
    hints.putAll(kept);
    return out;
  }

  /** The engine event behind each difference still present, by its key. */
  private final Map<String, OrchestratorEvent> hints =
      new java.util.concurrent.ConcurrentHashMap<>();

  private void clean(long revision) {
    synchronized (lock) {
      reported = Set.of();
      if (stopped) {
        LOG.info("Drift of {} is gone; repairs may run again", stack);
        stopped = false;
        setbacks = 0;
      }
    }
  }

  private void announce(List<DriftReport> fresh, long revision) {
    for (DriftReport r : fresh) {
      LOG.info("Stack {} drifted: {}", stack, r);
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
      attributes.put("field", r.field());
      if (r.desired() != null) {
        attributes.put("desired", r.desired());
      }
      if (r.live() != null) {
        attributes.put("live", r.live());
      }
      attributes.put("firstSeen", r.firstSeen().toString());
      if (r.changedAt() != null) {
        attributes.put("changedAt", r.changedAt().toString());
      }
      if (r.changedBy() != null) {
        attributes.put("changedBy", r.changedBy());
      }
      attributes.put("mode", policy.mode().id());
      attributes.put("revision", String.valueOf(revision));
      emit(new EventDetail.DriftDetected(r.resource(), attributes), r.resource(), "drifted: " + r);
      metrics.count(
          "stackwright.drift.detected", Map.of("stack", stack, "kind", attributes.get("kind")), 1);
    }
    append(
        AuditEntry.builder(stack, AuditEntry.Kind.DRIFT_DETECTED)
            .revisions(revision, revision)
            .summary(fresh.stream().map(DriftReport::toString).collect(Collectors.joining("; ")))
            .outcome(policy.mode() == DriftMode.REPAIR ? "repairing" : "warned"));
  }

  private void maybeRepair(Set<String> keys, long revision, Instant now) {
    Duration wait;
    synchronized (lock) {
      if (stopped) {
        if (revision == stoppedAtRevision) {
          return;
        }
        stopped = false; // a new revision: its drift is a new story
        setbacks = 0;
      }
      boolean overlaps = keys.stream().anyMatch(lastRepaired::contains);
      boolean recent = Duration.between(lastRepairAt, now).compareTo(RECURRENCE_WINDOW) < 0;
      if (overlaps && recent) {
        if (repairCounted) {
          setbacks++; // the drift its last repair removed came back: once per repair
          repairCounted = false;
        }
      } else if (!lastRepaired.isEmpty()) {
        setbacks = 0; // another drift, or the same much later: a new story
      }
      if (backoff.stops(setbacks)) {
        stopLocked(revision, "the same drift came back " + setbacks + " times after its repair");
        return;
      }
      Instant due =
          lastRepairAt.equals(Instant.MIN) ? now : lastRepairAt.plus(backoff.delay(setbacks));
      wait = now.isBefore(due) ? Duration.between(now, due) : Duration.ZERO;
    }
    if (!wait.isZero()) {
      LOG.info("Drift of {}: next repair in {} ms (setback {})", stack, wait.toMillis(), setbacks);
      compareSoon(wait, "repair backoff");
      return;
    }
    submitRepair(keys, revision);
  }

  /** Whether the last repair's return was counted as a setback yet (once per repair). */
  private boolean repairCounted;

  private void submitRepair(Set<String> keys, long revision) {
    Submitted job;
    try {
      job = target.repair();
    } catch (RuntimeException e) {
      LOG.warn("Drift of {}: submitting the repair failed: {}", stack, e.toString());
      return;
    }
    Instant started = clock.instant();
    synchronized (lock) {
      repairInFlight = job.jobId();
    }
    LOG.info("Drift of {}: repairing by reconcile job {}", stack, job.jobId());
    job.finished()
        .whenComplete((done, failure) -> repaired(keys, revision, started, done, failure));
  }

  private void repaired(
      Set<String> keys, long revision, Instant started, Job done, Throwable failure) {
    Instant now = clock.instant();
    boolean ok = failure == null && done != null && done.state() == JobState.SUCCEEDED;
    String why = failure != null ? failure.toString() : done == null ? "no job" : done.error();
    synchronized (lock) {
      repairInFlight = null;
      lastRepaired = Set.copyOf(keys);
      lastRepairAt = now;
      repairCounted = true;
      reported = Set.of(); // a drift seen again after its repair is reported again
      if (!ok) {
        setbacks++;
        repairCounted = false;
      }
    }
    detector.reset();
    AuditEntry.Builder entry =
        AuditEntry.builder(stack, AuditEntry.Kind.DRIFT_REPAIRED)
            .job(done == null ? 0 : done.id(), JobKind.RECONCILE)
            .revisions(revision, revision)
            .summary(String.join("; ", keys))
            .outcome(ok ? "succeeded" : "failed: " + why)
            .duration(Duration.between(started, now));
    append(entry);
    if (ok) {
      metrics.count("stackwright.drift.repaired", Map.of("stack", stack), keys.size());
      emit(
          new EventDetail.DriftRepaired(done.id(), String.join("; ", keys)),
          null,
          "repaired " + keys.size() + " differences by reconcile job " + done.id());
    } else {
      LOG.warn("Drift of {}: the repair failed: {}", stack, why);
      synchronized (lock) {
        if (backoff.stops(setbacks)) {
          stopLocked(revision, "the repair failed " + setbacks + " times: " + why);
          return;
        }
      }
    }
    // Look again: a repair that did not hold, or a drift that comes back, shows at once.
    compareSoon(ok ? EVENT_DEBOUNCE : backoff.delay(setbacks), "after the repair");
  }

  /** Stops repairs with one event, one alert and one audit entry. Called holding the lock. */
  private void stopLocked(long revision, String reason) {
    if (stopped) {
      return;
    }
    stopped = true;
    stoppedAtRevision = revision;
    LOG.warn("Drift of {}: repairs stopped: {}", stack, reason);
    String summary = "drift repairs of stack " + stack + " stopped: " + reason;
    emit(new EventDetail.DriftRepairStopped(reason, setbacks), null, summary);
    append(
        AuditEntry.builder(stack, AuditEntry.Kind.DRIFT_REPAIR_STOPPED)
            .revisions(revision, revision)
            .summary(String.join("; ", reported.isEmpty() ? lastRepaired : reported))
            .outcome("stopped: " + reason));
    try {
      alerts.accept(
          new Alert(
              clock.instant(),
              Alert.Severity.CRITICAL,
              "drift_repair_stopped",
              stack,
              null,
              summary,
              Map.of("reason", reason, "revision", String.valueOf(revision))));
    } catch (RuntimeException e) {
      LOG.warn("Drift of {}: the alert could not be raised: {}", stack, e.toString());
    }
  }

  private void emit(EventDetail detail, String subject, String message) {
    try {
      events.onEvent(new OrchestratorEvent(clock.instant(), stack, subject, message, detail));
    } catch (RuntimeException e) {
      LOG.warn("A listener failed on {} of {}", detail.type(), stack, e);
    }
  }

  private void append(AuditEntry.Builder entry) {
    try {
      audit.append(entry.host(host).principal(principal));
    } catch (RuntimeException e) {
      LOG.warn("Drift of {}: could not append to the audit history: {}", stack, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(periodic);
    synchronized (lock) {
      closeQuietly(soon);
      soon = null;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing a scheduled comparison failed", e);
      }
    }
  }
}
