package io.stackwright.api.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One thing that happened. Events never carry secret values.
 *
 * @param timestamp when it happened, by the orchestrator's clock
 * @param type what happened
 * @param stack the stack it happened to
 * @param subject the service or resource key, or {@code null} for the stack as a whole
 * @param message a sentence for people
 * @param attributes details for machines (task id, state, error, ...)
 */
public record OrchestratorEvent(
    Instant timestamp,
    EventType type,
    String stack,
    String subject,
    String message,
    Map<String, String> attributes) {

  public OrchestratorEvent {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(message, "message");
    attributes =
        attributes == null || attributes.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  public static OrchestratorEvent of(
      Instant timestamp, EventType type, String stack, String subject, String message) {
    return new OrchestratorEvent(timestamp, type, stack, subject, message, Map.of());
  }

  @Override
  public String toString() {
    return timestamp
        + " "
        + type
        + " "
        + stack
        + (subject == null ? "" : "/" + subject)
        + ": "
        + message
        + (attributes.isEmpty() ? "" : " " + attributes);
  }
}
