package io.stackwright.core.health.internal;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.Alert;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeCheck;
import io.stackwright.api.health.ProbeResult;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.ProbeTier;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.api.spi.AlertSink;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.HealthProbe;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.ProbeTarget;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.StateStore;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.internal.DefaultExecutors;
import io.stackwright.core.internal.Fanout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every replica of every service of one stack that has a {@link HealthPolicy}, and acts on
 * the results. See the package documentation for the design; in short: all state lives on one
 * scheduler thread, probes never block it, and blocking platform calls run on the executor.
 */
public final class HealthMonitor implements HealthWatch {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  /**
   * How the monitor paces itself.
   *
   * @param tick how often due probes are looked for (the precision of probe periods)
   * @param refresh how often the platform is asked for the stack's replicas
   * @param historyKeep how many health events the state store keeps per stack
   */
  public record Settings(Duration tick, Duration refresh, int historyKeep) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofMillis(100), Duration.ofSeconds(1), 1000);
  }

  private final Platform platform;
  private final StackSpec stack;
  private final Clock clock;
  private final ExecutorService blocking;
  private final MetricsRecorder metrics;
  private final Router router;
  private final Settings settings;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final List<java.util.concurrent.Future<?>> periodic = new ArrayList<>();
  private final ExecutorService persistence;
  private final HealthEvents events;
  private final Fanout subscribers = new Fanout();
  private final AlertDispatcher alerts;
  private final ProbeRunner runner;
  private final HealthStateCodec codec;
  private final boolean addressable;

  // touched on the scheduler thread only
  private final Map<String, ReplicaTracker> replicas = new LinkedHashMap<>();
  private final Map<String, RecoveryTracker> recovery = new HashMap<>();
  private final Set<String> seenFailures = new java.util.LinkedHashSet<>();
  private final Set<String> replacedIds = new java.util.LinkedHashSet<>();
  private final Map<String, Boolean> lastReady = new HashMap<>();
  private HealthStateCodec.Saved restored = HealthStateCodec.Saved.EMPTY;
  private boolean dirty;

  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile boolean closed;
  private volatile List<ReplicaHealth> snapshot = List.of();
  private volatile Set<String> loops = Set.of();
  private Subscription watch;

  public HealthMonitor(
      Platform platform,
      StackSpec stack,
      Clock clock,
      ExecutorService blocking,
      EventListener listener,
      MetricsRecorder metrics,
      Router router,
      StateStore store,
      List<AlertSink> sinks,
      Map<String, HealthProbe> customProbes,
      Settings settings) {
    this(
        platform,
        stack,
        clock,
        blocking,
        listener,
        metrics,
        router,
        store,
        sinks,
        customProbes,
        settings,
        null);
  }

  /**
   * @param shared the orchestrator's one scheduler (a single thread, so this monitor's state still
   *     lives on one thread), or {@code null} for a thread of the monitor's own
   */
  public HealthMonitor(
      Platform platform,
      StackSpec stack,
      Clock clock,
      ExecutorService blocking,
      EventListener listener,
      MetricsRecorder metrics,
      Router router,
      StateStore store,
      List<AlertSink> sinks,
      Map<String, HealthProbe> customProbes,
      Settings settings,
      ScheduledExecutorService shared) {
    this.platform = platform;
    this.stack = stack;
    this.clock = clock;
    this.blocking = blocking;
    this.metrics = metrics;
    this.router = router;
    this.settings = settings;
    this.ownsScheduler = shared == null;
    this.scheduler =
        shared != null
            ? shared
            : Executors.newSingleThreadScheduledExecutor(
                DefaultExecutors.daemonThreads("stackwright-health-" + stack.name()));
    this.persistence =
        Executors.newSingleThreadExecutor(
            DefaultExecutors.daemonThreads("stackwright-health-store-" + stack.name()));
    this.events =
        new HealthEvents(
            stack.name(),
            clock,
            subscribers.after(listener),
            store,
            persistence,
            settings.historyKeep());
    this.alerts = new AlertDispatcher(sinks, blocking, events);
    this.runner = new ProbeRunner(scheduler, blocking, customProbes);
    this.codec = new HealthStateCodec(store, stack.name());
    this.addressable = platform.capabilities().contains(Capability.REPLICA_ADDRESS);
  }

  /** Restores the saved state, subscribes to the platform's replica events and starts probing. */
  public HealthMonitor start() {
    try {
      scheduler.submit(this::restore).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestratorException("interrupted while starting the health monitor", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new OrchestratorException(
          "cannot restore the health state of stack " + stack.name() + ": " + e.getMessage(), e);
    }
    watch = platform.watch(stack.name(), this::onPlatformEventAsync);
    long tick = settings.tick().toMillis();
    periodic.add(
        scheduler.scheduleWithFixedDelay(this::tickSafely, tick, tick, TimeUnit.MILLISECONDS));
    periodic.add(
        scheduler.scheduleWithFixedDelay(
            this::refresh, 0, settings.refresh().toMillis(), TimeUnit.MILLISECONDS));
    LOG.info(
        "Health monitor of stack {} started ({} services with probes, addresses {})",
        stack.name(),
        stack.services().values().stream().filter(s -> !s.health().isNone()).count(),
        addressable ? "from the platform" : "unavailable: probing through the engine");
    return this;
  }

  @Override
  public String stack() {
    return stack.name();
  }

  @Override
  public List<ReplicaHealth> replicas() {
    return snapshot;
  }

  @Override
  public Set<String> crashLoops() {
    return loops;
  }

  // ------------------------------------------------------------------ state from the platform

  private void restore() {
    restored = codec.load();
    for (ServiceSpec service : stack.services().values()) {
      HealthStateCodec.SavedService saved = restored.services().get(service.name());
      if (saved != null && !service.health().isNone()) {
        recovery.put(service.name(), saved.toTracker(service.health().recovery()));
      }
    }
    seenFailures.addAll(restored.seenFailures());
    replacedIds.addAll(restored.replaced());
    loops = currentLoops();
  }

  private void refresh() {
    if (closed || !refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      blocking.execute(
          () -> {
            try {
              StackState state = platform.status(stack.name());
              Map<String, Optional<String>> addresses = addresses(state);
              onScheduler(() -> applyStatus(state, addresses));
            } catch (RuntimeException e) {
              LOG.warn("Reading the state of stack {} failed: {}", stack.name(), e.getMessage());
            } finally {
              refreshing.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      refreshing.set(false);
    }
  }

  /**
   * Addresses of the running replicas not known yet (blocking: the platform may ask the engine).
   */
  private Map<String, Optional<String>> addresses(StackState state) {
    Map<String, Optional<String>> found = new HashMap<>();
    if (!addressable) {
      return found;
    }
    Set<String> known = knownAddresses;
    for (ServiceState service : state.services()) {
      for (TaskState task : service.tasks()) {
        if (task.status() == TaskStatus.RUNNING && !known.contains(task.id())) {
          try {
            found.put(task.id(), platform.replicaAddress(stack.name(), task));
          } catch (RuntimeException e) {
            LOG.debug("No address for replica {}: {}", task.id(), e.getMessage());
          }
        }
      }
    }
    return found;
  }

  private volatile Set<String> knownAddresses = Set.of();

  private void applyStatus(StackState state, Map<String, Optional<String>> addresses) {
    Instant now = clock.instant();
    Set<String> present = new HashSet<>();
    for (ServiceSpec spec : stack.services().values()) {
      HealthPolicy policy = spec.health();
      ServiceState service = state.service(spec.name()).orElse(null);
      if (policy.isNone() || service == null) {
        continue;
      }
      for (TaskState task : service.tasks()) {
        if (task.status().isFailure() && !task.id().equals(task.containerId())) {
          // Swarm keeps failed tasks in its history: each is a crash of the service
          Instant at = task.updatedAt() == null ? now : task.updatedAt();
          countCrash(spec.name(), task.id(), at, task.error());
        }
        if (task.status() != TaskStatus.RUNNING || task.desiredStatus() != TaskStatus.RUNNING) {
          continue;
        }
        present.add(task.id());
        ReplicaTracker tracker = replicas.get(task.id());
        if (tracker == null) {
          if (replacedIds.contains(task.id())) {
            continue;
          }
          tracker = track(spec.name(), policy, task, now);
        }
        tracker.task = task;
        Optional<String> address = addresses.get(task.id());
        if (address != null && address.isPresent()) {
          tracker.address = address.get();
        }
      }
    }
    for (Iterator<Map.Entry<String, ReplicaTracker>> it = replicas.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, ReplicaTracker> entry = it.next();
      if (!present.contains(entry.getKey())) {
        ReplicaTracker gone = entry.getValue();
        it.remove();
        if (Boolean.TRUE.equals(lastReady.remove(gone.task.id())) && gone.address != null) {
          notifyRouter(gone, false);
        }
        dirty = true;
      }
    }
    Set<String> known = new HashSet<>();
    replicas.values().stream().filter(r -> r.address != null).forEach(r -> known.add(r.task.id()));
    knownAddresses = Set.copyOf(known);
    publishReplicaCounts(state);
    publishSnapshot();
  }

  /**
   * kube-state-metrics' spec/status replicas per service, from the status just read: desired (the
   * spec, 0 when the service is missing), running (the platform's running replicas), and whether
   * the service is in a crash loop now (the loop's counter counts entries, this gauge its state).
   */
  private void publishReplicaCounts(StackState state) {
    Set<String> looping = currentLoops();
    for (ServiceSpec spec : stack.services().values()) {
      Map<String, String> tags = tags(spec.name());
      Optional<ServiceState> service = state.service(spec.name());
      metrics.gauge(
          "stackwright.replicas.desired",
          tags,
          service.map(ServiceState::desiredReplicas).orElse(spec.replicas()));
      metrics.gauge(
          "stackwright.replicas.running",
          tags,
          service.map(ServiceState::runningReplicas).orElse(0L));
      if (spec.health().isNone()) {
        // not probed here: ready is what the platform says (its HEALTHCHECK, else running)
        metrics.gauge(
            "stackwright.replicas.ready",
            tags,
            service.map(ServiceState::readyReplicas).orElse(0L));
      } else {
        metrics.gauge(
            "stackwright.service.crash_looping", tags, looping.contains(spec.name()) ? 1 : 0);
      }
    }
  }

  private ReplicaTracker track(String service, HealthPolicy policy, TaskState task, Instant now) {
    Instant startedAt =
        task.updatedAt() != null && task.updatedAt().isBefore(now) ? task.updatedAt() : now;
    ReplicaTracker tracker = new ReplicaTracker(service, policy, task, startedAt);
    HealthStateCodec.SavedReplica saved = restored.replicas().get(task.id());
    if (saved != null) {
      if (saved.started() && !tracker.started) {
        tracker.startProbes(now);
      }
      if (saved.ready()) {
        tracker.counters.computeIfPresent(
            ProbeTier.READINESS,
            (tier, counter) -> {
              counter.reset(true);
              return counter;
            });
        lastReady.put(task.id(), tracker.ready());
      }
    }
    replicas.put(task.id(), tracker);
    dirty = true;
    return tracker;
  }

  private void onPlatformEventAsync(OrchestratorEvent event) {
    if (event.detail() instanceof EventDetail.TaskStateChanged task
        && task.state() == TaskStatus.FAILED) {
      onScheduler(() -> onPlatformFailure(event, task));
    }
  }

  /** A replica crashed (the platform says so): counts towards the crash loop of its service. */
  private void onPlatformFailure(OrchestratorEvent event, EventDetail.TaskStateChanged task) {
    String service = task.service() != null ? task.service() : event.subject();
    ServiceSpec spec = service == null ? null : stack.services().get(service);
    if (spec == null || spec.health().isNone()) {
      return;
    }
    String taskId = task.replica();
    String containerId = task.containerId();
    if ((taskId != null && replacedIds.contains(taskId))
        || (containerId != null && replacedIds.contains(containerId))) {
      return;
    }
    // A Swarm task fails once: its id is the crash (its history reports it again). A single
    // engine's container restarts in place under the same id: each failure is its own crash.
    String key =
        taskId != null && !taskId.equals(containerId)
            ? taskId
            : containerId + "@" + event.timestamp();
    countCrash(service, key, event.timestamp(), task.error());
  }

  private void countCrash(String service, String key, Instant at, String error) {
    if (replacedIds.contains(key) || !seenFailures.add(key)) {
      return;
    }
    RecoveryTracker tracker = recovery(service);
    if (at.isBefore(
        clock.instant().minus(stack.services().get(service).health().recovery().window()))) {
      return;
    }
    dirty = true;
    metrics.count("stackwright.replica.crashes", tags(service), 1);
    LOG.info("Replica of {}/{} crashed ({})", stack.name(), service, error);
    if (tracker.recordFailure(at)) {
      crashLoop(service, tracker);
    }
  }

  // ------------------------------------------------------------------ probing

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("Health monitor of {} failed a round; it goes on", stack.name(), e);
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    for (Map.Entry<String, RecoveryTracker> entry : recovery.entrySet()) {
      RecoveryTracker tracker = entry.getValue();
      boolean was = tracker.inCrashLoop();
      tracker.updateLoop(now);
      if (was && !tracker.inCrashLoop()) {
        dirty = true;
        events.emit(
            EventDetail.Warning.of("crash-loop-ended"),
            entry.getKey(),
            "the crash loop of "
                + entry.getKey()
                + " is over: fewer failures in the window; replacing again");
        loops = currentLoops();
      }
    }
    for (ReplicaTracker tracker : new ArrayList<>(replicas.values())) {
      if (tracker.replaced) {
        continue;
      }
      if (tracker.replacementPending) {
        tryReplace(tracker, now);
        continue;
      }
      for (ProbeTier tier : new ArrayList<>(tracker.due.keySet())) {
        Instant due = tracker.due.get(tier);
        if (due != null && !tracker.inFlight.contains(tier) && !now.isBefore(due)) {
          launch(tracker, tier, now);
        }
      }
    }
    if (dirty) {
      persist();
    }
  }

  private void launch(ReplicaTracker tracker, ProbeTier tier, Instant now) {
    ProbeSpec spec = tracker.spec(tier);
    tracker.due.put(tier, now.plus(spec.period()));
    ProbeCheck check = spec.check();
    boolean needsAddress = check instanceof ProbeCheck.Http || check instanceof ProbeCheck.Tcp;
    if (needsAddress && tracker.address == null) {
      fallBackToEngine(tracker, tier, check);
      return;
    }
    tracker.inFlight.add(tier);
    ProbeTarget target = new ProbeTarget(stack.name(), tracker.task, tracker.address, platform);
    long started = System.nanoTime();
    runner
        .run(check, target, tracker.task.health(), spec.timeout())
        .thenAccept(
            result ->
                onScheduler(
                    () ->
                        onResult(
                            tracker, tier, result, Duration.ofNanos(System.nanoTime() - started))));
  }

  /**
   * A replica this process cannot reach (another Swarm node, or no address yet): the engine's
   * HEALTHCHECK verdict, which the platform reports wherever the replica runs, stands in for the
   * probe. Without a HEALTHCHECK nothing can be said, and the probe is skipped, not failed.
   */
  private void fallBackToEngine(ReplicaTracker tracker, ProbeTier tier, ProbeCheck check) {
    boolean hasHealthcheck = tracker.task.health() != io.stackwright.api.state.HealthStatus.NONE;
    if (!tracker.fallbackWarned && (addressable || tracker.task.containerId() != null)) {
      tracker.fallbackWarned = true;
      events.emit(
          new EventDetail.Warning(
              "probe-unreachable",
              Map.of(
                  "replica",
                  tracker.task.id(),
                  "tier",
                  tier.name(),
                  "fallback",
                  hasHealthcheck ? "ENGINE" : "NONE")),
          tracker.service,
          "replica "
              + tracker.task.id()
              + " is not reachable from this process for its "
              + tier.name().toLowerCase()
              + " probe ("
              + check
              + "); "
              + (hasHealthcheck
                  ? "using the container's HEALTHCHECK status instead"
                  : "it has no HEALTHCHECK either, so this probe is skipped"));
    }
    if (hasHealthcheck) {
      onResult(tracker, tier, ProbeRunner.engine(tracker.task.health()), Duration.ZERO);
    }
  }

  private void onResult(ReplicaTracker tracker, ProbeTier tier, ProbeResult result, Duration took) {
    tracker.inFlight.remove(tier);
    if (closed || tracker.replaced || replicas.get(tracker.task.id()) != tracker) {
      return;
    }
    Instant now = clock.instant();
    Map<String, String> tags = tags(tracker.service);
    tags.put("probe", tier.name().toLowerCase(java.util.Locale.ROOT));
    Map<String, String> timed = new LinkedHashMap<>(tags);
    tags.put("outcome", result.passed() ? "passed" : "failed");
    metrics.count("stackwright.probe.results", tags, 1);
    metrics.timing("stackwright.probe.duration", timed, took);
    tracker.lastDetail = result.detail();
    tracker.lastProbeAt = now;
    ProbeCounter counter = tracker.counters.get(tier);
    if (counter == null) {
      return;
    }
    int failuresBefore = counter.consecutiveFailures();
    ProbeCounter.Flip flip = counter.record(result.passed());
    ProbeSpec spec = tracker.spec(tier);
    if (!result.passed() && counter.consecutiveFailures() == 1) {
      events.emit(
          new EventDetail.ProbeFailed(
              tracker.service,
              tracker.task.id(),
              tracker.task.slot(),
              tier,
              counter.consecutiveFailures(),
              spec.failureThreshold(),
              result.detail()),
          tracker.service,
          tier.name().toLowerCase()
              + " probe of replica "
              + tracker.task.id()
              + " failed: "
              + result.detail());
    } else if (result.passed() && failuresBefore > 0) {
      events.emit(
          new EventDetail.ProbeRecovered(
              tracker.service, tracker.task.id(), tracker.task.slot(), tier, failuresBefore),
          tracker.service,
          tier.name().toLowerCase()
              + " probe of replica "
              + tracker.task.id()
              + " passes again after "
              + failuresBefore
              + " failures");
    }
    if (tier == ProbeTier.STARTUP && flip == ProbeCounter.Flip.PASSED) {
      tracker.startProbes(now);
      dirty = true;
    } else if ((tier == ProbeTier.STARTUP || tier == ProbeTier.LIVENESS)
        && flip == ProbeCounter.Flip.FAILED) {
      livenessFailed(tracker, tier, result, now);
    } else if (flip != ProbeCounter.Flip.NONE) {
      dirty = true;
    }
    readinessChanges(tracker);
    publishSnapshot();
  }

  private void readinessChanges(ReplicaTracker tracker) {
    boolean ready = tracker.ready();
    Boolean before = lastReady.put(tracker.task.id(), ready);
    if (before != null && before == ready || (before == null && !ready)) {
      return;
    }
    dirty = true;
    // a listener told "ready" that then asks the watch must see it ready: snapshot first
    publishSnapshot();
    events.emit(
        ready
            ? new EventDetail.ReplicaReady(tracker.service, tracker.task.id(), tracker.task.slot())
            : new EventDetail.ReplicaUnready(
                tracker.service, tracker.task.id(), tracker.task.slot(), tracker.lastDetail),
        tracker.service,
        "replica "
            + tracker.task.id()
            + " (slot "
            + tracker.task.slot()
            + ") is "
            + (ready ? "ready" : "unready: " + tracker.lastDetail));
    Map<String, String> tags = tags(tracker.service);
    tags.put("direction", ready ? "ready" : "unready");
    metrics.count("stackwright.replica.readiness_changes", tags, 1);
    if (tracker.address != null) {
      notifyRouter(tracker, ready);
    }
  }

  private void notifyRouter(ReplicaTracker tracker, boolean ready) {
    if (router == null) {
      return;
    }
    String address = tracker.address;
    blocking.execute(
        () -> {
          try {
            router.readinessChanged(stack.name(), tracker.service, address, ready);
          } catch (RuntimeException e) {
            LOG.warn(
                "Router {} failed on a readiness change of {}: {}",
                router.name(),
                address,
                e.getMessage());
          }
        });
  }

  // ------------------------------------------------------------------ recovery

  private void livenessFailed(
      ReplicaTracker tracker, ProbeTier tier, ProbeResult result, Instant now) {
    tracker.replacementPending = true;
    dirty = true;
    RecoveryTracker service = recovery(tracker.service);
    boolean loopStarted = service.recordFailure(now);
    events.emit(
        new EventDetail.ProbeFailed(
            tracker.service,
            tracker.task.id(),
            tracker.task.slot(),
            tier,
            tracker.spec(tier).failureThreshold(),
            tracker.spec(tier).failureThreshold(),
            result.detail()),
        tracker.service,
        tier.name().toLowerCase()
            + " probe of replica "
            + tracker.task.id()
            + " failed "
            + tracker.spec(tier).failureThreshold()
            + " times ("
            + result.detail()
            + "): "
            + (tracker.policy.recovery().replace() ? "replacing it" : "replacement is off"));
    if (loopStarted) {
      crashLoop(tracker.service, service);
    }
    tryReplace(tracker, now);
  }

  private void tryReplace(ReplicaTracker tracker, Instant now) {
    if (!tracker.policy.recovery().replace()) {
      // events only: count afresh, so a replica that stays broken is reported again
      tracker.replacementPending = false;
      tracker.counters.computeIfPresent(ProbeTier.STARTUP, (t, c) -> reset(c, null));
      tracker.counters.computeIfPresent(ProbeTier.LIVENESS, (t, c) -> reset(c, true));
      return;
    }
    RecoveryTracker.Decision decision = recovery(tracker.service).decide(now);
    if (!(decision instanceof RecoveryTracker.Decision.Replace replace)) {
      return;
    }
    tracker.replaced = true;
    replacedIds.add(tracker.task.id());
    if (tracker.task.containerId() != null) {
      replacedIds.add(tracker.task.containerId());
    }
    dirty = true;
    metrics.count("stackwright.replica.replacements", tags(tracker.service), 1);
    TaskState task = tracker.task;
    LOG.info(
        "Replacing replica {} of {}/{}; next replacement not before {}",
        task.id(),
        stack.name(),
        tracker.service,
        replace.nextBackoff());
    blocking.execute(
        () -> {
          try {
            platform.replace(stack.name(), task, events.listener());
          } catch (RuntimeException e) {
            onScheduler(() -> replaceFailed(tracker, e));
          }
        });
  }

  private static ProbeCounter reset(ProbeCounter counter, Boolean passing) {
    counter.reset(passing);
    return counter;
  }

  private void replaceFailed(ReplicaTracker tracker, RuntimeException e) {
    tracker.replaced = false;
    replacedIds.remove(tracker.task.id());
    events.emit(
        new EventDetail.Warning("replace-failed", Map.of("replica", tracker.task.id())),
        tracker.service,
        "replacing replica "
            + tracker.task.id()
            + " failed; retrying after the backoff: "
            + e.getMessage());
    alerts.send(
        new Alert(
            clock.instant(),
            Alert.Severity.WARNING,
            "replace_failed",
            stack.name(),
            tracker.service,
            "replica "
                + tracker.task.id()
                + " of "
                + tracker.service
                + " failed its liveness probe and could not be replaced: "
                + e.getMessage(),
            Map.of("replica", tracker.task.id())));
  }

  private void crashLoop(String service, RecoveryTracker tracker) {
    dirty = true;
    loops = currentLoops();
    var policy = stack.services().get(service).health().recovery();
    String summary =
        "service "
            + service
            + " of stack "
            + stack.name()
            + " failed "
            + tracker.failures().size()
            + " times within "
            + policy.window()
            + ": crash loop; Stackwright stops replacing its replicas until the failures age out";
    events.emit(
        new EventDetail.CrashLoop(
            service, tracker.failures().size(), policy.window(), policy.maxReplacements()),
        service,
        summary);
    metrics.count("stackwright.crash_loops", tags(service), 1);
    metrics.gauge("stackwright.service.crash_looping", tags(service), 1);
    alerts.send(
        new Alert(
            clock.instant(),
            Alert.Severity.CRITICAL,
            "crash_loop",
            stack.name(),
            service,
            summary,
            Map.of(
                "failures", Integer.toString(tracker.failures().size()),
                "window", policy.window().toString(),
                "maxReplacements", Integer.toString(policy.maxReplacements()))));
  }

  @Override
  public Subscription subscribe(EventListener listener) {
    return subscribers.subscribe(listener);
  }

  private RecoveryTracker recovery(String service) {
    return recovery.computeIfAbsent(
        service, s -> new RecoveryTracker(stack.services().get(s).health().recovery()));
  }

  private Set<String> currentLoops() {
    Set<String> looping = new TreeSet<>();
    recovery.forEach(
        (service, tracker) -> {
          if (tracker.inCrashLoop()) {
            looping.add(service);
          }
        });
    return Set.copyOf(looping);
  }

  // ------------------------------------------------------------------ plumbing

  private Map<String, String> tags(String service) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("stack", stack.name());
    tags.put("service", service);
    return tags;
  }

  private void publishSnapshot() {
    List<ReplicaHealth> list = new ArrayList<>();
    Map<String, Integer> ready = new HashMap<>();
    // a service whose replicas are all gone has 0 ready, not its last count
    stack.services().values().stream()
        .filter(spec -> !spec.health().isNone())
        .forEach(spec -> ready.put(spec.name(), 0));
    for (ReplicaTracker tracker : replicas.values()) {
      ReplicaHealth health = tracker.snapshot();
      list.add(health);
      ready.merge(tracker.service, health.ready() ? 1 : 0, Integer::sum);
    }
    list.sort(Comparator.comparing(ReplicaHealth::service).thenComparingInt(ReplicaHealth::slot));
    snapshot = List.copyOf(list);
    ready.forEach(
        (service, count) -> metrics.gauge("stackwright.replicas.ready", tags(service), count));
  }

  private void persist() {
    dirty = false;
    String document =
        codec.encode(recovery, replicas, lastReady, seenFailures, replacedIds, clock.instant());
    try {
      persistence.execute(() -> codec.save(document));
    } catch (RejectedExecutionException e) {
      LOG.debug("Health state of {} not saved: closed", stack.name());
    }
  }

  private void onScheduler(Runnable action) {
    try {
      scheduler.execute(
          () -> {
            try {
              action.run();
            } catch (RuntimeException e) {
              LOG.error("Health monitor of {} failed a step; it goes on", stack.name(), e);
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("Health monitor of {} is closed", stack.name());
    }
  }

  /** Stops probing and saves the state, so that a new monitor resumes from it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (watch != null) {
      watch.close();
    }
    try {
      scheduler
          .submit(
              () -> {
                closed = true;
                persist();
              })
          .get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      LOG.warn("Saving the health state of {} on close failed: {}", stack.name(), e.toString());
    }
    closed = true;
    if (ownsScheduler) {
      scheduler.shutdownNow();
    } else {
      periodic.forEach(f -> f.cancel(false));
    }
    persistence.shutdown();
    try {
      if (!persistence.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn(
            "Health state of {} may be incomplete: the store did not finish in 5 s", stack.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runner.close();
    LOG.info("Health monitor of stack {} stopped", stack.name());
  }
}
