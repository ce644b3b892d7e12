package io.stackwright.api;

import java.util.Objects;

/**
 * An ordering dependency on another service of the stack.
 *
 * @param condition what the dependency must reach before this service starts
 * @param required whether a missing or failing dependency is an error (otherwise a warning)
 * @param restart whether this service is restarted when the dependency is updated
 */
public record DependsOn(Condition condition, boolean required, boolean restart) {

  public enum Condition {
    SERVICE_STARTED,
    SERVICE_HEALTHY,
    SERVICE_COMPLETED_SUCCESSFULLY
  }

  public DependsOn {
    Objects.requireNonNull(condition, "condition");
  }

  public static DependsOn started() {
    return new DependsOn(Condition.SERVICE_STARTED, true, false);
  }

  public static DependsOn healthy() {
    return new DependsOn(Condition.SERVICE_HEALTHY, true, false);
  }
}
