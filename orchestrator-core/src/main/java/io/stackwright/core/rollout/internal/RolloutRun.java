package io.stackwright.core.rollout.internal;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.RolloutCheck;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.RolloutVerdict;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import io.stackwright.core.internal.Convergence;
import io.stackwright.core.internal.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployment run by a strategy. Follows the platform's event stream while it lives, so that a
 * failing replica ends a wait as soon as the engine reports it; looks again at least every {@link
 * #POLL} (the registered checks need a steady beat even when the engine is quiet).
 */
public final class RolloutRun implements RolloutContext, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutRun.class);
  static final Duration POLL = Duration.ofMillis(500);

  private final Platform platform;
  private final Router router;
  private final List<RolloutCheck> checks;
  private final Revisions revisions;
  private final EventLog events;
  private final Clock clock;
  private final StackSpec stack;
  private final Plan plan;
  private final int revision;
  private final Optional<Revisions.Revision> lastHealthy;
  private final Instant started;
  private final Duration timeout;
  private final Semaphore changed = new Semaphore(0);
  private final Set<String> convergedReported = new HashSet<>();
  private Instant deadline;
  private Instant firstFailureAt;
  private Subscription watch;
  private boolean planUsed;
  private final AtomicReference<Decision> decision = new AtomicReference<>();

  RolloutRun(
      Platform platform,
      Router router,
      List<RolloutCheck> checks,
      Revisions revisions,
      EventLog events,
      Clock clock,
      StackSpec stack,
      Plan plan,
      Instant started,
      Duration timeout) {
    this.platform = platform;
    this.router = router;
    this.checks = List.copyOf(checks);
    this.revisions = revisions;
    this.events = events;
    this.clock = clock;
    this.stack = stack;
    this.plan = plan;
    this.started = started;
    this.timeout = timeout;
    this.deadline = started.plus(timeout);
    this.revision = revisions.next(stack.name());
    this.lastHealthy = revisions.lastHealthy(stack.name());
  }

  RolloutRun start() {
    watch =
        platform.watch(
            stack.name(),
            event -> {
              events.onEvent(event);
              changed.release();
            });
    return this;
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }

  @Override
  public StackSpec stack() {
    return stack;
  }

  @Override
  public Plan plan() {
    return plan;
  }

  @Override
  public int revision() {
    return revision;
  }

  @Override
  public Optional<StackSpec> lastHealthy() {
    return lastHealthy.map(Revisions.Revision::spec);
  }

  @Override
  public Platform platform() {
    return platform;
  }

  @Override
  public Optional<Router> router() {
    return Optional.ofNullable(router);
  }

  @Override
  public EventListener events() {
    return events;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  @Override
  public RolloutVerdict applyAndAwait(StackSpec target) {
    Instant since = clock.instant();
    try {
      boolean rolled = false;
      if (coreRollsReplicas()) {
        ReplicaRoller roller = new ReplicaRoller(platform, events, clock, this::pause, checks);
        for (Change change : platform.plan(target).changesOf(ResourceKind.SERVICE)) {
          ServiceSpec service = target.services().get(change.key());
          if (change instanceof Change.Update && service.mode() == ServiceSpec.Mode.REPLICATED) {
            Optional<String> stopped = roller.roll(target, change.key(), deadline);
            rolled = true;
            if (stopped.isPresent()) {
              return failedAt(
                  RolloutVerdict.failed(stopped.get(), Map.of(change.key(), stopped.get())));
            }
          }
        }
      }
      // The plan computed before the deployment only holds for the first write of the stack;
      // after any other write, what runs has changed and the plan is computed again.
      Plan toApply = target == stack && !rolled && !planUsed ? plan : platform.plan(target);
      planUsed = true;
      platform.apply(target, toApply, events);
    } catch (OrchestratorException e) {
      return failedAt(
          RolloutVerdict.failed("applying revision failed: " + e.getMessage(), Map.of()));
    }
    while (true) {
      changed.drainPermits();
      Convergence.Verdict verdict = observe(target, since);
      if (verdict != null) {
        reportConverged(target, verdict);
        if (verdict.isFailed()) {
          return failedAt(RolloutVerdict.failed(verdict.failed().toString(), verdict.failed()));
        }
        if (verdict.isConverged()) {
          return RolloutVerdict.healthy("all " + target.services().size() + " services converged");
        }
      }
      if (remaining().isZero()) {
        String waiting = verdict == null ? "the platform did not answer" : verdict.pending() + "";
        return failedAt(RolloutVerdict.timedOut("not converged after " + timeout + ": " + waiting));
      }
      if (!pause(POLL)) {
        return RolloutVerdict.failed("interrupted", Map.of());
      }
    }
  }

  @Override
  public RolloutVerdict verify(StackSpec target, Duration duration) {
    Instant since = clock.instant();
    Instant end = since.plus(duration);
    while (true) {
      changed.drainPermits();
      StackState state = null;
      try {
        state = platform.status(target.name());
      } catch (OrchestratorException e) {
        LOG.warn("Could not read the state of {} (will retry): {}", target.name(), e.getMessage());
      }
      if (state != null) {
        Convergence.Verdict verdict = Convergence.evaluate(target, state, since);
        if (verdict.isFailed()) {
          return failedAt(RolloutVerdict.failed(verdict.failed().toString(), verdict.failed()));
        }
        if (!verdict.isConverged()) {
          return failedAt(
              RolloutVerdict.failed(
                  "a replica stopped being ready: " + verdict.pending(), verdict.pending()));
        }
        for (RolloutCheck check : checks) {
          Optional<String> problem = check.problem(target, state);
          if (problem.isPresent()) {
            return failedAt(RolloutVerdict.failed(problem.get(), Map.of()));
          }
        }
      }
      Duration left = Duration.between(clock.instant(), end);
      if (left.isNegative() || left.isZero()) {
        return RolloutVerdict.healthy("stayed healthy for " + duration);
      }
      if (!pause(left.compareTo(POLL) < 0 ? left : POLL)) {
        return RolloutVerdict.failed("interrupted", Map.of());
      }
    }
  }

  @Override
  public DeploymentResult rollBack(String reason) {
    Instant failedAt = firstFailureAt == null ? clock.instant() : firstFailureAt;
    if (lastHealthy.isEmpty()) {
      emit(
          new EventDetail.Warning(
              "no-rollback-target", Map.of("revision", String.valueOf(revision))),
          "revision "
              + revision
              + " failed and no fully healthy revision is known to roll back to");
      return end(
          Outcome.FAILED,
          "revision " + revision + " failed (" + reason + "); no healthy revision to roll back to",
          Map.of());
    }
    Revisions.Revision target = lastHealthy.get();
    emit(
        new EventDetail.RollbackStarted(revision, target.number(), reason),
        "rolling back from revision " + revision + " to " + target.number() + ": " + reason);
    // The failed rollout may have used up the time; the way back gets a full budget of its own.
    deadline = clock.instant().plus(timeout);
    RolloutVerdict back;
    try {
      back = applyAndAwait(target.spec());
    } catch (RuntimeException | Error e) {
      emit(
          new EventDetail.RollbackFailed(revision, target.number(), e.toString()),
          "rolling back to revision " + target.number() + " failed: " + e.getMessage());
      throw e;
    }
    if (!back.healthy()) {
      emit(
          new EventDetail.RollbackFailed(revision, target.number(), back.reason()),
          "rolling back to revision " + target.number() + " failed: " + back.reason());
      return end(
          back.timedOut() ? Outcome.TIMED_OUT : Outcome.FAILED,
          "revision "
              + revision
              + " failed ("
              + reason
              + ") and rolling back to revision "
              + target.number()
              + " failed too: "
              + back.reason(),
          back.serviceErrors());
    }
    Duration detectToRecovered = Duration.between(failedAt, clock.instant());
    emit(
        new EventDetail.RollbackCompleted(revision, target.number(), detectToRecovered),
        "revision " + target.number() + " runs again (" + detectToRecovered.toMillis() + " ms)");
    return end(
        Outcome.ROLLED_BACK,
        "revision "
            + revision
            + " was rolled back to revision "
            + target.number()
            + " because "
            + reason,
        Map.of());
  }

  @Override
  public DeploymentResult finish(RolloutVerdict verdict) {
    if (verdict.healthy()) {
      return end(
          Outcome.SUCCEEDED,
          "revision " + revision + ": " + changes() + "; " + verdict.reason(),
          Map.of());
    }
    return end(
        verdict.timedOut() ? Outcome.TIMED_OUT : Outcome.FAILED,
        "revision " + revision + " failed: " + verdict.reason(),
        verdict.serviceErrors());
  }

  @Override
  public Optional<Decision> decision() {
    return Optional.ofNullable(decision.getAndSet(null));
  }

  /** Records an operator's decision for the strategy to pick up. */
  void decide(Decision made) {
    decision.set(made);
  }

  /** Whether core replaces replicas one by one: the platform has no rolling update of its own. */
  private boolean coreRollsReplicas() {
    return platform.capabilities().contains(Capability.REPLICA_CONTROL)
        && !platform.capabilities().contains(Capability.NATIVE_ROLLING_UPDATE);
  }

  /** When the first failure of this run was seen (for the time from detection to recovery). */
  Optional<Instant> firstFailureAt() {
    return Optional.ofNullable(firstFailureAt);
  }

  private String changes() {
    return plan.isEmpty() ? "no changes" : plan.changes().size() + " changes applied";
  }

  private DeploymentResult end(Outcome outcome, String message, Map<String, String> errors) {
    Instant now = clock.instant();
    revisions.record(revision, stack, outcome, message);
    DeploymentResult result =
        new DeploymentResult(
            stack.name(), outcome, plan, Duration.between(started, now), message, errors);
    emit(
        outcome == Outcome.SUCCEEDED
            ? new EventDetail.DeploymentSucceeded(revision, result.elapsed(), strategyId())
            : new EventDetail.DeploymentFailed(revision, outcome, result.elapsed(), message),
        message);
    if (outcome == Outcome.SUCCEEDED) {
      LOG.info("Deployment of {} succeeded in {}: {}", stack.name(), result.elapsed(), message);
    } else {
      LOG.warn("Deployment of {} {}: {}", stack.name(), outcome, message);
    }
    return result;
  }

  private RolloutVerdict failedAt(RolloutVerdict verdict) {
    if (firstFailureAt == null) {
      firstFailureAt = clock.instant();
    }
    return verdict;
  }

  private Convergence.Verdict observe(StackSpec target, Instant since) {
    try {
      return Convergence.evaluate(target, platform.status(target.name()), since);
    } catch (OrchestratorException e) {
      LOG.warn("Could not read the state of {} (will retry): {}", target.name(), e.getMessage());
      return null;
    }
  }

  private void reportConverged(StackSpec target, Convergence.Verdict verdict) {
    for (String service : verdict.converged()) {
      if (convergedReported.add(target.services().get(service).image() + "/" + service)) {
        emit(
            new EventDetail.ServiceConverged(service, target.services().get(service).replicas()),
            service,
            "every replica of " + service + " runs the current spec and is healthy");
      }
    }
  }

  /** Waits for an engine event or {@code at most}; false when interrupted. */
  private boolean pause(Duration atMost) {
    try {
      changed.tryAcquire(atMost.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String strategyId() {
    return stack.services().values().stream()
        .filter(s -> !s.rollout().isNone())
        .findFirst()
        .map(s -> s.rollout().strategy().id())
        .orElse("rolling");
  }

  private void emit(EventDetail detail, String message) {
    emit(detail, null, message);
  }

  private void emit(EventDetail detail, String service, String message) {
    events.onEvent(new OrchestratorEvent(clock.instant(), stack.name(), service, message, detail));
  }
}
