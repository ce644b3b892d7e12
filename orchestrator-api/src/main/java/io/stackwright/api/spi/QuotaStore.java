package io.stackwright.api.spi;

import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.api.tenancy.TenantUsage;
import java.util.List;
import java.util.Optional;

/**
 * Tenants' quotas, the stacks they own and what those use. Reservations are made only by {@link
 * JobStore#submit} (a job with a {@link io.stackwright.api.store.QuotaClaim}) in the transaction
 * that admits the job, and released by the job's end ({@code finish}, a cancel of the queued job):
 * so concurrent submissions, from any number of processes sharing the store, never together pass a
 * quota.
 */
public interface QuotaStore {

  /** Sets (replaces) the quota of {@code tenant}; {@link TenantQuota#UNLIMITED} lifts it. */
  void setQuota(String tenant, TenantQuota quota);

  /** The quota of {@code tenant}; unlimited when none was set. */
  TenantQuota quota(String tenant);

  /** What {@code tenant} uses and holds now. */
  TenantUsage usage(String tenant);

  /** The tenant that owns {@code stack}, if one does. */
  Optional<String> owner(String stack);

  /** The tenants with a quota or a stack, sorted. */
  List<String> tenants();
}
