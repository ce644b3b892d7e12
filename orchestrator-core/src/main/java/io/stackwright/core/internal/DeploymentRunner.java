package io.stackwright.core.internal;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.store.LeaseLostException;
import io.stackwright.core.jobs.internal.Retries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a plan and, when asked, waits until the stack converges, fails, or the timeout passes.
 * The wait follows the platform's event stream: each replica change triggers a fresh look at the
 * stack, so a failure ends the wait as soon as the engine reports it.
 */
public final class DeploymentRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentRunner.class);

  /**
   * A safety net, not the mechanism: if an engine event is lost, the stack is still looked at this
   * often.
   */
  static final Duration RECHECK_INTERVAL = Duration.ofSeconds(5);

  private final Platform platform;
  private final Clock clock;

  /** The replicas a service declares. */
  static int replicas(StackSpec stack, String service) {
    var spec = stack.services().get(service);
    return spec == null ? 0 : Math.max(spec.replicas(), 0);
  }

  private final long revision;

  public DeploymentRunner(Platform platform, Clock clock) {
    this(platform, clock, 0);
  }

  /**
   * @param revision the desired-state revision this deploys, reported in its end event
   */
  public DeploymentRunner(Platform platform, Clock clock, long revision) {
    this.revision = revision;
    this.platform = platform;
    this.clock = clock;
  }

  public DeploymentResult run(
      StackSpec stack, Plan plan, DeployOptions options, EventLog events, Instant started) {
    Semaphore changed = new Semaphore(0);
    Subscription watch = null;
    try {
      if (options.waitForConvergence()) {
        watch =
            platform.watch(
                stack.name(),
                event -> {
                  events.onEvent(event);
                  changed.release();
                });
      }
      try {
        platform.apply(stack, plan, events);
      } catch (OrchestratorException e) {
        if (Retries.isRetryable(e) || e instanceof LeaseLostException) {
          throw e; // the job engine tries again later (or stops: another process has the job)
        }
        return finish(
            stack,
            plan,
            events,
            started,
            Outcome.FAILED,
            "applying the plan failed: " + e.getMessage(),
            Map.of());
      }
      if (!options.waitForConvergence()) {
        return finish(
            stack,
            plan,
            events,
            started,
            Outcome.SUCCEEDED,
            describe(plan) + "; not waiting for convergence",
            Map.of());
      }
      return awaitConvergence(stack, plan, options.timeout(), events, started, changed);
    } catch (RuntimeException e) {
      if (Retries.isRetryable(e) || e instanceof LeaseLostException) {
        throw e;
      }
      LOG.error("Deployment of {} failed unexpectedly", stack.name(), e);
      return finish(
          stack, plan, events, started, Outcome.FAILED, "unexpected failure: " + e, Map.of());
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
  }

  private DeploymentResult awaitConvergence(
      StackSpec stack,
      Plan plan,
      Duration timeout,
      EventLog events,
      Instant started,
      Semaphore changed) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> reported = new HashSet<>();
    Convergence.Verdict verdict = null;
    while (true) {
      changed.drainPermits();
      try {
        verdict = Convergence.evaluate(stack, platform.status(stack.name()), started);
      } catch (OrchestratorException e) {
        LOG.warn("Could not read the state of {} (will retry): {}", stack.name(), e.getMessage());
      }
      if (verdict != null) {
        for (String service : verdict.converged()) {
          if (reported.add(service)) {
            events.onEvent(
                new OrchestratorEvent(
                    clock.instant(),
                    stack.name(),
                    service,
                    "every replica of " + service + " runs the current spec and is healthy",
                    new EventDetail.ServiceConverged(service, replicas(stack, service))));
          }
        }
        if (verdict.isFailed()) {
          return finish(
              stack,
              plan,
              events,
              started,
              Outcome.FAILED,
              "deployment failed: " + verdict.failed(),
              verdict.failed());
        }
        if (verdict.isConverged()) {
          return finish(
              stack,
              plan,
              events,
              started,
              Outcome.SUCCEEDED,
              describe(plan) + "; all " + stack.services().size() + " services converged",
              Map.of());
        }
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        String waiting =
            verdict == null ? "the platform did not answer" : verdict.pending().toString();
        return finish(
            stack,
            plan,
            events,
            started,
            Outcome.TIMED_OUT,
            "not converged after " + timeout + ": " + waiting,
            Map.of());
      }
      try {
        changed.tryAcquire(Math.min(remaining, RECHECK_INTERVAL.toNanos()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return finish(
            stack,
            plan,
            events,
            started,
            Outcome.FAILED,
            "interrupted while waiting for convergence",
            Map.of());
      }
    }
  }

  private DeploymentResult finish(
      StackSpec stack,
      Plan plan,
      EventLog events,
      Instant started,
      Outcome outcome,
      String message,
      Map<String, String> serviceErrors) {
    Instant now = clock.instant();
    DeploymentResult result =
        new DeploymentResult(
            stack.name(), outcome, plan, Duration.between(started, now), message, serviceErrors);
    events.onEvent(
        new OrchestratorEvent(
            now,
            stack.name(),
            null,
            message,
            outcome == Outcome.SUCCEEDED
                ? new EventDetail.DeploymentSucceeded(revision, result.elapsed(), "plain")
                : new EventDetail.DeploymentFailed(revision, outcome, result.elapsed(), message)));
    if (outcome == Outcome.SUCCEEDED) {
      LOG.info("Deployment of {} succeeded in {}: {}", stack.name(), result.elapsed(), message);
    } else {
      LOG.warn("Deployment of {} {}: {}", stack.name(), outcome, message);
    }
    return result;
  }

  private static String describe(Plan plan) {
    return plan.isEmpty() ? "no changes" : plan.changes().size() + " changes applied";
  }
}
