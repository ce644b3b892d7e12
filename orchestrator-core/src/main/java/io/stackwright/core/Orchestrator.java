package io.stackwright.core;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.FileContent;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.AdmissionCheck;
import io.stackwright.api.spi.AlertSink;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.DeploymentStrategy;
import io.stackwright.api.spi.HealthProbe;
import io.stackwright.api.spi.MetricSource;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.RolloutCheck;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.StateStore;
import io.stackwright.api.spi.Store;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.QuotaClaim;
import io.stackwright.api.tenancy.QuotaExceededException;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.Tenant;
import io.stackwright.api.tenancy.TenantUsage;
import io.stackwright.core.admission.internal.Admission;
import io.stackwright.core.admission.internal.QuotaArithmetic;
import io.stackwright.core.controller.internal.Rotation;
import io.stackwright.core.controller.internal.StackController;
import io.stackwright.core.controller.internal.Supervision;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.health.internal.HealthConfig;
import io.stackwright.core.health.internal.HealthMonitor;
import io.stackwright.core.health.internal.ProbeVerification;
import io.stackwright.core.internal.DefaultExecutors;
import io.stackwright.core.internal.DefaultStore;
import io.stackwright.core.internal.DeploymentEnds;
import io.stackwright.core.internal.EventLog;
import io.stackwright.core.internal.Fanout;
import io.stackwright.core.internal.PlatformDiscovery;
import io.stackwright.core.internal.RoutedPlatform;
import io.stackwright.core.internal.Routing;
import io.stackwright.core.jobs.JobHandle;
import io.stackwright.core.jobs.Jobs;
import io.stackwright.core.jobs.internal.FencedPlatform;
import io.stackwright.core.jobs.internal.JobEngine;
import io.stackwright.core.jobs.internal.JobSettings;
import io.stackwright.core.jobs.internal.Retries;
import io.stackwright.core.rollout.BlueGreenStrategy;
import io.stackwright.core.rollout.CanaryStrategy;
import io.stackwright.core.rollout.RollingStrategy;
import io.stackwright.core.rollout.RolloutMetrics;
import io.stackwright.core.rollout.internal.RolloutEngine;
import io.stackwright.core.scaling.Autoscaler;
import io.stackwright.core.scaling.Autoscaling;
import io.stackwright.core.state.FileStateStore;
import io.stackwright.store.Stores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of Stackwright: plans, deploys, inspects, scales and removes stacks on one
 * platform. Thread-safe; close it to release the platform's connections and, when the orchestrator
 * created it, its executor.
 *
 * <pre>{@code
 * try (Orchestrator orchestrator = Orchestrator.builder().platform("swarm").build()) {
 *   Deployment deployment = orchestrator.deploy(stack, DeployOptions.defaults());
 *   DeploymentResult result = deployment.await(Duration.ofMinutes(5));
 * }
 * }</pre>
 */
public final class Orchestrator implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Orchestrator.class);

  /** How long close waits for each of its thread pools before closing the store it owns. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  /** An admission check listed in META-INF/services that failed to load: fails closed. */
  private record UnloadableCheck(Throwable failure) implements AdmissionCheck {
    @Override
    public String name() {
      return "unloadable";
    }

    @Override
    public List<SpecProblem> check(io.stackwright.api.tenancy.AdmissionRequest request) {
      throw new IllegalStateException("could not be loaded: " + failure.getMessage());
    }
  }

  private final Platform platform;
  private final Clock clock;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final List<EventListener> listeners;
  private final Fanout stackSubscribers = new Fanout();
  private final Routing routing;
  private final HealthConfig health;
  private final List<MetricSource> metricSources;
  private final MetricsRecorder metrics;
  private final RolloutEngine rollouts;
  private final ProbeVerification probeVerification;
  private final ScheduledExecutorService scheduler;
  private final ScheduledExecutorService jobTimer;
  private final JobEngine jobEngine;
  private final StackController controller;
  private final StateStore stateStore;
  private final Supervision supervision;
  private final Store store;
  private final Map<String, Tenant> tenants;
  private final Admission admission;
  private final boolean ownsStore;
  private final io.stackwright.core.drift.internal.DriftSupervision drift;
  private final java.util.concurrent.ScheduledFuture<?> auditPurge;

  private Orchestrator(
      Builder builder, Platform platform, Routing routing, ExecutorService executor, boolean owns) {
    this.platform = platform;
    this.routing = routing;
    this.clock = builder.clock;
    this.executor = executor;
    this.ownsExecutor = owns;
    List<EventListener> all = new ArrayList<>(builder.listeners);
    all.add(stackSubscribers); // orchestrator.stack(name).subscribe(...)
    if (builder.health.metrics != MetricsRecorder.NONE) {
      // rollout meters come from the rollout's own events, for every host that records metrics
      all.add(RolloutMetrics.recordingTo(builder.health.metrics));
    }
    this.listeners = List.copyOf(all);
    this.ownsStore = builder.store == null;
    this.store = ownsStore ? builder.openStore() : builder.store;
    if (builder.health.store == null) {
      builder.health.store = store.documents(); // one store for health, revisions and jobs
    }
    // The health monitor tells the same router (configured or discovered) about readiness.
    this.health = builder.health.build(routing.router(), builder.classLoader);
    // Rollouts verify new versions by the services' own probes too (x-stackwright.health).
    this.probeVerification = new ProbeVerification(platform, executor, health);
    // Jobs write through a fenced view: a job whose lease lapsed cannot write at all.
    Platform fenced = new FencedPlatform(platform);
    this.stateStore = health.store();
    this.rollouts =
        builder.rolloutEngine(
            new RoutedPlatform(fenced, routing), routing.router(), probeVerification, stateStore);
    this.metricSources = List.copyOf(builder.metricSources);
    this.metrics = builder.health.metrics;
    this.tenants = Map.copyOf(builder.tenants);
    // every process sharing the store enforces the same quotas: the builder's are written to it
    tenants.values().forEach(t -> store.quotas().setQuota(t.name(), t.quota()));
    this.admission =
        new Admission(
            builder.admissionChecks(),
            builder.admissionTimeout,
            executor,
            stack -> store.quotas().owner(stack));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            DefaultExecutors.daemonThreads("stackwright-scheduler"));
    // The job engine's tick renews claims and this process's heartbeat: a supervisor's slow
    // engine call on the shared scheduler must not let them lapse (others would take the jobs).
    this.jobTimer =
        Executors.newSingleThreadScheduledExecutor(
            DefaultExecutors.daemonThreads("stackwright-jobs"));
    this.jobEngine =
        new JobEngine(
                store,
                executor,
                clock,
                new java.util.Random(),
                builder.jobSettings,
                JobEngine.defaultOwner(),
                listeners,
                metrics)
            .start(jobTimer);
    this.controller =
        new StackController(
            fenced, routing, rollouts, jobEngine, store, stateStore, listeners, clock);
    this.supervision =
        new Supervision(
            platform, routing, controller, scheduler, executor, clock, new EventLog(listeners));
    jobEngine.principal(builder.principal);
    this.drift =
        new io.stackwright.core.drift.internal.DriftSupervision(
            platform,
            routing,
            controller,
            supervision,
            store,
            scheduler,
            executor,
            clock,
            new java.util.Random(),
            new EventLog(listeners),
            metrics,
            health.alertSinks(),
            jobEngine.owner(),
            builder.principal);
    Duration retention = builder.auditRetention;
    this.auditPurge =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                store.audit().purgeOlderThan(retention);
              } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Orchestrator.class)
                    .debug("Purging the audit history failed: {}", e.toString());
              }
            },
            1,
            60,
            java.util.concurrent.TimeUnit.MINUTES);
    if (!tenants.isEmpty() && metrics != MetricsRecorder.NONE) {
      scheduler.scheduleAtFixedRate(
          this::recordTenantGauges, 0, 5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** {@code stackwright.quota.used} and {@code stackwright.quota.hard} of every tenant. */
  private void recordTenantGauges() {
    for (String name : tenants.keySet()) {
      try {
        TenantUsage usage = store.quotas().usage(name);
        for (QuotaResource resource : QuotaResource.values()) {
          Map<String, String> tags = Map.of("tenant", name, "resource", resource.id());
          metrics.gauge("stackwright.quota.used", tags, usage.total().get(resource));
          usage
              .quota()
              .limit(resource)
              .ifPresent(limit -> metrics.gauge("stackwright.quota.hard", tags, limit));
        }
      } catch (RuntimeException e) {
        LOG.debug("Could not read the use of tenant {}: {}", name, e.toString());
      }
    }
  }

  /**
   * The tenant {@code name}, as configured with {@link Builder#tenant(Tenant)}.
   *
   * @throws io.stackwright.api.NotFoundException when no such tenant is configured
   */
  public TenantHandle tenant(String name) {
    Tenant tenant = tenants.get(name);
    if (tenant == null) {
      throw new io.stackwright.api.NotFoundException(
          "tenant "
              + name
              + " is not configured on this orchestrator (configured: "
              + new java.util.TreeSet<>(tenants.keySet())
              + "); add it with Orchestrator.builder().tenant(...)");
    }
    return new TenantHandle() {
      @Override
      public Tenant tenant() {
        return tenant;
      }

      @Override
      public StackHandle stack(String stack) {
        return new Handle(stack, tenant);
      }

      @Override
      public TenantUsage usage() {
        return store.quotas().usage(name);
      }
    };
  }

  /** What {@code tenant} uses and holds now (configured or not: the store's view). */
  public TenantUsage usage(String tenant) {
    return store.quotas().usage(tenant);
  }

  /**
   * The tenant a deploy of {@code stack} is admitted for: the one given, else the stack's owner in
   * the store (a tenant's stack is always admitted as that tenant's), else none.
   */
  private Tenant tenantFor(String stack, Tenant given) {
    if (given != null) {
      return given;
    }
    Optional<String> owner = store.quotas().owner(stack);
    if (owner.isEmpty()) {
      return null;
    }
    Tenant known = tenants.get(owner.get());
    if (known == null) {
      throw new io.stackwright.api.ConflictException(
          "stack "
              + stack
              + " belongs to tenant "
              + owner.get()
              + ", which this orchestrator is not configured with; deploy it through"
              + " orchestrator.tenant(\""
              + owner.get()
              + "\")",
          null);
    }
    return known;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The name of the platform in use ({@code swarm}, {@code compose}, ...). */
  public String platformName() {
    return platform.name();
  }

  /** The platform in use, for the capabilities it declares. */
  public Platform platform() {
    return platform;
  }

  /**
   * What deploying {@code stack} would change. Reads only.
   *
   * @throws InvalidSpecException when the platform cannot run the stack as declared
   */
  public Plan plan(StackSpec stack) {
    validate(stack);
    return platform.plan(routing.prepare(stack));
  }

  /** The router in use, or {@code null} when the orchestrator routes no traffic. */
  public Router router() {
    return routing.router();
  }

  /**
   * Starts deploying {@code stack}. The stack is validated and planned before this method returns,
   * so bad input fails here, before anything is written; applying and waiting go on in the
   * background.
   *
   * @throws InvalidSpecException when the platform cannot run the stack as declared
   */
  public Deployment deploy(StackSpec stack, DeployOptions options) {
    return deploy(stack, options, null);
  }

  private Deployment deploy(StackSpec stack, DeployOptions options, String idempotencyKey) {
    return deploy(stack, options, idempotencyKey, null);
  }

  private Deployment deploy(
      StackSpec given, DeployOptions options, String idempotencyKey, Tenant tenantGiven) {
    Objects.requireNonNull(options, "options");
    EventLog events = new EventLog(listeners);
    Tenant tenant = tenantFor(given.name(), tenantGiven);
    StackSpec stack = admit(given, tenant, events);
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack.name(),
            null,
            "deploying " + stack.services().size() + " services to " + platform.name(),
            new EventDetail.DeploymentStarted(0, stack.services().size(), 0, 1)));
    Plan plan;
    try {
      plan = platform.plan(routing.prepare(stack));
    } catch (RuntimeException e) {
      // the deployment ends here, before anything is written
      DeploymentEnds.failed(events, clock, stack.name(), 0, Duration.ZERO, e);
      throw e;
    }
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack.name(),
            null,
            plan.isEmpty()
                ? "the plan has no changes"
                : "the plan has " + plan.changes().size() + " changes",
            DeploymentEnds.planned(plan)));
    if (rollouts.lastHealthy(stack.name()).isEmpty()) {
      // a failed rollout returns to the newest revision that succeeded as it was accepted (the
      // store's, when this process deployed none yet), never to a file interpolated again
      controller.lastSucceededSpec(stack.name()).ifPresent(rollouts::rememberHealthy);
    }
    try {
      if (tenant == null) {
        return controller.deploy(stack, plan, options, idempotencyKey, events);
      }
      QuotaClaim claim =
          QuotaArithmetic.claim(
              tenant.name(),
              stack,
              plan,
              controller.desiredSpec(stack.name()),
              platform::globalReplicas);
      try {
        return controller.deploy(
            stack, plan, options, idempotencyKey, events, tenant.name(), claim);
      } catch (QuotaExceededException e) {
        events.onEvent(
            new OrchestratorEvent(
                clock.instant(),
                stack.name(),
                null,
                e.getMessage(),
                new EventDetail.QuotaExceeded(e.tenant(), e.resource().id())));
        throw e;
      }
    } catch (RuntimeException e) {
      DeploymentEnds.failed(events, clock, stack.name(), 0, Duration.ZERO, e);
      throw e;
    }
  }

  /**
   * Rotates secret or config {@code key} of {@code name}: its accepted spec with the new content is
   * admitted as a deploy is (the tenant's quota reserves the start-first surge), submitted as a
   * rotate job and accepted as the stack's next revision. See {@link StackHandle#rotateSecret}.
   */
  private Deployment rotate(
      String name,
      EventDetail.Resource kind,
      String key,
      FileContent content,
      DeployOptions options,
      Tenant tenantGiven) {
    Objects.requireNonNull(options, "options");
    EventLog events = new EventLog(listeners);
    Tenant tenant = tenantFor(name, tenantGiven);
    Rotation rotation = Rotation.of(controller.acceptedSpec(name), kind, key, content);
    StackSpec admitted = admit(rotation.spec(), tenant, events);
    rotation = new Rotation(kind, key, admitted, rotation.dependants());
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            name,
            null,
            "rotating "
                + rotation.what()
                + " "
                + key
                + " of "
                + rotation.dependants()
                + " on "
                + platform.name(),
            new EventDetail.DeploymentStarted(0, admitted.services().size(), 0, 1)));
    try {
      Plan plan = platform.plan(routing.prepare(admitted));
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              name,
              null,
              "the plan has " + plan.changes().size() + " changes",
              DeploymentEnds.planned(plan)));
      if (tenant == null) {
        return controller.rotate(rotation, plan, options, events, null, null);
      }
      QuotaClaim claim =
          QuotaArithmetic.claim(
              tenant.name(),
              admitted,
              plan,
              controller.desiredSpec(name),
              platform::globalReplicas);
      try {
        return controller.rotate(rotation, plan, options, events, tenant.name(), claim);
      } catch (QuotaExceededException e) {
        events.onEvent(
            new OrchestratorEvent(
                clock.instant(),
                name,
                null,
                e.getMessage(),
                new EventDetail.QuotaExceeded(e.tenant(), e.resource().id())));
        throw e;
      }
    } catch (RuntimeException e) {
      // the rotation ends here, before anything is written
      DeploymentEnds.failed(events, clock, name, 0, Duration.ZERO, e);
      throw e;
    }
  }

  /**
   * Admission: the platform's, the router's and the strategies' checks, the tenant's policy,
   * defaults, bounds and isolation, and the host's checks, in one pass; problems are located in the
   * stack's source files when its loader attached them.
   *
   * @return the stack as it is deployed (limits defaulted, resources labelled with the tenant)
   */
  private StackSpec admit(StackSpec stack, Tenant tenant, EventLog events) {
    Admission.Result result = admission.admit(stack, tenant);
    List<SpecProblem> problems = new ArrayList<>(platform.validate(result.stack()));
    problems.addAll(routing.validate(result.stack()));
    problems.addAll(rollouts.validate(result.stack()));
    problems.addAll(result.problems());
    for (SpecProblem warning : io.stackwright.api.SpecSources.locate(stack, result.warnings())) {
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack.name(),
              null,
              warning.toString(),
              new EventDetail.AdmissionWarning(tenant.name(), warning.toString())));
    }
    for (SpecProblem audit : io.stackwright.api.SpecSources.locate(stack, result.audits())) {
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack.name(),
              null,
              audit.toString(),
              new EventDetail.AdmissionAudit(tenant.name(), audit.toString())));
    }
    if (!problems.isEmpty()) {
      InvalidSpecException refused =
          new InvalidSpecException(io.stackwright.api.SpecSources.locate(stack, problems));
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack.name(),
              null,
              refused.getMessage(),
              new EventDetail.AdmissionDenied(
                  tenant == null ? null : tenant.name(), refused.problems().size())));
      throw refused;
    }
    return result.stack();
  }

  /**
   * Returns {@code stack} to its last fully healthy revision known to this orchestrator, or else to
   * the newest revision whose deploy succeeded in the store (another process's, an earlier run's),
   * reporting {@code ROLLBACK_STARTED} and {@code ROLLBACK_COMPLETED}; the result succeeds once
   * that revision runs healthy again. The revision is deployed as it was accepted: its variables
   * are not interpolated again (its secrets and configs are read again from their files, and must
   * not have changed).
   *
   * @throws io.stackwright.api.NotFoundException when no such revision is known
   */
  public Deployment rollback(String stack, DeployOptions options) {
    Optional<StackSpec> known = rollouts.lastHealthy(stack);
    StackSpec target =
        known
            .or(() -> controller.lastSucceededSpec(stack))
            .orElseThrow(
                () ->
                    new io.stackwright.api.NotFoundException(
                        "no revision of stack "
                            + stack
                            + " that deployed successfully is known, in this process or in"
                            + " the store; nothing to roll back to"));
    if (known.isEmpty()) {
      rollouts.rememberHealthy(target); // the rollout returns to the revision it remembers
    }
    return controller.rollback(target, plan(target), options, new EventLog(listeners));
  }

  /**
   * Tells the orchestrator that {@code stack} is a revision known to have run healthy (one a
   * previous run of the host deployed), so that a failed rollout can return to it. The orchestrator
   * keeps revision specs in memory only, as they hold secret contents.
   */
  public void rememberHealthy(StackSpec stack) {
    rollouts.rememberHealthy(stack);
  }

  /**
   * Makes the new version of the rollout of {@code stack} in progress the live one now (a canary's
   * remaining steps or a blue-green switch that waits for an operator). The decision goes through
   * the store to the rollout's job, wherever it runs.
   *
   * @return the promote job that records the decision, finished once delivered
   * @throws io.stackwright.api.NotFoundException when no rollout of the stack is in progress
   */
  public Job promote(String stack) {
    return controller.decide(stack, RolloutContext.Decision.PROMOTE);
  }

  /**
   * Stops the rollout of {@code stack} in progress and returns the stack to its last healthy
   * revision; the rollout's result says {@code ROLLED_BACK}.
   *
   * @return the abort job that records the decision, finished once delivered
   * @throws io.stackwright.api.NotFoundException when no rollout of the stack is in progress
   */
  public Job abort(String stack) {
    return controller.decide(stack, RolloutContext.Decision.ABORT);
  }

  /** Deploys with {@link DeployOptions#defaults()}. */
  public Deployment deploy(StackSpec stack) {
    return deploy(stack, DeployOptions.defaults());
  }

  /** What runs for the stack; empty when nothing does. */
  public StackState status(String stack) {
    return platform.status(stack);
  }

  /** The stacks found on the platform. */
  public List<String> stacks() {
    return platform.stacks();
  }

  /**
   * Sets the replicas of one service, through a {@code scale} job (after the stack's earlier jobs);
   * waits for it.
   *
   * @throws OrchestratorException when the job fails
   */
  public void scale(String stack, String service, int replicas) {
    awaitWrite(controller.scale(stack, service, replicas));
  }

  private static Job awaitWrite(JobHandle job) {
    Job done = job.await(DeployOptions.DEFAULT_TIMEOUT.multipliedBy(2));
    if (done.state() != JobState.SUCCEEDED) {
      throw new OrchestratorException(
          done.kind().id() + " of " + done.stack() + " " + done.state().id() + ": " + done.error());
    }
    return done;
  }

  /**
   * The stack named {@code name}: its operations as jobs, its jobs and its accepted desired state.
   */
  public StackHandle stack(String name) {
    return new Handle(name);
  }

  /** Every job the orchestrator's store holds. */
  public Jobs jobs() {
    return jobEngine;
  }

  /**
   * Keeps the stack as its current desired state declares until the returned subscription is
   * closed. {@code stack} becomes the desired state only when none was accepted yet (a stack an
   * earlier run deployed); a later deploy's spec is the one kept. On a platform that heals itself
   * ({@link Capability#SELF_HEALING}, such as Swarm) there is nothing to do; on one that does not
   * (a single engine), a replica that exits or disappears is repaired by a {@code reconcile} job,
   * with exponential backoff (1 s doubling to 1 min) between failed repairs. Each repair is
   * reported as a {@link EventType#REPLICA_REPLACED} event.
   */
  public Subscription keep(StackSpec stack) {
    validate(stack);
    controller.adopt(stack);
    return supervision.keep(stack.name());
  }

  /**
   * Probes the replicas of every service of the stack that has a health policy, replaces those
   * failing liveness (by {@code replace} jobs), reports readiness, detects crash loops and alerts,
   * until the returned watch is closed; it follows the stack's current desired state (see {@link
   * #keep}). See {@link io.stackwright.core.health}.
   */
  public HealthWatch monitor(StackSpec stack) {
    validate(stack);
    controller.adopt(stack);
    Platform view = supervision.view();
    // the watch's subscribers stay subscribed when it restarts on a new desired revision
    Fanout subscribers = new Fanout();
    return supervision.healthWatch(
        supervision.follow(
            stack.name(),
            stack,
            spec ->
                health.start(
                    view,
                    spec,
                    clock,
                    executor,
                    subscribers.after(new EventLog(listeners)),
                    scheduler)),
        subscribers);
  }

  /**
   * Scales the services of the stack that declare a scaling policy (by {@code scale} jobs) until
   * the returned handle is closed; it follows the stack's current desired state (see {@link
   * #keep}). See {@link Autoscaler} for the algorithm, the lease and how manual scaling is treated.
   *
   * @throws InvalidSpecException when a policy cannot work on this platform
   */
  public Autoscaling autoscale(StackSpec stack) {
    validate(stack);
    controller.adopt(stack);
    Fanout subscribers = new Fanout();
    Autoscaler autoscaler =
        Autoscaler.builder(supervision.view())
            .clock(clock)
            .executor(executor)
            .scheduler(scheduler)
            .listener(subscribers.after(new EventLog(listeners)))
            .metricsRecorder(metrics)
            .metricSources(metricSources)
            .build();
    return supervision.autoscaling(
        supervision.follow(stack.name(), stack, autoscaler::start), subscribers);
  }

  /**
   * Watches the stack for drift (changes made behind Stackwright's back) as its {@code
   * x-stackwright.drift} sections declare ({@link DriftPolicy#of}); see {@link
   * #watchDrift(StackSpec, DriftPolicy)}.
   *
   * @throws InvalidSpecException when a drift section is malformed, or the platform cannot run the
   *     stack
   */
  public io.stackwright.core.drift.DriftWatch watchDrift(StackSpec stack) {
    return watchDrift(stack, DriftPolicy.of(stack));
  }

  /**
   * Watches the stack for drift until the returned watch is closed: what runs is compared with the
   * stack's current desired state when the engine reports a change to the stack's resources and
   * every {@link DriftPolicy#interval()} plus jitter. {@code warn} reports each difference ({@code
   * DRIFT_DETECTED}, the metric {@code stackwright.drift.detected}, an audit entry) and writes
   * nothing; {@code repair} also restores the desired state by a {@code reconcile} job ({@code
   * DRIFT_REPAIRED}), backing off (2 s, tripling, up to 5 min) when the drift comes back or the
   * repair fails, and stopping with one alert ({@code DRIFT_REPAIR_STOPPED}) at the third setback.
   * {@code stack} becomes the desired state only when none was accepted yet (see {@link #keep}).
   */
  public io.stackwright.core.drift.DriftWatch watchDrift(StackSpec stack, DriftPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    validate(stack);
    controller.adopt(stack);
    return drift.start(stack.name(), policy);
  }

  /**
   * Removes everything of the stack (volumes only when {@code options} say so) through a {@code
   * remove} job, which cancels the stack's queued jobs and stops its running one; waits for it.
   */
  public void remove(String stack, RemoveOptions options) {
    awaitWrite(controller.remove(stack, options));
  }

  @Override
  public void close() {
    auditPurge.cancel(false);
    supervision.close();
    jobEngine.close();
    jobTimer.shutdownNow();
    scheduler.shutdownNow();
    try (routing;
        probeVerification) {
      platform.close();
    } catch (Exception e) {
      throw new OrchestratorException("closing platform " + platform.name() + " failed", e);
    } finally {
      if (ownsExecutor) {
        executor.shutdownNow();
      }
      if (ownsStore) {
        // Tasks still under way (a job recording its end, a probe writing its state) finish
        // against an open store rather than fail on a closed one.
        awaitQuietly(jobTimer, CLOSE_GRACE);
        awaitQuietly(scheduler, CLOSE_GRACE);
        if (ownsExecutor) {
          awaitQuietly(executor, CLOSE_GRACE);
        }
        store.close();
      }
    }
  }

  private static void awaitQuietly(ExecutorService service, Duration grace) {
    try {
      if (!service.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.debug("Tasks of {} still running after {} at close", service, grace);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The store in use (desired states, jobs, leases, documents). */
  public Store store() {
    return store;
  }

  private void validate(StackSpec stack) {
    List<SpecProblem> problems = new ArrayList<>(platform.validate(stack));
    problems.addAll(routing.validate(stack));
    problems.addAll(rollouts.validate(stack));
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(io.stackwright.api.SpecSources.locate(stack, problems));
    }
  }

  /** One stack of this orchestrator. */
  private final class Handle implements StackHandle {
    private final String name;
    private final Tenant tenant;

    Handle(String name) {
      this(name, null);
    }

    Handle(String name, Tenant tenant) {
      this.name = Objects.requireNonNull(name, "name");
      this.tenant = tenant;
    }

    @Override
    public String name() {
      return name;
    }

    private StackSpec named(StackSpec spec) {
      if (!spec.name().equals(name)) {
        throw new IllegalArgumentException(
            "the spec is of stack " + spec.name() + ", not of " + name);
      }
      return spec;
    }

    @Override
    public Deployment deploy(StackSpec spec, DeployOptions options, String idempotencyKey) {
      return Orchestrator.this.deploy(named(spec), options, idempotencyKey, tenant);
    }

    @Override
    public JobHandle scale(String service, int replicas) {
      return controller.scale(name, service, replicas);
    }

    @Override
    public Deployment rotateSecret(String key, FileContent content, DeployOptions options) {
      // the secret's spec keeps any content sensitive (and its origin)
      return Orchestrator.this.rotate(
          name, EventDetail.Resource.SECRET, key, content, options, tenant);
    }

    @Override
    public Deployment rotateConfig(String key, FileContent content, DeployOptions options) {
      return Orchestrator.this.rotate(
          name, EventDetail.Resource.CONFIG, key, content, options, tenant);
    }

    @Override
    public Deployment rollback(DeployOptions options) {
      return Orchestrator.this.rollback(name, options);
    }

    @Override
    public Job promote() {
      return controller.decide(name, RolloutContext.Decision.PROMOTE);
    }

    @Override
    public Job abort() {
      return controller.decide(name, RolloutContext.Decision.ABORT);
    }

    @Override
    public JobHandle remove(RemoveOptions options) {
      return controller.remove(name, options);
    }

    @Override
    public StackState status() {
      return platform.status(name);
    }

    @Override
    public Optional<DesiredState> desired() {
      return controller.desired(name);
    }

    @Override
    public List<Job> jobs() {
      return jobEngine.list(name, 1000);
    }

    @Override
    public Subscription subscribe(EventListener listener) {
      return stackSubscribers.subscribe(listener, event -> name.equals(event.stack()));
    }

    @Override
    public List<io.stackwright.api.store.AuditEntry> history(
        java.time.Instant from, java.time.Instant to) {
      return store.audit().history(name, from, to, 10_000);
    }
  }

  /** The builder's health settings (kept apart so the builder stays small). */
  private static final class HealthOptions {
    StateStore store;
    MetricsRecorder metrics = MetricsRecorder.NONE;
    final List<AlertSink> sinks = new ArrayList<>();
    final List<HealthProbe> probes = new ArrayList<>();
    HealthMonitor.Settings settings = HealthMonitor.Settings.DEFAULT;

    HealthConfig build(Router router, ClassLoader classLoader) {
      return new HealthConfig(sinks, probes, store, metrics, router, settings, classLoader);
    }
  }

  /** Configures an {@link Orchestrator}. */
  public static final class Builder {
    private String platformName;
    private Platform platform;
    private Clock clock = Clock.systemUTC();
    private ExecutorService executor;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<EventListener> listeners = new ArrayList<>();
    private final List<MetricSource> metricSources = new ArrayList<>();
    private ClassLoader classLoader = Orchestrator.class.getClassLoader();
    private Router router;
    private String routerName;
    private final HealthOptions health = new HealthOptions();
    private final List<DeploymentStrategy> strategies =
        new ArrayList<>(
            List.of(new RollingStrategy(), new BlueGreenStrategy(), new CanaryStrategy()));
    private final List<RolloutCheck> rolloutChecks = new ArrayList<>();
    private final Map<String, Tenant> tenants = new LinkedHashMap<>();
    private final List<AdmissionCheck> admissionChecks = new ArrayList<>();
    private Duration admissionTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * A tenant whose stacks ({@code orchestrator.tenant(name).stack(...)}) are admitted under its
     * policy, defaults, isolation and quota. Its quota is written to the store when the
     * orchestrator is built, so configure every process sharing a store with the same tenants.
     */
    public Builder tenant(Tenant tenant) {
      Objects.requireNonNull(tenant, "tenant");
      tenants.put(tenant.name(), tenant);
      return this;
    }

    /**
     * A host's own admission rule, run with every deploy's validation; checks listed in {@code
     * META-INF/services/io.stackwright.api.spi.AdmissionCheck} are added too.
     */
    public Builder admissionCheck(AdmissionCheck check) {
      admissionChecks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /** How long an admission check may take before it refuses (default 5 s: fail closed). */
    public Builder admissionTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the admission timeout must be positive");
      }
      this.admissionTimeout = timeout;
      return this;
    }

    private List<AdmissionCheck> admissionChecks() {
      List<AdmissionCheck> all = new ArrayList<>(admissionChecks);
      java.util.ServiceLoader<AdmissionCheck> found =
          java.util.ServiceLoader.load(AdmissionCheck.class, classLoader);
      for (java.util.Iterator<AdmissionCheck> it = found.iterator(); ; ) {
        try {
          if (!it.hasNext()) {
            break;
          }
          all.add(it.next());
        } catch (java.util.ServiceConfigurationError e) {
          // a check that cannot load cannot admit: it refuses every stack
          LOG.error("An admission check could not be loaded; every deploy is refused", e);
          all.add(new UnloadableCheck(e));
        }
      }
      return all;
    }

    /**
     * Routes traffic to the deployed stacks through {@code router} (for example Traefik's): routes
     * are published on deploy, blue-green and canary rollouts move traffic through it, and the
     * health monitor tells it about readiness. The orchestrator closes it.
     */
    public Builder router(Router router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /**
     * Routes traffic through the router of this name, found through {@code RouterProvider}s on the
     * class path and configured by the {@linkplain #property properties}.
     */
    public Builder router(String name) {
      this.routerName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Adds a deployment strategy, or replaces the built-in one of the same name. */
    public Builder strategy(DeploymentStrategy strategy) {
      Objects.requireNonNull(strategy, "strategy");
      strategies.removeIf(s -> s.name().equals(strategy.name()));
      strategies.add(strategy);
      return this;
    }

    /** A check every rollout's verification must pass (external probes, metric thresholds). */
    public Builder rolloutCheck(RolloutCheck check) {
      rolloutChecks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    private Store store;
    private java.util.function.Supplier<Store> storeFactory;
    private JobSettings jobSettings = JobSettings.DEFAULT;
    private String principal;
    private Duration auditRetention = Duration.ofDays(90);

    /**
     * Who acts through this orchestrator (a user, a service account): stored with each job it
     * submits and with each row of the audit history. Stackwright does not check it.
     */
    public Builder principal(String principal) {
      this.principal = Objects.requireNonNull(principal, "principal");
      return this;
    }

    /** How long the audit history is kept (by default 90 days). */
    public Builder auditRetention(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention must be positive, was " + retention);
      }
      this.auditRetention = retention;
      return this;
    }

    /**
     * Keeps the store in H2 files under {@code directory} (by default {@code ~/.stackwright/store},
     * or the directory the system property {@code stackwright.store.dir} names). Processes of the
     * host share it (the CLI's {@code promote} reaches a running deploy through it).
     */
    public Builder storeDirectory(java.nio.file.Path directory) {
      Objects.requireNonNull(directory, "directory");
      this.storeFactory = () -> DefaultStore.open(directory, clock);
      return this;
    }

    /**
     * Keeps the store in PostgreSQL, for several host processes sharing one cluster: each job is
     * claimed by one of them, and another resumes it when its claimant dies.
     */
    public Builder postgres(String jdbcUrl, String user, String password) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      this.storeFactory = () -> Stores.postgres(jdbcUrl, user, password, clock);
      return this;
    }

    /** Keeps the store in memory: nothing survives the orchestrator (tests). */
    public Builder inMemoryStore() {
      this.storeFactory = () -> Stores.inMemory(clock);
      return this;
    }

    private Store openStore() {
      return storeFactory != null ? storeFactory.get() : DefaultStore.openDefault(clock);
    }

    /**
     * Keeps desired states, jobs, leases and documents (health state, revisions) in {@code store}
     * (for example {@code Stores.inMemory(clock)} in tests, or a PostgreSQL store shared by several
     * host processes). The host keeps ownership and closes it.
     */
    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** How many stacks run a job at once (by default 10); more wait in the queue. */
    public Builder maxConcurrentStacks(int max) {
      jobSettings = jobSettings.withMaxConcurrentStacks(max);
      return this;
    }

    /** How long finished jobs are kept (by default 7 days). */
    public Builder jobRetention(Duration retention) {
      jobSettings = jobSettings.withRetention(retention);
      return this;
    }

    /**
     * How failed attempts of jobs are retried: {@code maxAttempts} in all, after a delay starting
     * at {@code initial} and doubling up to {@code max}, with jitter.
     */
    public Builder jobRetries(int maxAttempts, Duration initial, Duration max) {
      jobSettings = jobSettings.withRetries(new Retries(maxAttempts, initial, max));
      return this;
    }

    /** How long a job's claim lasts unless renewed (how soon another process resumes it). */
    public Builder jobLease(Duration ttl) {
      jobSettings = jobSettings.withLeaseTtl(ttl);
      return this;
    }

    private RolloutEngine rolloutEngine(
        Platform chosen, Router router, RolloutCheck probes, StateStore store) {
      List<RolloutCheck> checks = new ArrayList<>(rolloutChecks);
      checks.add(probes);
      return new RolloutEngine(chosen, router, store, strategies, checks, clock);
    }

    /** Chooses a platform by provider name; otherwise the best available one is used. */
    public Builder platform(String name) {
      this.platformName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Uses this platform instance instead of discovering one. The orchestrator closes it. */
    public Builder platform(Platform platform) {
      this.platform = Objects.requireNonNull(platform, "platform");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Runs blocking work on this executor; the host application keeps ownership and shuts it down.
     * By default the orchestrator uses virtual threads where the runtime has them.
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** A platform setting, such as {@link PlatformContext#DOCKER_HOST}. */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** Receives every event of every operation. */
    public Builder listener(EventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** A source of custom autoscaling metrics, besides those found through ServiceLoader. */
    public Builder metricSource(MetricSource source) {
      metricSources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /** Where to look for platform providers (by default the one that loaded Stackwright). */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * Where health state and history and the rollout revision history go. By default health state
     * goes to files under {@link FileStateStore#defaultDirectory()} and revisions stay in memory.
     */
    public Builder stateStore(StateStore store) {
      health.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Receives alerts (crash loops); sinks listed in META-INF/services are added too. */
    public Builder alertSink(AlertSink sink) {
      health.sinks.add(Objects.requireNonNull(sink, "sink"));
      return this;
    }

    /** A custom probe kind, for probes of kind CUSTOM naming it. */
    public Builder healthProbe(HealthProbe probe) {
      health.probes.add(Objects.requireNonNull(probe, "probe"));
      return this;
    }

    /** Receives Stackwright's metrics; {@link MetricsRecorder#NONE} by default. */
    public Builder metrics(MetricsRecorder metrics) {
      health.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** How often the health monitor looks for due probes and reads the stack's replicas. */
    public Builder healthPacing(Duration tick, Duration refresh) {
      health.settings = new HealthMonitor.Settings(tick, refresh, health.settings.historyKeep());
      return this;
    }

    /**
     * @throws OrchestratorException when no platform can be used; the message lists every candidate
     *     and why it was rejected
     */
    public Orchestrator build() {
      boolean owns = executor == null;
      ExecutorService threads = owns ? DefaultExecutors.defaultExecutor() : executor;
      try {
        Routing routing =
            router != null
                ? Routing.of(router)
                : routerName != null
                    ? Routing.discover(routerName, properties, classLoader)
                    : Routing.none();
        Platform chosen = platform;
        if (chosen == null) {
          PlatformContext context = new PlatformContext(clock, threads, properties, health.metrics);
          chosen = PlatformDiscovery.fromClassPath(classLoader).select(platformName, context);
        }
        return new Orchestrator(this, chosen, routing, threads, owns);
      } catch (RuntimeException e) {
        if (owns) {
          threads.shutdownNow();
        }
        throw e;
      }
    }
  }
}
