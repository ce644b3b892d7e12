package io.stackwright.core.admission.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.VolumeSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.store.QuotaClaim;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.ResourceAmounts;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * What a stack uses (its steady state) and the most it uses while a deploy rolls it out (its peak),
 * in the units of a quota. A replica counts its service's CPU and memory limits and reservations; a
 * global service counts one replica per node it may run on, as the platform says ({@code
 * Platform.globalReplicas}: on Swarm the ready, active nodes its placement constraints allow; on
 * one engine one).
 */
public final class QuotaArithmetic {
  /** One replica for a global service: one node. */
  public static final ToIntFunction<ServiceSpec> ONE_NODE = service -> 1;

  private QuotaArithmetic() {}

  /** What {@code stack} uses once it runs as declared, on one node. */
  public static ResourceAmounts steady(StackSpec stack) {
    return steady(stack, ONE_NODE);
  }

  /**
   * What {@code stack} uses once it runs as declared.
   *
   * @param globalReplicas how many replicas a global service runs (one per node it may run on)
   */
  public static ResourceAmounts steady(StackSpec stack, ToIntFunction<ServiceSpec> globalReplicas) {
    EnumMap<QuotaResource, Long> total = new EnumMap<>(QuotaResource.class);
    total.put(QuotaResource.STACKS, 1L);
    total.put(QuotaResource.SERVICES, (long) stack.services().size());
    total.put(
        QuotaResource.VOLUMES,
        stack.volumes().values().stream().filter(v -> !v.external()).count());
    ResourceAmounts sum = new ResourceAmounts(total);
    for (ServiceSpec service : stack.services().values()) {
      sum = sum.plus(replicas(service, replicaCount(service, globalReplicas)));
    }
    return sum;
  }

  /** {@code count} replicas of {@code service}: CPU, memory and the replica count. */
  static ResourceAmounts replicas(ServiceSpec service, long count) {
    Map<QuotaResource, Long> amounts = new EnumMap<>(QuotaResource.class);
    amounts.put(QuotaResource.REPLICAS, count);
    amounts.put(
        QuotaResource.CPU_LIMITS,
        Math.multiplyExact(count, service.resources().limits().nanoCpus()));
    amounts.put(
        QuotaResource.CPU_RESERVATIONS,
        Math.multiplyExact(count, service.resources().reservations().nanoCpus()));
    amounts.put(
        QuotaResource.MEMORY_LIMITS,
        Math.multiplyExact(count, service.resources().limits().memoryBytes()));
    amounts.put(
        QuotaResource.MEMORY_RESERVATIONS,
        Math.multiplyExact(count, service.resources().reservations().memoryBytes()));
    return new ResourceAmounts(amounts);
  }

  static long replicaCount(ServiceSpec service, ToIntFunction<ServiceSpec> globalReplicas) {
    return switch (service.mode()) {
      case REPLICATED, REPLICATED_JOB -> service.replicas();
      case GLOBAL, GLOBAL_JOB -> Math.max(0, globalReplicas.applyAsInt(service));
    };
  }

  /**
   * How many replicas of {@code service} a rollout runs beyond its steady count while it replaces
   * the old version: start-first rolling runs {@code parallelism} new ones before stopping old ones
   * (all of them for parallelism 0), stop-first none; blue-green runs a whole new copy beside the
   * old; canary runs its largest step's replicas beside the old.
   */
  public static long surge(ServiceSpec service) {
    return surge(service, ONE_NODE);
  }

  /** {@link #surge(ServiceSpec)}, a global service running {@code globalReplicas} replicas. */
  public static long surge(ServiceSpec service, ToIntFunction<ServiceSpec> globalReplicas) {
    long replicas = replicaCount(service, globalReplicas);
    RolloutPolicy rollout = service.rollout();
    if (!rollout.isNone()) {
      switch (rollout.strategy()) {
        case BLUE_GREEN:
          return replicas;
        case CANARY:
          // weight steps run a whole copy (the router splits traffic); replica steps their count
          long most = rollout.canary() == null ? replicas : 1;
          if (rollout.canary() != null) {
            for (CanaryStep step : rollout.canary().steps()) {
              most = Math.max(most, step.isWeightStep() ? replicas : step.replicas());
            }
          }
          return most;
        default:
          break;
      }
    }
    UpdatePolicy update =
        service.updatePolicy() == null ? UpdatePolicy.defaults() : service.updatePolicy();
    if (update.order() != UpdatePolicy.Order.START_FIRST) {
      return 0;
    }
    return update.parallelism() == 0 ? replicas : Math.min(update.parallelism(), replicas);
  }

  /**
   * The claim of deploying {@code next} as {@code plan}, over {@code current} (the stack's accepted
   * spec, when this process holds it): each updated service is charged the larger of its old and
   * new replicas (and their per-replica amounts) plus its surge; created services their new use;
   * the store charges the stack the larger of this peak and its current use.
   */
  public static QuotaClaim claim(
      String tenant, StackSpec next, Plan plan, Optional<StackSpec> current) {
    return claim(tenant, next, plan, current, ONE_NODE);
  }

  /**
   * {@link #claim(String, StackSpec, Plan, Optional)}, global services on {@code globalReplicas}.
   */
  public static QuotaClaim claim(
      String tenant,
      StackSpec next,
      Plan plan,
      Optional<StackSpec> current,
      ToIntFunction<ServiceSpec> globalReplicas) {
    ResourceAmounts steady = steady(next, globalReplicas);
    Set<String> updated =
        plan.changes().stream()
            .filter(c -> c instanceof Change.Update u && u.kind() == ResourceKind.SERVICE)
            .map(c -> ((Change.Update) c).key())
            .collect(Collectors.toSet());
    ResourceAmounts peak = steady;
    for (ServiceSpec service : next.services().values()) {
      if (!updated.contains(service.name())) {
        continue;
      }
      ServiceSpec old = current.map(s -> s.services().get(service.name())).orElse(null);
      ResourceAmounts newUse = replicas(service, replicaCount(service, globalReplicas));
      ResourceAmounts during = newUse;
      if (old != null) {
        // the larger count of the larger replica
        long count =
            Math.max(replicaCount(old, globalReplicas), replicaCount(service, globalReplicas));
        during = replicas(old, count).max(replicas(service, count));
      }
      long surgeCount = surge(service, globalReplicas);
      ResourceAmounts surge = replicas(service, surgeCount);
      if (old != null) {
        surge = surge.max(replicas(old, surgeCount));
      }
      // peak = steady - this service's new use + its use during the rollout + the surge
      peak = peak.plus(during.plus(surge)).minusFloor(newUse);
    }
    return new QuotaClaim(tenant, steady, peak);
  }

  /** Volumes of the stack the stack creates (external ones are someone else's). */
  static long ownVolumes(Map<String, VolumeSpec> volumes) {
    return volumes.values().stream().filter(v -> !v.external()).count();
  }
}
