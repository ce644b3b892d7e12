package io.stackwright.api.store;

import java.util.Locale;

/**
 * Where a job is in its life. {@link #QUEUED} and {@link #RUNNING} are live; the others are final.
 */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ROLLED_BACK,
  CANCELLED;

  /** Whether the job is over (it will never run again). */
  public boolean finished() {
    return this != QUEUED && this != RUNNING;
  }

  /** The lower-case name a store keeps. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state stored as {@code id}. */
  public static JobState fromId(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
