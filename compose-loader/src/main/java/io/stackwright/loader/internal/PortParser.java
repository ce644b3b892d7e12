package io.stackwright.loader.internal;

import io.stackwright.api.PortSpec;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compose {@code ports}: the short syntax {@code
 * [host_ip:][published[-end]:]target[-end][/protocol]} (ranges expanded, IPv6 host addresses in
 * brackets) and the long syntax.
 */
final class PortParser extends NodeReader {
  private static final Set<String> LONG_KEYS =
      Set.of("target", "published", "protocol", "mode", "host_ip");
  private static final Set<String> LONG_IGNORED = Set.of("name", "app_protocol");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

  PortParser(Diagnostics diagnostics) {
    super(diagnostics);
  }

  /** The ports one entry stands for (several for a range); empty when it is invalid. */
  List<PortSpec> parse(Node item, String path) {
    if (item instanceof MapNode map) {
      PortSpec port = parseLong(map, path);
      return port == null ? List.of() : List.of(port);
    }
    if (item instanceof ScalarNode scalar && !scalar.isNull()) {
      return parseShort(scalar, path);
    }
    problem(item, path, "must be a string, a number or a mapping, not " + item.describe());
    return List.of();
  }

  private List<PortSpec> parseShort(ScalarNode scalar, String path) {
    String text = scalar.text().strip();
    String protocol = "tcp";
    int slash = text.lastIndexOf('/');
    if (slash >= 0) {
      protocol = text.substring(slash + 1).toLowerCase(Locale.ROOT);
      text = text.substring(0, slash);
      if (!PROTOCOLS.contains(protocol)) {
        problem(scalar, path, "invalid protocol in port " + scalar.shown() + " (tcp, udp or sctp)");
        return List.of();
      }
    }
    String hostIp = null;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        problem(scalar, path, "invalid port " + scalar.shown());
        return List.of();
      }
      hostIp = text.substring(1, close);
      text = text.substring(close + 2);
    }
    String[] parts = text.split(":", -1);
    String publishedPart;
    String targetPart = parts[parts.length - 1];
    if (parts.length == 1) {
      publishedPart = null;
    } else {
      publishedPart = parts[parts.length - 2];
      if (parts.length > 2) {
        if (hostIp != null) {
          problem(scalar, path, "invalid port " + scalar.shown());
          return List.of();
        }
        hostIp = String.join(":", Arrays.copyOf(parts, parts.length - 2));
      }
    }
    if (hostIp != null && hostIp.isEmpty()) {
      hostIp = null;
    }
    if (hostIp != null && !isIpAddress(hostIp)) {
      problem(
          scalar,
          path,
          "invalid host IP "
              + (scalar.template() == null ? "'" + Texts.excerpt(hostIp) + "' " : "")
              + "in port "
              + scalar.shown()
              + ": it must be an IPv4 or IPv6 address");
      return List.of();
    }
    int[] target = range(targetPart, scalar, path, "target");
    if (target == null) {
      return List.of();
    }
    int[] published = null;
    if (publishedPart != null && !publishedPart.isEmpty()) {
      published = range(publishedPart, scalar, path, "published");
      if (published == null) {
        return List.of();
      }
    }
    int count = target[1] - target[0] + 1;
    if (published != null) {
      int publishedCount = published[1] - published[0] + 1;
      if (count == 1 && publishedCount > 1) {
        problem(
            scalar,
            path,
            "a range of published ports for one target port is not supported: " + scalar.shown());
        return List.of();
      }
      if (publishedCount != count) {
        problem(
            scalar,
            path,
            "the published and target ranges of "
                + scalar.shown()
                + " differ in size ("
                + publishedCount
                + " and "
                + count
                + ")");
        return List.of();
      }
    }
    List<PortSpec> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(
          new PortSpec(
              target[0] + i,
              published == null ? null : published[0] + i,
              protocol,
              PortSpec.PublishMode.INGRESS,
              hostIp));
    }
    return ports;
  }

  private static String unbracket(String ip) {
    return ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
  }

  /** An IPv4 address in dotted-quad form, or an IPv6 address (brackets removed before). */
  static boolean isIpAddress(String text) {
    if (text.matches(
        "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}")) {
      return true;
    }
    if (!text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    String address = text;
    int groups = 0;
    if (address.contains(".")) { // an embedded IPv4 address ends it, counting as two groups
      int colon = address.lastIndexOf(':');
      if (!isIpAddress(address.substring(colon + 1))
          || address.substring(colon + 1).contains(":")) {
        return false;
      }
      address = address.substring(0, colon + 1) + "0";
      groups = 1;
    }
    int doubleColon = address.indexOf("::");
    if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String[] sides =
        doubleColon >= 0
            ? new String[] {address.substring(0, doubleColon), address.substring(doubleColon + 2)}
            : new String[] {address};
    for (String side : sides) {
      if (side.isEmpty()) {
        continue;
      }
      for (String group : side.split(":", -1)) {
        if (group.isEmpty() || group.length() > 4) {
          return false;
        }
        groups++;
      }
    }
    return doubleColon >= 0 ? groups < 8 : groups == 8;
  }

  /** {start, end} of "8000" or "8000-8010", or null after reporting a problem. */
  private int[] range(String text, ScalarNode scalar, String path, String what) {
    int dash = text.indexOf('-');
    Integer start = port(dash < 0 ? text : text.substring(0, dash), scalar, path, what);
    if (start == null) {
      return null;
    }
    if (dash < 0) {
      return new int[] {start, start};
    }
    Integer end = port(text.substring(dash + 1), scalar, path, what);
    if (end == null) {
      return null;
    }
    if (end < start) {
      problem(scalar, path, "invalid " + what + " port range in " + scalar.shown());
      return null;
    }
    return new int[] {start, end};
  }

  private Integer port(String text, ScalarNode scalar, String path, String what) {
    int value;
    try {
      value = Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      problem(scalar, path, "invalid " + what + " port in " + scalar.shown());
      return null;
    }
    if (value < 1 || value > 65535) {
      problem(
          scalar,
          path,
          "invalid " + what + " port in " + scalar.shown() + ": ports must be 1-65535");
      return null;
    }
    return value;
  }

  private PortSpec parseLong(MapNode map, String path) {
    checkKeys(map, path, LONG_KEYS, LONG_IGNORED, true);
    Node targetNode = map.get("target");
    Integer target = null;
    if (isNull(targetNode)) {
      problem(map, child(path, "target"), "target is required");
    } else {
      target = integer(targetNode, child(path, "target"));
      if (target != null && (target < 1 || target > 65535)) {
        problem(
            targetNode,
            child(path, "target"),
            "invalid target port " + target + ": ports must be 1-65535");
        target = null;
      }
    }
    Integer published = null;
    Node publishedNode = map.get("published");
    if (!isNull(publishedNode)) {
      String text = string(publishedNode, child(path, "published"));
      if (text != null && text.strip().matches("\\d+-\\d+")) {
        // the engine takes a free port of the range; the stack holds one port: the first
        String[] bounds = text.strip().split("-");
        int start = Integer.parseInt(bounds[0]);
        int end = Integer.parseInt(bounds[1]);
        if (start < 1 || end > 65535 || end < start) {
          problem(
              publishedNode,
              child(path, "published"),
              "invalid published port range " + quoted(publishedNode) + ": ports must be 1-65535");
        } else {
          published = start;
          if (end > start) {
            diagnostics.warn(
                publishedNode.location(),
                child(path, "published"),
                "the stack publishes the first port of the range "
                    + quoted(publishedNode)
                    + " ("
                    + start
                    + "); the model keeps the range");
          }
        }
      } else {
        published = integer(publishedNode, child(path, "published"));
        if (published != null && (published < 1 || published > 65535)) {
          problem(
              publishedNode,
              child(path, "published"),
              "invalid published port " + published + ": ports must be 1-65535");
          published = null;
        }
      }
    }
    String protocol = string(map.get("protocol"), child(path, "protocol"));
    if (protocol != null) {
      protocol = protocol.toLowerCase(Locale.ROOT);
      if (!PROTOCOLS.contains(protocol)) {
        problem(
            map.get("protocol"),
            child(path, "protocol"),
            "protocol must be tcp, udp or sctp, not " + quoted(map.get("protocol")));
        protocol = null;
      }
    }
    String modeText = string(map.get("mode"), child(path, "mode"));
    PortSpec.PublishMode mode = null;
    if (modeText != null) {
      switch (modeText.toLowerCase(Locale.ROOT)) {
        case "host" -> mode = PortSpec.PublishMode.HOST;
        case "ingress" -> mode = PortSpec.PublishMode.INGRESS;
        default ->
            problem(
                map.get("mode"),
                child(path, "mode"),
                "mode must be host or ingress, not " + quoted(map.get("mode")));
      }
    }
    String hostIp = string(map.get("host_ip"), child(path, "host_ip"));
    if (hostIp != null && !hostIp.isEmpty() && !isIpAddress(unbracket(hostIp))) {
      problem(
          map.get("host_ip"),
          child(path, "host_ip"),
          "invalid host IP " + quoted(map.get("host_ip")) + ": it must be an IPv4 or IPv6 address");
      return null;
    }
    if (target == null) {
      return null;
    }
    Integer p = published;
    String proto = protocol;
    PortSpec.PublishMode m = mode;
    int t = target;
    return guard(map, path, () -> new PortSpec(t, p, proto, m, hostIp));
  }
}
