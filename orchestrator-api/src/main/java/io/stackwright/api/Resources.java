package io.stackwright.api;

import java.util.List;

/**
 * Resource limits (a ceiling) and reservations (what the scheduler sets aside).
 *
 * @param limits CPU, memory and pids ceiling
 * @param reservations CPU and memory set aside
 * @param genericResources generic resources reserved (Compose {@code
 *     reservations.generic_resources}), in file order
 * @param devices host devices reserved (Compose {@code reservations.devices}), in file order
 */
public record Resources(
    ResourceLimits limits,
    ResourceLimits reservations,
    List<GenericResource> genericResources,
    List<DeviceRequest> devices) {
  public static final Resources NONE = new Resources(ResourceLimits.NONE, ResourceLimits.NONE);

  public Resources {
    limits = limits == null ? ResourceLimits.NONE : limits;
    reservations = reservations == null ? ResourceLimits.NONE : reservations;
    genericResources = Copies.list(genericResources);
    devices = Copies.list(devices);
  }

  /** Limits and reservations only, without generic resources or devices. */
  public Resources(ResourceLimits limits, ResourceLimits reservations) {
    this(limits, reservations, List.of(), List.of());
  }

  public boolean isEmpty() {
    return limits.isEmpty()
        && reservations.isEmpty()
        && genericResources.isEmpty()
        && devices.isEmpty();
  }
}
