package io.stackwright.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One accepted desired state of a stack: the spec as core serialised it, and the revision the store
 * gave it. Revisions of a stack start at 1 and only grow; a rollback accepts an old spec again as a
 * new revision.
 *
 * @param stack the stack's name
 * @param revision the revision number, 1 for the first accepted spec
 * @param spec the spec document (core serialises; the store keeps the text as given)
 * @param tenant the tenant the stack belongs to, or {@code null}
 * @param principal who submitted it, or {@code null}
 * @param acceptedAt when the store accepted it
 */
public record DesiredState(
    String stack, long revision, String spec, String tenant, String principal, Instant acceptedAt) {
  public DesiredState {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(acceptedAt, "acceptedAt");
    if (revision < 1) {
      throw new IllegalArgumentException(
          "revision " + revision + " of " + stack + ": must be >= 1");
    }
  }
}
