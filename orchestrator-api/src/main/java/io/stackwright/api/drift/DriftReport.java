package io.stackwright.api.drift;

import io.stackwright.api.plan.ResourceKind;
import java.time.Instant;
import java.util.Objects;

/**
 * One difference between a stack's desired state and what runs, made outside Stackwright. Values
 * that may hold secrets (environment, secret contents) are never shown: they read {@code
 * (redacted)}.
 *
 * @param stack the stack
 * @param kind the kind of resource
 * @param resource the resource's key in the stack (service, network, secret key)
 * @param field the field path as the plan prints it; {@link #MISSING} when the resource is gone,
 *     {@link #EXTRA} when it carries the stack's labels but is not declared
 * @param desired the desired value as text, or {@code null}
 * @param live the value that runs, as text, or {@code null}
 * @param firstSeen when this difference was first seen (it stays while the difference does)
 * @param changedAt when the engine says the resource last changed: what the plan read from the live
 *     resource (on Swarm a service's, secret's or config's {@code UpdatedAt}; on one engine the
 *     newest {@code Created} of the service's containers), else, where what runs tells nothing (a
 *     resource gone, a container removed or stopped), when the engine event that led to the
 *     comparison first showing the difference arrived; {@code null} when neither is known
 * @param changedBy who the engine says changed it (an event's {@code actor} attribute, on a
 *     platform whose events name one), or {@code null}. Always {@code null} with the Docker
 *     adapters: Docker 20.10's events name no user or client (a container event's actor attributes
 *     are its labels, image, name and exit code or signal; a service event's only its name)
 */
public record DriftReport(
    String stack,
    ResourceKind kind,
    String resource,
    String field,
    String desired,
    String live,
    Instant firstSeen,
    Instant changedAt,
    String changedBy) {

  /** The field of a declared resource that does not exist. */
  public static final String MISSING = "(missing)";

  /** The field of a resource with the stack's labels that the desired state does not declare. */
  public static final String EXTRA = "(extra)";

  public DriftReport {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(firstSeen, "firstSeen");
  }

  /** What identifies the difference, whatever its time: kind, resource and field. */
  public String key() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + resource + " " + field;
  }

  @Override
  public String toString() {
    return key() + ": " + live + " (desired " + desired + ")";
  }
}
