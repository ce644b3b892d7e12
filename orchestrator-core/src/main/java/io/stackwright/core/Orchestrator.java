package io.stackwright.core;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
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
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.health.internal.HealthConfig;
import io.stackwright.core.health.internal.HealthMonitor;
import io.stackwright.core.health.internal.ProbeVerification;
import io.stackwright.core.internal.Backoff;
import io.stackwright.core.internal.DefaultExecutors;
import io.stackwright.core.internal.DeploymentHandle;
import io.stackwright.core.internal.DeploymentRunner;
import io.stackwright.core.internal.EventLog;
import io.stackwright.core.internal.PlatformDiscovery;
import io.stackwright.core.internal.RoutedPlatform;
import io.stackwright.core.internal.Routing;
import io.stackwright.core.internal.StackKeeper;
import io.stackwright.core.rollout.BlueGreenStrategy;
import io.stackwright.core.rollout.CanaryStrategy;
import io.stackwright.core.rollout.RollingStrategy;
import io.stackwright.core.rollout.internal.RolloutEngine;
import io.stackwright.core.scaling.Autoscaler;
import io.stackwright.core.scaling.Autoscaling;
import io.stackwright.core.state.FileStateStore;
import io.stackwright.core.state.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

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
  private final Platform platform;
  private final Clock clock;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final List<EventListener> listeners;
  private final Routing routing;
  private final HealthConfig health;
  private final List<MetricSource> metricSources;
  private final MetricsRecorder metrics;
  private final RolloutEngine rollouts;
  private final ProbeVerification probeVerification;

  private Orchestrator(
      Builder builder, Platform platform, Routing routing, ExecutorService executor, boolean owns) {
    this.platform = platform;
    this.routing = routing;
    this.clock = builder.clock;
    this.executor = executor;
    this.ownsExecutor = owns;
    this.listeners = List.copyOf(builder.listeners);
    // The health monitor tells the same router (configured or discovered) about readiness.
    this.health = builder.health.build(routing.router(), builder.classLoader);
    // Rollouts verify new versions by the services' own probes too (x-stackwright.health).
    this.probeVerification = new ProbeVerification(platform, executor, health);
    this.rollouts =
        builder.rolloutEngine(
            new RoutedPlatform(platform, routing), routing.router(), probeVerification);
    this.metricSources = List.copyOf(builder.metricSources);
    this.metrics = builder.health.metrics;
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
    Objects.requireNonNull(options, "options");
    Instant started = clock.instant();
    EventLog events = new EventLog(listeners);
    events.onEvent(
        OrchestratorEvent.of(
            started,
            EventType.DEPLOYMENT_STARTED,
            stack.name(),
            null,
            "deploying " + stack.services().size() + " services to " + platform.name()));
    Plan plan = plan(stack);
    StackSpec prepared = routing.prepare(stack);
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            EventType.PLAN_COMPUTED,
            stack.name(),
            null,
            plan.isEmpty() ? "no changes" : plan.changes().size() + " changes",
            Map.of("changes", String.valueOf(plan.changes().size()))));
    DeploymentRunner runner = new DeploymentRunner(platform, clock);
    Optional<DeploymentStrategy> strategy =
        plan.isEmpty() ? Optional.empty() : rollouts.strategyFor(stack);
    if (strategy.isPresent()) {
      return start(
          stack.name(),
          plan,
          events,
          () ->
              routing.published(
                  prepared,
                  rollouts.run(strategy.get(), stack, plan, options, events, started),
                  events));
    }
    return start(
        stack.name(),
        plan,
        events,
        () -> {
          DeploymentResult result = runner.run(prepared, plan, options, events, started);
          if (options.waitForConvergence()) {
            rollouts.recordPlain(stack, result);
          }
          return routing.published(prepared, result, events);
        });
  }

  /**
   * Returns {@code stack} to its last fully healthy revision known to this orchestrator, reporting
   * {@code ROLLBACK_STARTED} and {@code ROLLBACK_COMPLETED}; the result succeeds once that revision
   * runs healthy again.
   *
   * @throws io.stackwright.api.NotFoundException when no healthy revision is known
   */
  public Deployment rollback(String stack, DeployOptions options) {
    StackSpec target = rollouts.rollbackTarget(stack);
    Instant started = clock.instant();
    EventLog events = new EventLog(listeners);
    Plan plan = plan(target);
    return start(
        stack, plan, events, () -> rollouts.rollBack(target, plan, options, events, started));
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
   * remaining steps or a blue-green switch that waits for an operator).
   *
   * @throws io.stackwright.api.NotFoundException when no rollout of the stack is in progress
   */
  public void promote(String stack) {
    rollouts.decide(stack, RolloutContext.Decision.PROMOTE);
  }

  /**
   * Stops the rollout of {@code stack} in progress and returns the stack to its last healthy
   * revision; the rollout's result says {@code ROLLED_BACK}.
   *
   * @throws io.stackwright.api.NotFoundException when no rollout of the stack is in progress
   */
  public void abort(String stack) {
    rollouts.decide(stack, RolloutContext.Decision.ABORT);
  }

  private Deployment start(
      String stack, Plan plan, EventLog events, Supplier<DeploymentResult> work) {
    DeploymentHandle handle = new DeploymentHandle(stack, plan, events);
    try {
      CompletableFuture.supplyAsync(work, executor)
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  handle.fail(failure);
                } else {
                  handle.complete(result);
                }
              });
    } catch (RejectedExecutionException e) {
      throw new OrchestratorException("the orchestrator is closed; cannot deploy " + stack, e);
    }
    return handle;
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

  /** Sets the replicas of one service right away. */
  public void scale(String stack, String service, int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas cannot be negative, was " + replicas);
    }
    platform.scale(stack, service, replicas);
    publish(
        new OrchestratorEvent(
            clock.instant(),
            EventType.SERVICE_SCALED,
            stack,
            service,
            "scaled to " + replicas + " replicas",
            Map.of("replicas", String.valueOf(replicas))));
  }

  /**
   * Keeps {@code stack} as declared until the returned subscription is closed. On a platform that
   * heals itself ({@link Capability#SELF_HEALING}, such as Swarm) there is nothing to do; on one
   * that does not (a single engine), a replica that exits or disappears is replaced, with
   * exponential backoff (1 s doubling to 1 min) between failed attempts. Each repair is reported as
   * a {@link EventType#REPLICA_REPLACED} event.
   */
  public Subscription keep(StackSpec stack) {
    validate(stack);
    if (platform.capabilities().contains(Capability.SELF_HEALING)) {
      return () -> {};
    }
    return new StackKeeper(
            platform,
            routing.prepare(stack),
            clock,
            new EventLog(listeners),
            new Backoff(clock, Duration.ofSeconds(1), Duration.ofMinutes(1)))
        .start(executor);
  }

  /**
   * Probes the replicas of every service of {@code stack} that has a health policy, replaces those
   * failing liveness, reports readiness, detects crash loops and alerts, until the returned watch
   * is closed. See {@link io.stackwright.core.health}.
   */
  public HealthWatch monitor(StackSpec stack) {
    validate(stack);
    return health.start(platform, stack, clock, executor, new EventLog(listeners));
  }

  /**
   * Scales the services of {@code stack} that declare a scaling policy until the returned handle is
   * closed; see {@link Autoscaler} for the algorithm, the lease and how manual scaling is treated.
   *
   * @throws InvalidSpecException when a policy cannot work on this platform
   */
  public Autoscaling autoscale(StackSpec stack) {
    validate(stack);
    return Autoscaler.builder(platform)
        .clock(clock)
        .executor(executor)
        .listener(new EventLog(listeners))
        .metricsRecorder(metrics)
        .metricSources(metricSources)
        .build()
        .start(stack);
  }

  /** Removes everything of the stack; volumes only when {@code options} say so. */
  public void remove(String stack, RemoveOptions options) {
    EventLog events = new EventLog(listeners);
    platform.remove(stack, options, events);
    routing.withdraw(stack, events);
    events.onEvent(
        OrchestratorEvent.of(clock.instant(), EventType.STACK_REMOVED, stack, null, "removed"));
  }

  @Override
  public void close() {
    try (routing;
        probeVerification) {
      platform.close();
    } catch (Exception e) {
      throw new OrchestratorException("closing platform " + platform.name() + " failed", e);
    } finally {
      if (ownsExecutor) {
        executor.shutdownNow();
      }
    }
  }

  private void validate(StackSpec stack) {
    List<SpecProblem> problems = new ArrayList<>(platform.validate(stack));
    problems.addAll(routing.validate(stack));
    problems.addAll(rollouts.validate(stack));
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
  }

  private void publish(OrchestratorEvent event) {
    new EventLog(listeners).onEvent(event);
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

    private Builder() {}

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

    private RolloutEngine rolloutEngine(Platform chosen, Router router, RolloutCheck probes) {
      // Revision history goes to the configured state store; without one it stays in memory.
      StateStore store = health.store != null ? health.store : new InMemoryStateStore();
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
          PlatformContext context = new PlatformContext(clock, threads, properties);
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
