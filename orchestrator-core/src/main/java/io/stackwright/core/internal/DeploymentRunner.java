package io.stackwright.core.internal;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
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

  public DeploymentRunner(Platform platform, Clock clock) {
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
                OrchestratorEvent.of(
                    clock.instant(),
                    EventType.SERVICE_CONVERGED,
                    stack.name(),
                    service,
                    "every replica runs the current spec and is healthy"));
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
            outcome == Outcome.SUCCEEDED
                ? EventType.DEPLOYMENT_SUCCEEDED
                : EventType.DEPLOYMENT_FAILED,
            stack.name(),
            null,
            message,
            Map.of("outcome", outcome.name())));
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
