package io.stackwright.api.store;

import io.stackwright.api.tenancy.ResourceAmounts;
import java.util.Objects;

/**
 * What a job asks of its tenant's quota. The store checks it and reserves {@code peak} in the
 * transaction that admits the job (refusing the job with a {@link
 * io.stackwright.api.tenancy.QuotaExceededException} when the tenant's use would pass its quota),
 * and releases the reservation when the job ends: a job that succeeded leaves {@code steady} as the
 * stack's use, any other end leaves the stack's use as it was.
 *
 * @param tenant the tenant that owns the stack
 * @param steady what the stack uses once the job succeeded
 * @param peak the most the stack uses while the job runs (the rollout's surge included); at least
 *     {@code steady}
 */
public record QuotaClaim(String tenant, ResourceAmounts steady, ResourceAmounts peak) {
  public QuotaClaim {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(steady, "steady");
    peak = Objects.requireNonNull(peak, "peak").max(steady);
  }
}
