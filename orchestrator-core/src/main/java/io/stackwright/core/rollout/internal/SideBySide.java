package io.stackwright.core.rollout.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.api.spi.RolloutVerdict;
import io.stackwright.api.spi.Router;
import io.stackwright.api.state.StackState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What blue-green and canary share: the new version of a service runs beside the live one as a
 * second service of the stack, {@code <service>-next}, and the router splits the service's route
 * between the two. Once the new version is promoted, the live service is updated to it (while
 * {@code -next} takes the traffic), takes the traffic back, and {@code -next} is removed, so that
 * in the steady state the stack has its declared services under their declared names.
 */
public final class SideBySide {
  static final String SUFFIX = "-next";
  private static final Duration SLICE = Duration.ofSeconds(1);

  private SideBySide() {}

  /** The name of the service that runs the new version of {@code service}. */
  public static String next(String service) {
    return service + SUFFIX;
  }

  /** The changed services whose policy names {@code strategy}. */
  public static List<String> services(RolloutContext context, RolloutPolicy.Strategy strategy) {
    return context.plan().changedServices().stream()
        .filter(
            name -> {
              ServiceSpec s = context.stack().services().get(name);
              return s != null && s.rollout().strategy() == strategy;
            })
        .toList();
  }

  /**
   * Of {@code services}, those that run already: the plan updates them rather than creating them. A
   * service the plan creates has nothing live to run beside, so it is created plainly.
   */
  public static List<String> live(RolloutContext context, List<String> services) {
    java.util.Set<String> created =
        context.plan().changes().stream()
            .filter(
                c ->
                    c instanceof io.stackwright.api.plan.Change.Create
                        && c.kind() == io.stackwright.api.plan.ResourceKind.SERVICE)
            .map(io.stackwright.api.plan.Change::key)
            .collect(java.util.stream.Collectors.toSet());
    return services.stream().filter(s -> !created.contains(s)).toList();
  }

  /** What a side-by-side strategy cannot do: published ports, non-replicated modes, no router. */
  public static List<SpecProblem> problems(
      StackSpec stack, RolloutPolicy.Strategy strategy, boolean needsRouter, boolean hasRouter) {
    List<SpecProblem> problems = new ArrayList<>();
    for (ServiceSpec service : stack.services().values()) {
      if (service.rollout().strategy() != strategy || service.rollout().isNone()) {
        continue;
      }
      String at = "services." + service.name() + ".x-stackwright.rollout";
      if (!service.ports().isEmpty()) {
        problems.add(
            SpecProblem.at(
                at,
                strategy.id()
                    + " runs two versions side by side, so the service cannot publish ports;"
                    + " route to it through the router instead"));
      }
      if (service.mode() != ServiceSpec.Mode.REPLICATED) {
        problems.add(SpecProblem.at(at, strategy.id() + " needs a replicated service"));
      }
      if (needsRouter && !hasRouter) {
        problems.add(
            SpecProblem.at(
                at,
                strategy.id()
                    + " moves traffic through a router; configure one with"
                    + " Orchestrator.builder().router(...)"));
      }
    }
    return problems;
  }

  /**
   * The stack with each of {@code services} as it runs now ({@code live}) plus its new version as
   * {@code <service>-next} with {@code nextReplicas} replicas (or the declared count when
   * negative).
   */
  public static StackSpec staged(
      StackSpec desired, StackSpec live, List<String> services, int nextReplicas) {
    StackSpec.Builder staged = desired.toBuilder();
    for (String name : services) {
      ServiceSpec wanted = desired.services().get(name);
      ServiceSpec running = live.services().get(name);
      if (running != null) {
        staged.service(running);
      }
      ServiceSpec copy = renamed(wanted, next(name));
      if (nextReplicas >= 0) {
        copy = copy.toBuilder().replicas(nextReplicas).build();
      }
      staged.service(sharingName(copy, wanted));
    }
    return staged.build();
  }

  /** The desired stack plus the {@code -next} copies (used while the live service catches up). */
  public static StackSpec withNext(StackSpec desired, List<String> services) {
    StackSpec.Builder both = desired.toBuilder();
    for (String name : services) {
      ServiceSpec wanted = desired.services().get(name);
      both.service(sharingName(renamed(wanted, next(name)), wanted));
    }
    return both.build();
  }

  /**
   * Sends {@code percent} of each service's traffic to its {@code -next} copy. Without a router
   * (canaries by replica count) the replicas of both share the traffic by their numbers.
   */
  public static void shift(RolloutContext context, List<String> services, int percent) {
    if (context.router().isEmpty()) {
      return;
    }
    // The router learns the stack's routes before the first shift (after a restart of the host it
    // knows none): publishing the declared stack again changes nothing but its own state.
    Router router = context.router().get();
    router.publish(router.prepare(context.stack()), context.events());
    for (String name : services) {
      context
          .router()
          .get()
          .setWeights(
              context.stack().name(),
              name,
              Map.of(name, 100 - percent, next(name), percent),
              context.events());
    }
  }

  /**
   * Watches {@code staged} for {@code duration} in slices, so that an operator's decision is seen
   * within a second. Returns the decision that ended the wait early (ABORT as a failed verdict).
   */
  public static Outcome watch(RolloutContext context, StackSpec staged, Duration duration) {
    return watch(context, staged, duration, null);
  }

  /**
   * As {@link #watch(RolloutContext, StackSpec, Duration)}, with one more check of the whole stack
   * state after each slice ({@code null} for none).
   */
  public static Outcome watch(
      RolloutContext context,
      StackSpec staged,
      Duration duration,
      Function<StackState, Optional<String>> extra) {
    Duration left = duration;
    do {
      Optional<RolloutContext.Decision> decision = context.decision();
      if (decision.isPresent()) {
        return decision.get() == RolloutContext.Decision.PROMOTE
            ? Outcome.PROMOTED
            : Outcome.aborted();
      }
      Duration slice = left.compareTo(SLICE) < 0 ? left : SLICE;
      RolloutVerdict verdict = context.verify(staged, slice);
      if (!verdict.healthy()) {
        return new Outcome(verdict, false);
      }
      if (extra != null) {
        Optional<String> problem = extra.apply(context.platform().status(staged.name()));
        if (problem.isPresent()) {
          return new Outcome(RolloutVerdict.failed(problem.get(), Map.of()), false);
        }
      }
      left = left.minus(slice);
    } while (!left.isZero() && !left.isNegative());
    return Outcome.HEALTHY;
  }

  /** How a watch ended. */
  public record Outcome(RolloutVerdict verdict, boolean promoted) {
    static final Outcome HEALTHY = new Outcome(RolloutVerdict.healthy("stayed healthy"), false);
    static final Outcome PROMOTED =
        new Outcome(RolloutVerdict.healthy("promoted by an operator"), true);

    static Outcome aborted() {
      return new Outcome(RolloutVerdict.failed("aborted by an operator", Map.of()), false);
    }
  }

  /** Reports one step of a side-by-side rollout. */
  public static void step(RolloutContext context, EventType type, String message, String step) {
    step(context, type, message, step, 0, 0, null, null, null);
  }

  /**
   * A rollout step event with its number and a canary's weight or replicas; every step names its
   * {@code strategy}, which the rollout metrics tag their series with.
   */
  public static void step(
      RolloutContext context,
      EventType type,
      String message,
      String step,
      int number,
      int of,
      Integer weight,
      Integer replicas,
      String reason) {
    String strategy =
        context.stack().services().values().stream()
            .filter(s -> !s.rollout().isNone())
            .findFirst()
            .map(s -> s.rollout().strategy().id())
            .orElse(null);
    long revision = context.revision();
    EventDetail detail =
        switch (type) {
          case ROLLOUT_PAUSED -> new EventDetail.RolloutPaused(revision, strategy, step);
          case CANARY_PROMOTED -> new EventDetail.CanaryPromoted(revision, strategy);
          case CANARY_ABORTED -> new EventDetail.CanaryAborted(revision, strategy, reason);
          default ->
              new EventDetail.RolloutStep(
                  null, revision, strategy, step, number, of, weight, replicas);
        };
    context
        .events()
        .onEvent(
            new OrchestratorEvent(
                context.clock().instant(), context.stack().name(), null, message, detail));
  }

  /**
   * A canary stepped by replica count has no router to send it traffic: its replicas share the live
   * service's DNS name instead ({@code web}, and {@code tasks.web} on Swarm), as a network alias on
   * each of the service's networks, so that clients of the service reach old and new replicas by
   * their numbers. With a router (weights, blue-green) the copy keeps its own name only: the router
   * alone decides what share it gets.
   */
  static ServiceSpec sharingName(ServiceSpec copy, ServiceSpec owner) {
    io.stackwright.api.rollout.CanaryPolicy canary = owner.rollout().canary();
    if (owner.rollout().strategy() != RolloutPolicy.Strategy.CANARY
        || canary == null
        || canary.steps().isEmpty()
        || canary.steps().get(0).isWeightStep()) {
      return copy;
    }
    List<io.stackwright.api.ServiceNetwork> networks = new ArrayList<>();
    for (io.stackwright.api.ServiceNetwork network : StackSpec.effectiveNetworks(owner)) {
      List<String> aliases = new ArrayList<>(network.aliases());
      if (!aliases.contains(owner.name())) {
        aliases.add(owner.name());
      }
      networks.add(
          new io.stackwright.api.ServiceNetwork(network.network(), aliases, network.ipv4Address()));
    }
    return copy.toBuilder().networks(networks).build();
  }

  /**
   * A copy of {@code service} under another name. Through the canonical constructor, so that every
   * component, including those other areas add later, is carried over.
   */
  static ServiceSpec renamed(ServiceSpec service, String name) {
    // The copy has no routes of its own: the router reaches it only through the live service's
    // routes, by the weights the rollout sets (two services declaring one route would conflict).
    return service.withName(name).toBuilder().routing(RoutingPolicy.NONE).build();
  }
}
