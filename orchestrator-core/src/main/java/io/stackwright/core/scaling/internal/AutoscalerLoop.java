package io.stackwright.core.scaling.internal;

import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Lease;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.core.internal.Fanout;
import io.stackwright.core.scaling.Autoscaling;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler thread for all the autoscaled services of a stack: each service's round runs every
 * {@code interval} of its policy (with a fixed delay, so a slow round never piles up), and, when a
 * holder name is given, only while this instance holds the stack's {@value #LEASE_NAME} lease,
 * renewed every third of its time to live.
 */
public final class AutoscalerLoop implements Autoscaling {
  private static final Logger LOG = LoggerFactory.getLogger(AutoscalerLoop.class);
  public static final String LEASE_NAME = "autoscaler";
  public static final Duration LEASE_TTL = Duration.ofSeconds(15);

  private final Platform platform;
  private final String stack;
  private final List<ServiceAutoscaler> services;
  private final Clock clock;
  private final EventListener events;
  private final Fanout subscribers = new Fanout();
  private final String holder;
  private final Duration leaseTtl;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;

  /** Where rounds and renewals run when the scheduler is shared: they block, it must not. */
  private final java.util.concurrent.Executor blocking;

  private final java.util.List<java.util.concurrent.Future<?>> periodic =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean leading;
  private volatile boolean closed;

  public AutoscalerLoop(
      Platform platform,
      String stack,
      List<ServiceAutoscaler> services,
      Clock clock,
      EventListener events,
      String holder,
      Duration leaseTtl) {
    this(platform, stack, services, clock, events, holder, leaseTtl, null, null);
  }

  /**
   * @param shared the orchestrator's one scheduler, or {@code null} for a thread of its own
   */
  public AutoscalerLoop(
      Platform platform,
      String stack,
      List<ServiceAutoscaler> services,
      Clock clock,
      EventListener events,
      String holder,
      Duration leaseTtl,
      ScheduledExecutorService shared,
      java.util.concurrent.Executor blocking) {
    this.platform = platform;
    this.blocking = blocking;
    this.stack = stack;
    this.services = List.copyOf(services);
    this.clock = clock;
    this.events = subscribers.after(events);
    this.holder = holder;
    this.leaseTtl = leaseTtl;
    this.leading = holder == null;
    this.ownsScheduler = shared == null;
    this.scheduler =
        shared != null
            ? shared
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "stackwright-autoscaler-" + stack);
                  t.setDaemon(true);
                  return t;
                });
  }

  public void start() {
    if (holder != null) {
      long renewMs = Math.max(100, leaseTtl.toMillis() / 3);
      periodic.add(
          scheduler.scheduleWithFixedDelay(
              offThread(this::renewLease), 0, renewMs, TimeUnit.MILLISECONDS));
    }
    for (ServiceAutoscaler service : services) {
      long ms = service.interval().toMillis();
      periodic.add(
          scheduler.scheduleWithFixedDelay(
              offThread(() -> round(service)), ms, ms, TimeUnit.MILLISECONDS));
    }
  }

  /** On a shared scheduler, runs {@code task} on the blocking executor, one at a time. */
  private Runnable offThread(Runnable task) {
    if (ownsScheduler || blocking == null) {
      return task;
    }
    java.util.concurrent.atomic.AtomicBoolean busy =
        new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (busy.compareAndSet(false, true)) {
        try {
          blocking.execute(
              () -> {
                try {
                  task.run();
                } finally {
                  busy.set(false);
                }
              });
        } catch (RuntimeException e) {
          busy.set(false);
        }
      }
    };
  }

  @Override
  public Subscription subscribe(EventListener listener) {
    return subscribers.subscribe(listener);
  }

  private void renewLease() {
    if (closed) {
      return;
    }
    boolean was = leading;
    try {
      Lease lease = platform.lease(stack, LEASE_NAME, holder, leaseTtl);
      leading = lease.heldBy(holder, clock.instant());
      if (leading != was) {
        String message =
            leading
                ? holder + " took the autoscaling lease"
                : holder + " lost the autoscaling lease to " + lease.holder();
        LOG.info("{}: {}", stack, message);
        events.onEvent(
            new OrchestratorEvent(
                clock.instant(),
                stack,
                null,
                message,
                leading
                    ? new EventDetail.ScalingLeaseAcquired(holder)
                    : new EventDetail.ScalingLeaseLost(holder, lease.holder())));
      }
    } catch (RuntimeException e) {
      // Without a renewed lease this instance must not act: another may take over any moment.
      leading = false;
      LOG.warn("{}: renewing the autoscaling lease failed: {}", stack, e.toString());
    }
  }

  private void round(ServiceAutoscaler service) {
    if (closed || !leading) {
      return;
    }
    try {
      service.round();
    } catch (RuntimeException e) {
      LOG.warn("{}/{}: autoscaling round failed: {}", stack, service.service(), e.toString());
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack,
              service.service(),
              "the autoscaling round of " + service.service() + " failed: " + e.getMessage(),
              new EventDetail.Warning(
                  "autoscaling-round-failed", Map.of("service", service.service()))));
    }
  }

  @Override
  public boolean leading() {
    return leading && !closed;
  }

  @Override
  public void close() {
    closed = true;
    if (ownsScheduler) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      periodic.forEach(f -> f.cancel(false));
    }
    if (holder != null && leading) {
      try {
        platform.releaseLease(stack, LEASE_NAME, holder);
      } catch (RuntimeException e) {
        LOG.warn("{}: releasing the autoscaling lease failed: {}", stack, e.toString());
      }
    }
    leading = false;
  }
}
