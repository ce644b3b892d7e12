package io.stackwright.api.tenancy;

import io.stackwright.api.ResourceLimits;
import java.util.Objects;

/**
 * Per-replica defaults and bounds of a tenant's services (Kubernetes' LimitRange): a service
 * without limits or reservations gets the defaults, so a stack that sets none can still be admitted
 * under a CPU or memory quota; a service outside {@code min}..{@code max} is refused. A 0 amount
 * means "no default" or "no bound".
 *
 * @param defaultLimits the limits of a service that sets none (CPU and memory apart)
 * @param defaultReservations the reservations of a service that sets none
 * @param min the least a service's limits may be
 * @param max the most a service's limits (and reservations) may be
 */
public record LimitRange(
    ResourceLimits defaultLimits,
    ResourceLimits defaultReservations,
    ResourceLimits min,
    ResourceLimits max) {
  public static final LimitRange NONE =
      new LimitRange(ResourceLimits.NONE, ResourceLimits.NONE, ResourceLimits.NONE, null);

  public LimitRange {
    defaultLimits = Objects.requireNonNullElse(defaultLimits, ResourceLimits.NONE);
    defaultReservations = Objects.requireNonNullElse(defaultReservations, ResourceLimits.NONE);
    min = Objects.requireNonNullElse(min, ResourceLimits.NONE);
    max = Objects.requireNonNullElse(max, ResourceLimits.NONE);
  }
}
