package io.stackwright.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

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
    List<SpecProblem> problems = new ArrayList<>();
    if (target < 1 || target > 65535) {
      problems.add(SpecProblem.at("target", "must be 1-65535, was " + target));
    }
    if (published != null && (published < 0 || published > 65535)) {
      problems.add(
          SpecProblem.at(
              "published", "must be 0-65535 (0 or unset: the engine picks one), was " + published));
    }
    protocol = protocol == null ? "tcp" : protocol;
    if (!PROTOCOLS.contains(protocol)) {
      problems.add(SpecProblem.at("protocol", "must be tcp, udp or sctp, was '" + protocol + "'"));
    }
    if (hostIp != null && !hostIp.isEmpty() && !isIpAddress(hostIp)) {
      problems.add(
          SpecProblem.at("host_ip", "must be an IPv4 or IPv6 address, was '" + hostIp + "'"));
    }
    SpecChecks.throwIfAny(problems);
    mode = Objects.requireNonNullElse(mode, PublishMode.INGRESS);
  }

  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern HEXTET = Pattern.compile("[0-9a-fA-F]{1,4}");

  private static boolean isIpAddress(String value) {
    return IPV4.matcher(value).matches() || isIpv6(value);
  }

  private static boolean isIpv6(String value) {
    String v =
        value.startsWith("[") && value.endsWith("]")
            ? value.substring(1, value.length() - 1)
            : value;
    if (!v.contains(":") || v.indexOf("::") != v.lastIndexOf("::")) {
      return false;
    }
    int groups = 0;
    String[] parts = v.split(":", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        continue;
      }
      if (i == parts.length - 1 && part.contains(".")) {
        if (!IPV4.matcher(part).matches()) {
          return false;
        }
        groups += 2;
      } else if (HEXTET.matcher(part).matches()) {
        groups++;
      } else {
        return false;
      }
    }
    return v.contains("::") ? groups < 8 : groups == 8;
  }

  public static PortSpec of(int target) {
    return new PortSpec(target, null, "tcp", PublishMode.INGRESS, null);
  }

  public static PortSpec host(int published, int target) {
    return new PortSpec(target, published, "tcp", PublishMode.HOST, null);
  }
}
