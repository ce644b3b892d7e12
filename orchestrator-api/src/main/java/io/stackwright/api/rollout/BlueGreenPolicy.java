package io.stackwright.api.rollout;

import java.time.Duration;
import java.util.Objects;

/**
 * Blue-green: the new version (green) runs beside the old one (blue) and is verified; then traffic
 * switches at once through the router.
 *
 * @param verifyFor how long every green replica must stay ready before traffic switches
 * @param keepOldFor how long blue keeps running after the switch, for an instant switch-back; then
 *     it is removed
 * @param autoSwitch switch as soon as green is verified; otherwise wait for a manual promote
 */
public record BlueGreenPolicy(Duration verifyFor, Duration keepOldFor, boolean autoSwitch) {

  public BlueGreenPolicy {
    verifyFor = nonNegative(verifyFor, "verifyFor");
    keepOldFor = nonNegative(keepOldFor, "keepOldFor");
  }

  /** Verify for 10 s, keep blue 5 min, switch automatically. */
  public static BlueGreenPolicy defaults() {
    return new BlueGreenPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), true);
  }

  static Duration nonNegative(Duration value, String what) {
    Duration checked = Objects.requireNonNullElse(value, Duration.ZERO);
    if (checked.isNegative()) {
      throw new IllegalArgumentException(what + " cannot be negative, was " + value);
    }
    return checked;
  }
}
