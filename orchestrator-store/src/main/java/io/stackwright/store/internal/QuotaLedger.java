package io.stackwright.store.internal;

import io.stackwright.api.ConflictException;
import io.stackwright.api.store.QuotaClaim;
import io.stackwright.api.tenancy.QuotaExceededException;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.ResourceAmounts;
import io.stackwright.api.tenancy.TenantQuota;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The quota arithmetic both stores share, run inside the admitting transaction with the tenant's
 * rows locked: a stack is charged the larger of its steady use and the peak of each live job's
 * reservation (jobs of one stack run one at a time, so their peaks do not add up), and the tenant's
 * charge is the sum over its stacks.
 */
public final class QuotaLedger {
  private QuotaLedger() {}

  /** One live reservation: the job, its stack, its peak. */
  public record Reservation(long jobId, String stack, ResourceAmounts peak) {}

  /** What one stack counts against the quota. */
  static ResourceAmounts charge(ResourceAmounts steady, List<ResourceAmounts> peaks) {
    ResourceAmounts charge = steady == null ? ResourceAmounts.ZERO : steady;
    for (ResourceAmounts peak : peaks) {
      charge = charge.max(peak);
    }
    return charge;
  }

  /** The tenant's whole charge, optionally leaving one stack out. */
  static ResourceAmounts total(
      Map<String, ResourceAmounts> steadyByStack, List<Reservation> reservations, String leaveOut) {
    Set<String> stacks = new TreeSet<>(steadyByStack.keySet());
    reservations.forEach(r -> stacks.add(r.stack()));
    ResourceAmounts total = ResourceAmounts.ZERO;
    for (String stack : stacks) {
      if (stack.equals(leaveOut)) {
        continue;
      }
      total = total.plus(stackCharge(stack, steadyByStack, reservations));
    }
    return total;
  }

  static ResourceAmounts stackCharge(
      String stack, Map<String, ResourceAmounts> steadyByStack, List<Reservation> reservations) {
    return charge(
        steadyByStack.get(stack),
        reservations.stream().filter(r -> r.stack().equals(stack)).map(Reservation::peak).toList());
  }

  /** Reserved beyond steady use, summed over the stacks: what {@code usage()} shows as reserved. */
  static ResourceAmounts reservedBeyondSteady(
      Map<String, ResourceAmounts> steadyByStack, List<Reservation> reservations) {
    ResourceAmounts steady = ResourceAmounts.ZERO;
    for (ResourceAmounts s : steadyByStack.values()) {
      steady = steady.plus(s);
    }
    ResourceAmounts total = total(steadyByStack, reservations, null);
    Map<QuotaResource, Long> beyond = new HashMap<>();
    for (QuotaResource r : QuotaResource.values()) {
      beyond.put(r, Math.max(0, total.get(r) - steady.get(r)));
    }
    return new ResourceAmounts(beyond);
  }

  /**
   * Refuses {@code claim} for {@code stack} when it would take the tenant past {@code quota}.
   *
   * @throws QuotaExceededException naming the first resource over, with its quota, the use without
   *     the claim and what the claim adds
   */
  public static void check(
      String stack,
      QuotaClaim claim,
      TenantQuota quota,
      Map<String, ResourceAmounts> steadyByStack,
      List<Reservation> reservations) {
    ResourceAmounts others = total(steadyByStack, reservations, stack);
    ResourceAmounts before = stackCharge(stack, steadyByStack, reservations);
    ResourceAmounts after = before.max(claim.peak());
    for (QuotaResource resource : QuotaResource.values()) {
      Optional<Long> limit = quota.limit(resource);
      if (limit.isEmpty()) {
        continue;
      }
      long used = others.get(resource) + before.get(resource);
      long requested = after.get(resource) - before.get(resource);
      if (requested > 0 && used + requested > limit.get()) {
        throw new QuotaExceededException(
            claim.tenant(), stack, resource, limit.get(), used, requested);
      }
    }
  }

  /** Refuses a stack another tenant owns. */
  static void checkOwner(String stack, String tenant, Optional<String> owner) {
    if (owner.isPresent() && !owner.get().equals(tenant)) {
      throw new ConflictException(
          "stack "
              + stack
              + " belongs to another tenant; tenant "
              + tenant
              + " cannot deploy it (choose another stack name)",
          null);
    }
  }
}
