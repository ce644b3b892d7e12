package io.stackwright.api.health;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Something a person must look at: a crash loop, a replica that cannot be replaced. Alerts never
 * carry secret values (no environment, no probe headers).
 *
 * @param at when it was raised
 * @param severity how urgent
 * @param kind what happened, in lower case ({@code crash_loop}, {@code replace_failed})
 * @param stack the stack
 * @param service the service key, or {@code null}
 * @param summary a sentence for people
 * @param details details for machines
 */
public record Alert(
    Instant at,
    Severity severity,
    String kind,
    String stack,
    String service,
    String summary,
    Map<String, String> details) {

  public enum Severity {
    WARNING,
    CRITICAL
  }

  public Alert {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(summary, "summary");
    details =
        details == null || details.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
  }
}
