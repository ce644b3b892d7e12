package io.stackwright.api.tenancy;

import java.util.List;
import java.util.Objects;

/**
 * What a tenant uses now, as its store knows it.
 *
 * @param tenant the tenant
 * @param quota its quota
 * @param used what its stacks' accepted desired states use
 * @param reserved what its live jobs hold on top (the peak of each rollout in flight, beyond the
 *     stack's steady use)
 * @param stacks the stacks it owns
 */
public record TenantUsage(
    String tenant,
    TenantQuota quota,
    ResourceAmounts used,
    ResourceAmounts reserved,
    List<String> stacks) {
  public TenantUsage {
    Objects.requireNonNull(tenant, "tenant");
    quota = Objects.requireNonNullElse(quota, TenantQuota.UNLIMITED);
    used = Objects.requireNonNullElse(used, ResourceAmounts.ZERO);
    reserved = Objects.requireNonNullElse(reserved, ResourceAmounts.ZERO);
    stacks = List.copyOf(stacks);
  }

  /** Used and reserved together: what counts against the quota. */
  public ResourceAmounts total() {
    return used.plus(reserved);
  }
}
