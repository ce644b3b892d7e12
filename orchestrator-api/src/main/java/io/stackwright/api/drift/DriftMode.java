package io.stackwright.api.drift;

import java.util.Locale;

/** What Stackwright does about a change made behind its back. */
public enum DriftMode {
  /** Nothing: no comparison runs. */
  OFF,
  /** Reports it (event, metric, audit entry) and writes nothing. */
  WARN,
  /** Reports it and restores the desired state by a reconcile job. */
  REPAIR;

  /** The lower-case name {@code x-stackwright.drift.mode} takes. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
