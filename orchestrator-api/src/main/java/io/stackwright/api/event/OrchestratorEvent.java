package io.stackwright.api.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened. Events never carry secret values.
 *
 * <p>Programs read {@link #detail()}, a record per kind with typed fields ({@code switch (event
 * .detail()) { case EventDetail.ReplicaReplaced r -> ... }}); people read {@link #message()}.
 *
 * @param timestamp when it happened, by the orchestrator's clock
 * @param stack the stack it happened to
 * @param subject the service or resource key, or {@code null} for the stack as a whole
 * @param message a sentence for people
 * @param detail what happened, for programs; its kind is {@link #type()}
 */
public record OrchestratorEvent(
    Instant timestamp, String stack, String subject, String message, EventDetail detail) {

  public OrchestratorEvent {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(detail, "detail");
  }

  /** What happened: the kind of {@link #detail()}. */
  public EventType type() {
    return detail.type();
  }

  /** The detail's fields as text (see {@link EventDetail#attributes()}). */
  public Map<String, String> attributes() {
    return detail.attributes();
  }

  @Override
  public String toString() {
    Map<String, String> attributes = attributes();
    return timestamp
        + " "
        + type()
        + " "
        + stack
        + (subject == null ? "" : "/" + subject)
        + ": "
        + message
        + (attributes.isEmpty() ? "" : " " + attributes);
  }
}
