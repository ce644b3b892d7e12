package io.stackwright.core.drift.internal;

import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.drift.DriftReport;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.Alert;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.AlertSink;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Store;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.core.controller.internal.StackController;
import io.stackwright.core.controller.internal.Supervision;
import io.stackwright.core.drift.DriftWatch;
import io.stackwright.core.internal.Routing;
import io.stackwright.core.jobs.JobHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the drift supervisors of an orchestrator on its shared pieces: the one engine watch per
 * stack (Supervision's), the one scheduler, the blocking executor, the controller's desired state
 * and reconcile jobs, the store's audit history and the health alert sinks.
 */
public final class DriftSupervision {
  private static final Logger LOG = LoggerFactory.getLogger(DriftSupervision.class);

  private final Platform platform;
  private final Routing routing;
  private final StackController controller;
  private final Supervision supervision;
  private final Store store;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final Clock clock;
  private final RandomGenerator random;
  private final EventListener events;
  private final MetricsRecorder metrics;
  private final List<AlertSink> sinks;
  private final String host;
  private final String principal;

  public DriftSupervision(
      Platform platform,
      Routing routing,
      StackController controller,
      Supervision supervision,
      Store store,
      ScheduledExecutorService scheduler,
      ExecutorService blocking,
      Clock clock,
      RandomGenerator random,
      EventListener events,
      MetricsRecorder metrics,
      List<AlertSink> sinks,
      String host,
      String principal) {
    this.platform = platform;
    this.routing = routing;
    this.controller = controller;
    this.supervision = supervision;
    this.store = store;
    this.scheduler = scheduler;
    this.blocking = blocking;
    this.clock = clock;
    this.random = random;
    this.events = events;
    this.metrics = metrics;
    this.sinks = List.copyOf(sinks);
    this.host = host;
    this.principal = principal;
  }

  /** Starts supervising {@code stack} (whose desired state the controller holds) under policy. */
  public DriftWatch start(String stack, DriftPolicy policy) {
    DriftSupervisor supervisor =
        new DriftSupervisor(
                stack,
                policy,
                target(stack),
                this::schedule,
                clock,
                random,
                events,
                metrics,
                store.audit(),
                this::alert,
                host,
                principal,
                RepairBackoff.DEFAULT)
            .start();
    Subscription watch = supervision.watch(stack, supervisor::onEngineEvent);
    Runnable forget = supervisor::close;
    controller.onRemoved(
        removed -> {
          if (removed.equals(stack)) {
            forget.run();
            watch.close();
          }
        });
    return new DriftWatch() {
      @Override
      public String stack() {
        return stack;
      }

      @Override
      public DriftPolicy policy() {
        return policy;
      }

      @Override
      public List<DriftReport> current() {
        return supervisor.current();
      }

      @Override
      public boolean repairsStopped() {
        return supervisor.repairsStopped();
      }

      @Override
      public List<DriftReport> compareNow() {
        supervisor.compare("asked");
        return supervisor.current();
      }

      @Override
      public void close() {
        watch.close();
        supervisor.close();
      }
    };
  }

  private DriftSupervisor.Target target(String stack) {
    return new DriftSupervisor.Target() {
      @Override
      public Optional<StackSpec> desiredSpec() {
        return controller.desiredSpec(stack);
      }

      @Override
      public long revision() {
        return controller.desired(stack).map(DesiredState::revision).orElse(0L);
      }

      @Override
      public boolean jobLive() {
        return controller.jobs().running(stack).isPresent()
            || !store.jobs().list(JobQuery.ofStack(stack, 1).inStates(JobState.QUEUED)).isEmpty();
      }

      @Override
      public Plan plan(StackSpec spec) {
        return platform.plan(routing.prepare(spec));
      }

      @Override
      public DriftSupervisor.Submitted repair() {
        JobHandle job = controller.reconcile(stack, 0, repaired -> {});
        return new DriftSupervisor.Submitted(job.id(), job.finished());
      }
    };
  }

  /** Runs {@code work} on the blocking executor after {@code delay} (it plans: engine calls). */
  private AutoCloseable schedule(Runnable work, Duration delay) {
    ScheduledFuture<?> f =
        scheduler.schedule(
            () -> {
              try {
                blocking.execute(work);
              } catch (RejectedExecutionException e) {
                LOG.debug("Drift comparison not run: the executor is shut down");
              }
            },
            Math.max(0, delay.toMillis()),
            TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  private void alert(Alert alert) {
    if (sinks.isEmpty()) {
      LOG.warn(
          "Alert {} of {} has no sink to go to: {}", alert.kind(), alert.stack(), alert.summary());
      return;
    }
    for (AlertSink sink : sinks) {
      try {
        blocking.execute(() -> deliver(sink, alert));
      } catch (RejectedExecutionException e) {
        LOG.warn(
            "Alert {} was not sent to {}: the executor is shut down", alert.kind(), sink.name());
      }
    }
  }

  private void deliver(AlertSink sink, Alert alert) {
    EventDetail detail;
    String message;
    try {
      sink.send(alert);
      detail = new EventDetail.AlertSent(alert.service(), alert.kind(), sink.name());
      message = alert.kind() + " alert sent to " + sink.name();
    } catch (RuntimeException e) {
      detail =
          new EventDetail.AlertFailed(alert.service(), alert.kind(), sink.name(), e.getMessage());
      message = alert.kind() + " alert to " + sink.name() + " failed: " + e.getMessage();
    }
    events.onEvent(new OrchestratorEvent(clock.instant(), alert.stack(), null, message, detail));
  }
}
