package io.stackwright.api.tenancy;

import io.stackwright.api.StackSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link io.stackwright.api.spi.AdmissionCheck} is asked about: a stack about to be
 * admitted (its limits already filled from the tenant's defaults) and the tenant deploying it.
 *
 * @param stack the stack
 * @param tenant the tenant, or {@code null} for a deploy without one
 */
public record AdmissionRequest(StackSpec stack, Tenant tenant) {
  public AdmissionRequest {
    Objects.requireNonNull(stack, "stack");
  }

  public Optional<Tenant> tenantIfAny() {
    return Optional.ofNullable(tenant);
  }
}
