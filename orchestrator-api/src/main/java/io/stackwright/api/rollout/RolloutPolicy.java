package io.stackwright.api.rollout;

/**
 * Stackwright's how new versions of a service are rolled out. {@link #NONE} when the service has
 * none.
 */
public record RolloutPolicy() {
  public static final RolloutPolicy NONE = new RolloutPolicy();
}
