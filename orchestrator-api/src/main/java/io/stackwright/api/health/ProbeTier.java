package io.stackwright.api.health;

/** The three probe tiers of Kubernetes, with the same meaning. */
public enum ProbeTier {
  /**
   * Holds the other tiers until it passes once; failing it {@code failureThreshold} times is a
   * liveness failure.
   */
  STARTUP,
  /** Failing it means the replica is broken: it is replaced. */
  LIVENESS,
  /** Failing it means the replica gets no traffic for now; it is not replaced. */
  READINESS
}
