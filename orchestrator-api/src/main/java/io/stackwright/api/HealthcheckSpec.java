package io.stackwright.api;

import java.time.Duration;
import java.util.List;

/**
 * The container's own healthcheck (Docker's HEALTHCHECK). A {@code null} duration or retries means
 * the image's or engine's default.
 *
 * @param test the command, in Docker's form ({@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]} or
 *     {@code ["NONE"]})
 */
public record HealthcheckSpec(
    List<String> test,
    Duration interval,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    Integer retries) {

  public HealthcheckSpec {
    test = Copies.list(test);
    if (test.isEmpty()) {
      throw new IllegalArgumentException(
          "a healthcheck needs a test (use disabled() to turn it off)");
    }
  }

  public static HealthcheckSpec cmd(String... command) {
    List<String> test = new java.util.ArrayList<>();
    test.add("CMD");
    test.addAll(List.of(command));
    return new HealthcheckSpec(test, null, null, null, null, null);
  }

  /** Turns off a healthcheck the image declares. */
  public static HealthcheckSpec disabled() {
    return new HealthcheckSpec(List.of("NONE"), null, null, null, null, null);
  }

  public boolean isDisabled() {
    return test.size() == 1 && "NONE".equals(test.get(0));
  }

  public HealthcheckSpec withTimings(
      Duration interval, Duration timeout, Duration startPeriod, Integer retries) {
    return new HealthcheckSpec(test, interval, timeout, startPeriod, startInterval, retries);
  }
}
