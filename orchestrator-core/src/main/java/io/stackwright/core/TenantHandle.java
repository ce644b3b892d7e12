package io.stackwright.core;

import io.stackwright.api.tenancy.Tenant;
import io.stackwright.api.tenancy.TenantUsage;

/**
 * One tenant of an {@link Orchestrator} ({@code orchestrator.tenant("acme")}): its stacks are
 * admitted under its policy level, limit defaults, isolation and quota.
 *
 * <pre>{@code
 * Deployment d = orchestrator.tenant("acme").stack("shop").deploy(spec);
 * TenantUsage usage = orchestrator.tenant("acme").usage();
 * }</pre>
 */
public interface TenantHandle {

  /** The tenant as configured on the builder. */
  Tenant tenant();

  /**
   * The stack {@code name} of this tenant. Its deploys are admitted for the tenant and reserve its
   * quota in the store transaction that admits them.
   */
  StackHandle stack(String name);

  /** What the tenant uses and holds now, as the store knows it. */
  TenantUsage usage();
}
