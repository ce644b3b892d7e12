package io.stackwright.traefik.internal;

import java.time.Duration;

/** Durations as Traefik (Go's {@code time.ParseDuration}) reads them. */
final class GoDurations {
  private GoDurations() {}

  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
