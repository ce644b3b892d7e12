package io.stackwright.core.internal;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a deployed stack as declared on a platform that does not heal itself (a single engine):
 * when a replica exits or disappears, the platform's plan shows it, and the keeper applies that
 * plan, with exponential backoff between failed attempts so a crash loop does not become a hot
 * loop. Woken by the platform's replica events; a slow periodic look catches anything missed.
 */
public final class StackKeeper implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(StackKeeper.class);

  /** A look at the stack at least this often, in case an engine event was lost. */
  static final Duration RECHECK_INTERVAL = Duration.ofSeconds(10);

  private final Platform platform;
  private final StackSpec stack;
  private final Clock clock;
  private final EventListener events;
  private final Backoff backoff;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean closed;
  private Subscription watch;
  private Future<?> loop;

  public StackKeeper(
      Platform platform, StackSpec stack, Clock clock, EventListener events, Backoff backoff) {
    this.platform = platform;
    this.stack = stack;
    this.clock = clock;
    this.events = events;
    this.backoff = backoff;
  }

  public StackKeeper start(ExecutorService executor) {
    watch =
        platform.watch(
            stack.name(),
            event -> {
              if (event.type() == EventType.TASK_STATE_CHANGED && needsLook(event)) {
                wake.release();
              }
            });
    loop = executor.submit(this::run);
    wake.release();
    return this;
  }

  /** Only a replica that stopped or vanished needs repair; starting and healthy ones do not. */
  private static boolean needsLook(OrchestratorEvent event) {
    String state = event.attributes().get("state");
    if (state == null) {
      return true;
    }
    try {
      return TaskStatus.valueOf(state).isTerminal();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private void run() {
    while (!closed) {
      try {
        wake.tryAcquire(RECHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        Duration wait = backoff.remaining();
        if (wait.compareTo(Duration.ZERO) > 0) {
          Thread.sleep(wait.toMillis());
        }
        if (!closed) {
          repairOnce();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Applies the stack's plan if it has one; returns whether anything was repaired. */
  boolean repairOnce() {
    try {
      Plan plan = platform.plan(stack);
      if (plan.isEmpty()) {
        backoff.succeeded();
        return false;
      }
      platform.apply(stack, plan, events);
      backoff.succeeded();
      for (Change change : plan.changes()) {
        events.onEvent(
            new OrchestratorEvent(
                clock.instant(),
                EventType.REPLICA_REPLACED,
                stack.name(),
                change.key(),
                "repaired: " + change,
                Map.of("change", change.getClass().getSimpleName().toLowerCase())));
      }
      LOG.info("Repaired stack {}: {}", stack.name(), plan.changes());
      return true;
    } catch (OrchestratorException e) {
      Duration wait = backoff.failed();
      LOG.warn("Repairing stack {} failed; next try in {}: {}", stack.name(), wait, e.getMessage());
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              EventType.WARNING,
              stack.name(),
              null,
              "repair failed, next try in " + wait.toMillis() + " ms: " + e.getMessage(),
              Map.of("retryInMillis", String.valueOf(wait.toMillis()))));
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    if (watch != null) {
      watch.close();
    }
    if (loop != null) {
      loop.cancel(true);
    }
  }
}
