package io.stackwright.api.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job to submit. When it carries a {@link #desiredSpec()}, the store accepts that spec as the
 * stack's next revision in the same transaction that queues the job, and the job records the
 * revision: a desired state never changes without the job that applies it.
 *
 * @param stack the stack it writes
 * @param kind what it does
 * @param payload the job's input document, or {@code null}
 * @param idempotencyKey makes a resubmission with the same key (same stack) return the first job,
 *     or {@code null}
 * @param notBefore do not claim before this instant, or {@code null} for "now"
 * @param desiredSpec a spec document to accept as the stack's next revision, or {@code null}
 * @param tenant the tenant, or {@code null}
 * @param principal who submits it, or {@code null}
 * @param submittedBy the job engine submitting it, which alone claims it while queued and while its
 *     heartbeat lease ({@link Job#heartbeatLease}) is live, or {@code null} (anyone claims it)
 * @param quota what the job reserves of its tenant's quota, checked and reserved in the submitting
 *     transaction, or {@code null} for none
 */
public record NewJob(
    String stack,
    JobKind kind,
    String payload,
    String idempotencyKey,
    Instant notBefore,
    String desiredSpec,
    String tenant,
    String principal,
    String submittedBy,
    QuotaClaim quota) {

  /** Stack names as Docker accepts them; a store keys rows by them. */
  private static final Pattern STACK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}");

  public NewJob {
    List<String> problems = new ArrayList<>();
    if (stack == null || !STACK_NAME.matcher(stack).matches()) {
      problems.add("stack: '" + stack + "' is not a stack name ([A-Za-z0-9][A-Za-z0-9_.-]*)");
    }
    if (kind == null) {
      problems.add("kind: missing");
    }
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      problems.add("idempotencyKey: must be 1 to 200 characters, not blank");
    }
    if (submittedBy != null && (submittedBy.isBlank() || submittedBy.length() > 200)) {
      problems.add("submittedBy: must be 1 to 200 characters, not blank");
    }
    if (quota != null && tenant != null && !quota.tenant().equals(tenant)) {
      problems.add("quota: claimed of tenant " + quota.tenant() + ", the job is of " + tenant);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid job: " + String.join("; ", problems));
    }
  }

  public static Builder builder(String stack, JobKind kind) {
    return new Builder(stack, kind);
  }

  /** Builds a {@link NewJob}; only stack and kind are required. */
  public static final class Builder {
    private final String stack;
    private final JobKind kind;
    private String payload;
    private String idempotencyKey;
    private Instant notBefore;
    private String desiredSpec;
    private String tenant;
    private String principal;
    private String submittedBy;
    private QuotaClaim quota;

    private Builder(String stack, JobKind kind) {
      this.stack = stack;
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Builder payload(String payload) {
      this.payload = payload;
      return this;
    }

    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    public Builder notBefore(Instant notBefore) {
      this.notBefore = notBefore;
      return this;
    }

    public Builder desiredSpec(String desiredSpec) {
      this.desiredSpec = desiredSpec;
      return this;
    }

    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    public Builder submittedBy(String submittedBy) {
      this.submittedBy = submittedBy;
      return this;
    }

    /** Reserves {@code quota} of its tenant (who then is the job's tenant too). */
    public Builder quota(QuotaClaim quota) {
      this.quota = quota;
      if (quota != null && tenant == null) {
        tenant = quota.tenant();
      }
      return this;
    }

    public NewJob build() {
      return new NewJob(
          stack,
          kind,
          payload,
          idempotencyKey,
          notBefore,
          desiredSpec,
          tenant,
          principal,
          submittedBy,
          quota);
    }
  }
}
