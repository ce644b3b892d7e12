package io.stackwright.api.store;

import java.util.Locale;

/** What a job does to its stack. Stored by {@link #id()}, so renaming a constant breaks stores. */
public enum JobKind {
  /** Apply a desired state (plainly or with a rollout strategy). */
  DEPLOY,
  /** Change the replica count of a service. */
  SCALE,
  /** Go back to an earlier revision. */
  ROLLBACK,
  /** Let a paused rollout (canary, blue-green) finish. */
  PROMOTE,
  /** Stop a rollout and keep the previous version serving. */
  ABORT,
  /** Remove everything the stack owns. */
  REMOVE,
  /** Replace one unhealthy replica. */
  REPLACE,
  /** Compare the cluster with the desired state and repair the drift. */
  RECONCILE,
  /** Rotate a secret or config. */
  ROTATE;

  /** The lower-case name a store keeps. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind stored as {@code id}. */
  public static JobKind fromId(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
