package io.stackwright.api.spi;

import java.util.Map;
import java.util.Objects;

/**
 * How one phase of a rollout ended: the version converged and stayed healthy, or not and why.
 *
 * @param healthy whether every replica ran the version and passed every check
 * @param timedOut whether the phase ran out of time (only when not healthy)
 * @param reason a sentence for people; on failure, why
 * @param serviceErrors for each failed service, the engine's error
 */
public record RolloutVerdict(
    boolean healthy, boolean timedOut, String reason, Map<String, String> serviceErrors) {

  public RolloutVerdict {
    Objects.requireNonNull(reason, "reason");
    serviceErrors = serviceErrors == null ? Map.of() : Map.copyOf(serviceErrors);
  }

  public static RolloutVerdict healthy(String reason) {
    return new RolloutVerdict(true, false, reason, Map.of());
  }

  public static RolloutVerdict failed(String reason, Map<String, String> serviceErrors) {
    return new RolloutVerdict(false, false, reason, serviceErrors);
  }

  public static RolloutVerdict timedOut(String reason) {
    return new RolloutVerdict(false, true, reason, Map.of());
  }
}
