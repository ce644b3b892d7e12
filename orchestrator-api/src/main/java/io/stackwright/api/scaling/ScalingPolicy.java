package io.stackwright.api.scaling;

/** Stackwright's horizontal autoscaling of a service. {@link #NONE} when the service has none. */
public record ScalingPolicy() {
  public static final ScalingPolicy NONE = new ScalingPolicy();
}
