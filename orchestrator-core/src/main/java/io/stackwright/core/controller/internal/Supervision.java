package io.stackwright.core.controller.internal;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobState;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.internal.Backoff;
import io.stackwright.core.internal.Fanout;
import io.stackwright.core.internal.ForwardingPlatform;
import io.stackwright.core.internal.Routing;
import io.stackwright.core.jobs.JobHandle;
import io.stackwright.core.scaling.Autoscaling;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervision per orchestrator: {@code keep}, {@code monitor} and {@code autoscale} of every
 * stack share one scheduler and one engine event stream per stack (opened once, fanned out), read
 * the stack's <em>current</em> desired state from the store, and write nothing themselves: a repair
 * is a {@code reconcile} job, a replacement a {@code replace} job, a scaling a {@code scale} job,
 * so none of them races a deploy, and a repair never undoes a newer deploy (the job reads the
 * desired state when it runs, after the deploy that accepted it).
 */
public final class Supervision implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Supervision.class);

  /**
   * A look at every kept stack at least this often, in case an engine event was lost (the event
   * stream replays from its last event when it reconnects, so that is rare). Each stack's look is
   * due at its own time, spread over the interval: 100 kept stacks cost about two plans a second,
   * not a burst of 100 every few seconds (a plan is several Engine API reads).
   */
  static final Duration RECHECK_INTERVAL = Duration.ofSeconds(60);

  /** How long after a replica ended the supervisor looks again, the engine's lists settled. */
  private static final Duration SETTLE = Duration.ofMillis(1500);

  /** How often the scheduler checks which kept stacks are due for a look. */
  private static final Duration RECHECK_TICK = Duration.ofSeconds(1);

  /** How long a supervisor waits for the job it submitted (a replace, a scale). */
  static final Duration JOB_WAIT = Duration.ofMinutes(10);

  private final Platform platform;
  private final Routing routing;
  private final StackController controller;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final Clock clock;
  private final EventListener events;
  private final Map<String, SharedWatch> watches = new ConcurrentHashMap<>();
  private final Map<String, List<Kept>> kept = new ConcurrentHashMap<>();
  private final Map<String, List<Restartable<?>>> supervisors = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> recheck;

  public Supervision(
      Platform platform,
      Routing routing,
      StackController controller,
      ScheduledExecutorService scheduler,
      ExecutorService blocking,
      Clock clock,
      EventListener events) {
    this.platform = platform;
    this.routing = routing;
    this.controller = controller;
    this.scheduler = scheduler;
    this.blocking = blocking;
    this.clock = clock;
    this.events = events;
    long ms = RECHECK_TICK.toMillis();
    this.recheck =
        scheduler.scheduleWithFixedDelay(
            () -> {
              long now = clock.millis();
              kept.values()
                  .forEach(
                      list ->
                          list.forEach(
                              entry -> {
                                if (now >= entry.nextLookMillis) {
                                  look(entry);
                                }
                              }));
            },
            ms,
            ms,
            TimeUnit.MILLISECONDS);
    controller.onRemoved(this::forget);
    controller.onAccepted(this::followRevision);
  }

  /**
   * The platform as supervisors see it: reads go to the platform, the stack's replica events come
   * from the one shared watch, and writes become jobs (submitted and waited for).
   */
  public Platform view() {
    return new ForwardingPlatform(platform) {
      @Override
      public Subscription watch(String stack, EventListener listener) {
        return Supervision.this.watch(stack, listener);
      }

      @Override
      public void replace(String stack, TaskState replica, EventListener listener) {
        awaitJob(controller.replace(stack, replica, listener));
      }

      @Override
      public void scale(String stack, String service, int replicas) {
        awaitJob(controller.scale(stack, service, replicas));
      }

      @Override
      public void apply(StackSpec stack, Plan plan, EventListener listener) {
        throw new UnsupportedOperationException(
            "supervisors do not apply plans; they submit reconcile jobs");
      }

      @Override
      public void remove(String stack, io.stackwright.api.RemoveOptions o, EventListener l) {
        throw new UnsupportedOperationException("supervisors do not remove stacks");
      }
    };
  }

  private static void awaitJob(JobHandle handle) {
    Job done = handle.await(JOB_WAIT);
    if (done.state() != JobState.SUCCEEDED) {
      throw new OrchestratorException(
          done.kind().id() + " job " + done.id() + " " + done.state().id() + ": " + done.error());
    }
  }

  // ------------------------------------------------------------------------------ one watch

  /** The stack's replica events, from one platform watch per stack shared by every subscriber. */
  public Subscription watch(String stack, EventListener listener) {
    SharedWatch shared;
    synchronized (watches) {
      shared = watches.computeIfAbsent(stack, SharedWatch::new);
      shared.listeners.add(listener);
      if (shared.subscription == null) {
        shared.subscription = platform.watch(stack, shared::fanOut);
      }
    }
    SharedWatch mine = shared;
    return () -> {
      synchronized (watches) {
        mine.listeners.remove(listener);
        if (mine.listeners.isEmpty() && watches.remove(stack, mine) && mine.subscription != null) {
          mine.subscription.close();
        }
      }
    };
  }

  private static final class SharedWatch {
    final String stack;
    final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    Subscription subscription;

    SharedWatch(String stack) {
      this.stack = stack;
    }

    void fanOut(OrchestratorEvent event) {
      for (EventListener l : listeners) {
        try {
          l.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("A watcher of {} failed on {}", stack, event.type(), e);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------ keep

  /**
   * Keeps the stack as its current desired state declares: a replica that exits or disappears makes
   * the supervisor submit a {@code reconcile} job, with exponential backoff (1 s doubling to 1 min)
   * after failed repairs. On a self-healing platform there is nothing to do.
   */
  public Subscription keep(String stack) {
    if (platform.capabilities().contains(Capability.SELF_HEALING)) {
      // the platform replaces replicas itself; what it replaced is reported as on any platform
      return watch(
          stack,
          event -> {
            if (event.type() == EventType.REPLICA_REPLACED) {
              events.onEvent(event);
            }
          });
    }
    Kept entry = new Kept(stack, new Backoff(clock, Duration.ofSeconds(1), Duration.ofMinutes(1)));
    entry.watch =
        watch(
            stack,
            event -> {
              if (event.detail() instanceof EventDetail.TaskStateChanged task
                  && task.state().isTerminal()) {
                if (task.service() != null && task.replica() != null) {
                  entry.gone.put(task.service() + "/" + task.slot(), task.replica());
                }
                look(entry);
                // and once more shortly after: the engine sends a container's "die" before its
                // container list shows it stopped (measured: a look at once planned nothing)
                entry.lookWithin(SETTLE);
              }
            });
    kept.computeIfAbsent(stack, k -> new CopyOnWriteArrayList<>()).add(entry);
    look(entry);
    return () -> {
      entry.closed = true;
      entry.watch.close();
      List<Kept> list = kept.get(stack);
      if (list != null) {
        list.remove(entry);
      }
    };
  }

  private final class Kept {
    final String stack;
    final Backoff backoff;
    final AtomicBoolean looking = new AtomicBoolean();

    /** The replica that last ended in each {@code service/slot}: the old one of a repair. */
    final Map<String, String> gone = new java.util.concurrent.ConcurrentHashMap<>();

    volatile boolean closed;
    Subscription watch;

    /** When the periodic look is next due (the clock's millis); any look pushes it back. */
    volatile long nextLookMillis;

    /** An event asked for a look while one was in progress: look once more after it. */
    volatile boolean again;

    Kept(String stack, Backoff backoff) {
      this.stack = stack;
      this.backoff = backoff;
      scheduleNextLook();
    }

    /** Brings the next look forward to {@code delay} from now, if it is due later. */
    void lookWithin(Duration delay) {
      nextLookMillis = Math.min(nextLookMillis, clock.millis() + delay.toMillis());
    }

    /**
     * The next periodic look: one interval from now on average, anywhere from half to one and a
     * half, so stacks kept at the same moment do not stay in step.
     */
    void scheduleNextLook() {
      long interval = RECHECK_INTERVAL.toMillis();
      long jitter = java.util.concurrent.ThreadLocalRandom.current().nextLong(interval + 1);
      nextLookMillis = clock.millis() + interval / 2 + jitter;
    }
  }

  /** Compares what runs with the current desired state (off the scheduler) and repairs by job. */
  private void look(Kept entry) {
    if (entry.closed) {
      return;
    }
    Duration backoff = entry.backoff.remaining();
    if (backoff.compareTo(Duration.ZERO) > 0) {
      // due again when the backoff ends (the scheduler's tick looks then), not a whole interval on
      entry.lookWithin(backoff);
      return;
    }
    if (!entry.looking.compareAndSet(false, true)) {
      entry.again = true; // what the look in progress read may predate the event that asked
      return;
    }
    entry.scheduleNextLook();
    try {
      blocking.execute(
          () -> {
            try {
              entry.again = false;
              lookNow(entry);
            } finally {
              entry.looking.set(false);
            }
            if (entry.again) {
              look(entry);
            }
          });
    } catch (RuntimeException e) {
      entry.looking.set(false);
    }
  }

  private void lookNow(Kept entry) {
    String stack = entry.stack;
    Optional<StackSpec> spec = controller.desiredSpec(stack);
    if (spec.isEmpty()) {
      LOG.debug("No desired state of {} held here; nothing to keep", stack);
      return;
    }
    Optional<Job> running = controller.jobs().running(stack);
    if (running.isPresent()) {
      // the stack's running job brings it to its desired state; what ended meanwhile may be after
      // its last look, so look again once it is done
      controller
          .jobs()
          .get(running.get().id())
          .ifPresentOrElse(
              job -> job.finished().whenComplete((done, failure) -> look(entry)),
              () -> entry.lookWithin(RECHECK_TICK));
      return;
    }
    Plan plan;
    try {
      plan = platform.plan(routing.prepare(spec.get()));
    } catch (OrchestratorException e) {
      LOG.warn("Keeping {}: cannot read it ({}); next look later", stack, e.getMessage());
      return;
    }
    if (plan.isEmpty()) {
      entry.backoff.succeeded();
      return;
    }
    LOG.info("Stack {} drifted from its desired state: {}", stack, plan.changes());
    // the live map: read when the job runs, by when the engine reported what ended
    JobHandle job = controller.reconcile(stack, 0, repaired -> {}, entry.gone);
    job.finished()
        .whenComplete(
            (done, failure) -> {
              if (failure == null && done.state() == JobState.SUCCEEDED) {
                entry.backoff.succeeded();
              } else {
                Duration wait = entry.backoff.failed();
                String why = failure != null ? failure.toString() : done.error();
                LOG.warn("Repairing {} failed; next try in {}: {}", stack, wait, why);
                events.onEvent(
                    new OrchestratorEvent(
                        clock.instant(),
                        stack,
                        null,
                        "repairing the stack failed, next try in "
                            + wait.toMillis()
                            + " ms: "
                            + why,
                        new EventDetail.Warning(
                            "repair-failed", Map.of("retryIn", wait.toString()))));
              }
            });
  }

  // ------------------------------------------------------------------------------ monitor, scale

  /**
   * Runs {@code start} on the stack's current desired spec now and again whenever a job accepts a
   * new one, so that a monitor or an autoscaler always acts on the current revision.
   */
  public <T extends Subscription> Restartable<T> follow(
      String stack, StackSpec initial, Function<StackSpec, T> start) {
    StackSpec spec = controller.desiredSpec(stack).orElse(initial);
    String hash = controller.desiredHash(stack).orElse(controller.hashOf(initial));
    Restartable<T> r = new Restartable<>(stack, start, start.apply(spec), hash);
    supervisors.computeIfAbsent(stack, k -> new CopyOnWriteArrayList<>()).add(r);
    return r;
  }

  private void followRevision(DesiredState state) {
    List<Restartable<?>> list = supervisors.get(state.stack());
    if (list == null || list.isEmpty()) {
      return;
    }
    // After the job that applies it: a monitor of the new spec before it runs would probe nothing.
    blocking.execute(
        () -> {
          Optional<StackSpec> spec = controller.desiredSpec(state.stack());
          Optional<String> hash = controller.desiredHash(state.stack());
          if (spec.isEmpty() || hash.isEmpty()) {
            return;
          }
          for (Restartable<?> r : list) {
            r.restart(spec.get(), hash.get());
          }
        });
  }

  private void forget(String stack) {
    List<Kept> entries = kept.remove(stack);
    if (entries != null) {
      entries.forEach(
          e -> {
            e.closed = true;
            e.watch.close();
          });
    }
    List<Restartable<?>> list = supervisors.remove(stack);
    if (list != null) {
      list.forEach(Restartable::close);
    }
  }

  /** A supervisor of one stack that is started again on each new desired spec. */
  public final class Restartable<T extends Subscription> implements Subscription {
    private final String stack;
    private final Function<StackSpec, T> start;
    private volatile T current;
    private volatile String hash;
    private volatile boolean closed;

    Restartable(String stack, Function<StackSpec, T> start, T first, String hash) {
      this.stack = stack;
      this.start = start;
      this.current = first;
      this.hash = hash;
    }

    public T current() {
      return current;
    }

    synchronized void restart(StackSpec spec, String newHash) {
      if (closed || newHash.equals(hash)) {
        return;
      }
      LOG.info("Stack {}: following its new desired state", stack);
      current.close();
      current = start.apply(spec);
      hash = newHash;
    }

    @Override
    public synchronized void close() {
      closed = true;
      current.close();
      List<Restartable<?>> list = supervisors.get(stack);
      if (list != null) {
        list.remove(this);
      }
    }
  }

  /** A health watch that follows the stack's desired state. */
  public HealthWatch healthWatch(Restartable<? extends HealthWatch> r, Fanout subscribers) {
    return new HealthWatch() {
      @Override
      public Subscription subscribe(EventListener listener) {
        return subscribers.subscribe(listener);
      }

      @Override
      public String stack() {
        return r.current().stack();
      }

      @Override
      public List<ReplicaHealth> replicas() {
        return r.current().replicas();
      }

      @Override
      public Set<String> crashLoops() {
        return r.current().crashLoops();
      }

      @Override
      public void close() {
        r.close();
      }
    };
  }

  /** An autoscaling that follows the stack's desired state. */
  public Autoscaling autoscaling(Restartable<? extends Autoscaling> r, Fanout subscribers) {
    return new Autoscaling() {
      @Override
      public Subscription subscribe(EventListener listener) {
        return subscribers.subscribe(listener);
      }

      @Override
      public boolean leading() {
        return r.current().leading();
      }

      @Override
      public void close() {
        r.close();
      }
    };
  }

  @Override
  public void close() {
    recheck.cancel(false);
    kept.keySet().forEach(this::forget);
    supervisors.keySet().forEach(this::forget);
    synchronized (watches) {
      watches
          .values()
          .forEach(
              w -> {
                if (w.subscription != null) {
                  w.subscription.close();
                }
              });
      watches.clear();
    }
  }
}
