package io.stackwright.api.spi;

import io.stackwright.api.state.TaskState;
import java.util.Objects;
import java.util.Optional;

/**
 * The replica a {@link HealthProbe} checks.
 *
 * @param stack the stack's name
 * @param replica the replica as the platform reports it
 * @param address where this process reaches the replica, or {@code null} when it cannot
 * @param platform the platform, for probes that run commands in the replica ({@link Platform#exec})
 */
public record ProbeTarget(String stack, TaskState replica, String address, Platform platform) {
  public ProbeTarget {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(platform, "platform");
  }

  public Optional<String> reachableAddress() {
    return Optional.ofNullable(address);
  }
}
