package io.stackwright.api.state;

/** A replica's health as its container healthcheck reports it. */
public enum HealthStatus {
  /** The container has no healthcheck. */
  NONE,
  STARTING,
  HEALTHY,
  UNHEALTHY
}
