package io.stackwright.api;

/** Resource limits (a ceiling) and reservations (what the scheduler sets aside). */
public record Resources(ResourceLimits limits, ResourceLimits reservations) {
  public static final Resources NONE = new Resources(ResourceLimits.NONE, ResourceLimits.NONE);

  public Resources {
    limits = limits == null ? ResourceLimits.NONE : limits;
    reservations = reservations == null ? ResourceLimits.NONE : reservations;
  }

  public boolean isEmpty() {
    return limits.isEmpty() && reservations.isEmpty();
  }
}
