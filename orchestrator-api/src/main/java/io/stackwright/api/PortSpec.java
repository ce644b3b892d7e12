package io.stackwright.api;

import java.util.Objects;

/**
 * A published port.
 *
 * @param target the port inside the container
 * @param published the port on the host or cluster, or {@code null} for one the engine picks
 * @param protocol {@code tcp}, {@code udp} or {@code sctp}
 * @param mode ingress (the routing mesh) or host (published on the node running the task)
 * @param hostIp the host address to bind, or {@code null} for all
 */
public record PortSpec(
    int target, Integer published, String protocol, PublishMode mode, String hostIp) {

  public enum PublishMode {
    INGRESS,
    HOST
  }

  public PortSpec {
    if (target < 1 || target > 65535) {
      throw new IllegalArgumentException("target port must be 1-65535, was " + target);
    }
    if (published != null && (published < 0 || published > 65535)) {
      throw new IllegalArgumentException("published port must be 0-65535, was " + published);
    }
    protocol = protocol == null ? "tcp" : protocol;
    mode = Objects.requireNonNullElse(mode, PublishMode.INGRESS);
  }

  public static PortSpec of(int target) {
    return new PortSpec(target, null, "tcp", PublishMode.INGRESS, null);
  }

  public static PortSpec host(int published, int target) {
    return new PortSpec(target, published, "tcp", PublishMode.HOST, null);
  }
}
