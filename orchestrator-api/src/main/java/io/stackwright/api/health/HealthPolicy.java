package io.stackwright.api.health;

/**
 * Stackwright's probes, recovery and alerting of a service's replicas. {@link #NONE} when the
 * service has none.
 */
public record HealthPolicy() {
  public static final HealthPolicy NONE = new HealthPolicy();
}
