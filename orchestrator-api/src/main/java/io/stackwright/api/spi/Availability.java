package io.stackwright.api.spi;

import java.util.Objects;

/**
 * Whether a platform can be used here, and if not why (shown when no platform is found).
 *
 * @param available whether it can be used
 * @param reason why not, or what it found ("Docker 20.10.24 in Swarm mode")
 */
public record Availability(boolean available, String reason) {
  public Availability {
    Objects.requireNonNull(reason, "reason");
  }

  public static Availability available(String what) {
    return new Availability(true, what);
  }

  public static Availability unavailable(String why) {
    return new Availability(false, why);
  }
}
