package io.stackwright.core.jobs.internal;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.store.JobKind;
import java.util.Objects;

/**
 * A job to submit.
 *
 * @param idempotencyKey a resubmission with the same key returns the first job, or {@code null}
 * @param payload what another process needs to run it (a reference, a count), stored with the job
 * @param desiredSpec the desired-state document the store accepts as the stack's next revision in
 *     the same transaction that queues the job, or {@code null}
 * @param listener receives the job's events besides the orchestrator's listeners
 */
public record JobRequest(
    String stack,
    JobKind kind,
    String idempotencyKey,
    String payload,
    String desiredSpec,
    JobWork work,
    EventListener listener,
    String tenant,
    io.stackwright.api.store.QuotaClaim quota) {
  public JobRequest {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(work, "work");
    payload = payload == null ? "" : payload;
    listener = listener == null ? EventListener.none() : listener;
  }

  public static JobRequest of(String stack, JobKind kind, JobWork work) {
    return new JobRequest(stack, kind, null, "", null, work, null, null, null);
  }

  public JobRequest withIdempotencyKey(String key) {
    return new JobRequest(stack, kind, key, payload, desiredSpec, work, listener, tenant, quota);
  }

  public JobRequest withPayload(String value) {
    return new JobRequest(
        stack, kind, idempotencyKey, value, desiredSpec, work, listener, tenant, quota);
  }

  public JobRequest withDesiredSpec(String document) {
    return new JobRequest(
        stack, kind, idempotencyKey, payload, document, work, listener, tenant, quota);
  }

  /** The tenant the job is of, reserving {@code claim} of its quota ({@code null}: none). */
  public JobRequest withTenant(String name, io.stackwright.api.store.QuotaClaim claim) {
    return new JobRequest(
        stack, kind, idempotencyKey, payload, desiredSpec, work, listener, name, claim);
  }

  public JobRequest withListener(EventListener value) {
    return new JobRequest(
        stack, kind, idempotencyKey, payload, desiredSpec, work, value, tenant, quota);
  }
}
