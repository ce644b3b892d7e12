package io.stackwright.api.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of a stack's audit history: a change Stackwright made (a job that finished) or a drift it
 * saw or repaired. Audit rows are append-only and are not owned by a stack: removing the stack
 * leaves its history.
 *
 * @param id the store's id, growing in append order
 * @param at when it was appended, by the store's clock
 * @param stack the stack
 * @param kind what the row records
 * @param jobId the job that made the change, 0 when none
 * @param jobKind the kind of that job ({@code deploy}, {@code reconcile}), or {@code null}
 * @param revisionBefore the desired-state revision before, 0 when none
 * @param revisionAfter the desired-state revision after, 0 when none
 * @param summary what changed, for people (a plan's summary, a drift's field paths); never a secret
 *     value
 * @param outcome how it ended ({@code succeeded}, {@code failed}, {@code warned}, ...)
 * @param duration how long it took, {@link Duration#ZERO} when not measured
 * @param host the host process that wrote it
 * @param principal who the host application said acted, or {@code null}
 */
public record AuditEntry(
    long id,
    Instant at,
    String stack,
    Kind kind,
    long jobId,
    String jobKind,
    long revisionBefore,
    long revisionAfter,
    String summary,
    String outcome,
    Duration duration,
    String host,
    String principal) {

  /** What an audit row records. Stored by {@link #id()}. */
  public enum Kind {
    /** A job of Stackwright's changed (or tried to change) the stack. */
    JOB,
    /** A change made outside Stackwright was seen. */
    DRIFT_DETECTED,
    /** A drift was repaired by a reconcile job. */
    DRIFT_REPAIRED,
    /** Repairs of a drift stopped (it kept coming back, or the repair failed). */
    DRIFT_REPAIR_STOPPED;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Kind fromId(String id) {
      return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(outcome, "outcome");
    duration = duration == null ? Duration.ZERO : duration;
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration cannot be negative, was " + duration);
    }
  }

  /** An entry to append; the store gives it its id and time. */
  public static Builder builder(String stack, Kind kind) {
    return new Builder(stack, kind);
  }

  /** Builds the fields of an entry to append. */
  public static final class Builder {
    private final String stack;
    private final Kind kind;
    private long jobId;
    private String jobKind;
    private long revisionBefore;
    private long revisionAfter;
    private String summary = "";
    private String outcome = "";
    private Duration duration = Duration.ZERO;
    private String host;
    private String principal;

    private Builder(String stack, Kind kind) {
      this.stack = Objects.requireNonNull(stack, "stack");
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Builder job(long id, JobKind kind) {
      this.jobId = id;
      this.jobKind = kind == null ? null : kind.id();
      return this;
    }

    public Builder revisions(long before, long after) {
      this.revisionBefore = before;
      this.revisionAfter = after;
      return this;
    }

    public Builder summary(String value) {
      this.summary = Objects.requireNonNull(value, "summary");
      return this;
    }

    public Builder outcome(String value) {
      this.outcome = Objects.requireNonNull(value, "outcome");
      return this;
    }

    public Builder duration(Duration value) {
      this.duration = Objects.requireNonNull(value, "duration");
      return this;
    }

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder principal(String value) {
      this.principal = value;
      return this;
    }

    /** The entry as stored with {@code id} at {@code at} (for stores). */
    public AuditEntry build(long id, Instant at) {
      return new AuditEntry(
          id,
          at,
          stack,
          kind,
          jobId,
          jobKind,
          revisionBefore,
          revisionAfter,
          summary,
          outcome,
          duration,
          host,
          principal);
    }
  }
}
