package io.stackwright.core.rollout.internal;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.DeploymentStrategy;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.RolloutCheck;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.RolloutVerdict;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.StateStore;
import io.stackwright.core.internal.EventLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses and runs the deployment strategy of a stack, and keeps its revisions. A stack whose
 * services all have {@link io.stackwright.api.rollout.RolloutPolicy#NONE} deploys as before; one
 * whose services name a strategy runs that strategy (all services of a stack that name one must
 * name the same).
 */
public final class RolloutEngine {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(RolloutEngine.class);
  private final Platform platform;
  private final Router router;
  private final Map<String, DeploymentStrategy> strategies;
  private final List<RolloutCheck> checks;
  private final Revisions revisions;
  private final Clock clock;
  private final Map<String, RolloutRun> active = new ConcurrentHashMap<>();

  public RolloutEngine(
      Platform platform,
      Router router,
      StateStore store,
      List<DeploymentStrategy> strategies,
      List<RolloutCheck> checks,
      Clock clock) {
    this.platform = platform;
    this.router = router;
    Map<String, DeploymentStrategy> byName = new LinkedHashMap<>();
    strategies.forEach(s -> byName.put(s.name(), s));
    this.strategies = Map.copyOf(byName);
    this.checks = List.copyOf(checks);
    this.revisions = new Revisions(store, clock);
    this.clock = clock;
  }

  /** The strategy the stack's rollout policies name, or empty for a plain deployment. */
  public Optional<DeploymentStrategy> strategyFor(StackSpec stack) {
    return strategyName(stack).map(strategies::get);
  }

  /** Problems with the stack's rollout policies: unknown, mixed, or unsupported strategies. */
  public List<SpecProblem> validate(StackSpec stack) {
    List<SpecProblem> problems = new ArrayList<>();
    TreeSet<String> named = new TreeSet<>();
    for (ServiceSpec service : stack.services().values()) {
      if (!service.rollout().isNone()) {
        named.add(service.rollout().strategy().id());
      }
    }
    if (named.size() > 1) {
      problems.add(
          SpecProblem.at(
              "services", "services of one stack must use one rollout strategy, found " + named));
      return problems;
    }
    Optional<String> name = strategyName(stack);
    if (name.isEmpty()) {
      return problems;
    }
    DeploymentStrategy strategy = strategies.get(name.get());
    if (strategy == null) {
      problems.add(
          SpecProblem.at(
              "x-stackwright.rollout.strategy",
              "no deployment strategy named '"
                  + name.get()
                  + "' is registered (available: "
                  + new TreeSet<>(strategies.keySet())
                  + ")"));
      return problems;
    }
    problems.addAll(strategy.validate(stack, platform, router != null));
    return problems;
  }

  /** Runs {@code strategy} for an already validated and planned stack. */
  public DeploymentResult run(
      DeploymentStrategy strategy,
      StackSpec stack,
      Plan plan,
      DeployOptions options,
      EventLog events,
      Instant started) {
    try (RolloutRun run = newRun(stack, plan, options, events, started).start()) {
      active.put(stack.name(), run);
      try {
        return strategy.execute(run);
      } catch (RuntimeException e) {
        LOG.error("Strategy {} failed on {}", strategy.name(), stack.name(), e);
        return run.finish(
            RolloutVerdict.failed(
                "strategy " + strategy.name() + " failed unexpectedly: " + e, Map.of()));
      }
    } finally {
      active.remove(stack.name());
    }
  }

  /**
   * Passes an operator's decision to the rollout of {@code stack} in progress.
   *
   * @throws NotFoundException when no rollout of the stack is in progress
   */
  public void decide(String stack, RolloutContext.Decision decision) {
    RolloutRun run = active.get(stack);
    if (run == null) {
      throw new NotFoundException(
          "no rollout of stack "
              + stack
              + " is in progress; nothing to "
              + decision.name().toLowerCase(java.util.Locale.ROOT));
    }
    run.decide(decision);
  }

  /** Whether a rollout of {@code stack} runs in this process now. */
  public boolean inProgress(String stack) {
    return active.containsKey(stack);
  }

  /** Forgets the stack's revisions (it was removed). */
  public void forget(String stack) {
    revisions.forget(stack);
  }

  /** Takes {@code stack} as its last healthy revision (deployed by an earlier run). */
  public void rememberHealthy(StackSpec stack) {
    revisions.record(
        revisions.next(stack.name()), stack, Outcome.SUCCEEDED, "remembered from an earlier run");
  }

  /** Remembers a plain deployment that converged, so that later rollouts can return to it. */
  public void recordPlain(StackSpec stack, DeploymentResult result) {
    revisions.record(revisions.next(stack.name()), stack, result.outcome(), result.message());
  }

  /** The last revision of {@code stack} that converged and passed verification. */
  public Optional<StackSpec> lastHealthy(String stack) {
    return revisions.lastHealthy(stack).map(Revisions.Revision::spec);
  }

  /**
   * Returns the stack to its last healthy revision because the operator asked, waiting until it
   * runs healthy again.
   */
  public DeploymentResult rollBack(
      StackSpec target, Plan plan, DeployOptions options, EventLog events, Instant started) {
    try (RolloutRun run = newRun(target, plan, options, events, started).start()) {
      DeploymentResult result = run.rollBack("an operator asked for it");
      return result.outcome() == Outcome.ROLLED_BACK
          ? new DeploymentResult(
              result.stack(),
              Outcome.SUCCEEDED,
              result.plan(),
              result.elapsed(),
              result.message(),
              result.serviceErrors())
          : result;
    }
  }

  private RolloutRun newRun(
      StackSpec stack, Plan plan, DeployOptions options, EventLog events, Instant started) {
    return new RolloutRun(
        platform,
        router,
        checks,
        revisions,
        events,
        clock,
        stack,
        plan,
        started,
        options.timeout());
  }

  private static Optional<String> strategyName(StackSpec stack) {
    return stack.services().values().stream()
        .filter(s -> !s.rollout().isNone())
        .map(s -> s.rollout().strategy().id())
        .findFirst();
  }
}
