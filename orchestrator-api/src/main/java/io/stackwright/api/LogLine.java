package io.stackwright.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One line a replica wrote.
 *
 * @param service the service's key in the stack
 * @param replica the replica's name for people ({@code web.1})
 * @param stream {@code stdout} or {@code stderr}
 * @param timestamp when the engine received it, or {@code null} when it did not say
 * @param text the line, without its line break
 */
public record LogLine(
    String service, String replica, String stream, Instant timestamp, String text) {

  public LogLine {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(text, "text");
  }
}
