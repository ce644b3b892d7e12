package io.stackwright.loader.internal;

import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import io.stackwright.loader.internal.Node.Tagged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Merges Compose documents in order, a later one overriding an earlier one, with the merge rules of
 * the Compose specification (and compose-go, the reference loader):
 *
 * <ul>
 *   <li>mappings merge key by key; scalars are replaced; a {@code null} keeps the earlier value;
 *   <li>{@code command}, {@code entrypoint} and {@code healthcheck.test} are replaced;
 *   <li>keys that may be a list or a mapping ({@code environment}, {@code labels}, {@code
 *       annotations}, {@code sysctls}, {@code extra_hosts}, {@code deploy.labels}, {@code
 *       build.args}, ...) merge as mappings, as do the service's {@code networks} and {@code
 *       depends_on};
 *   <li>{@code ports}, {@code volumes}, {@code secrets} and {@code configs} are appended, and an
 *       entry with the same unique key as an earlier one (ports: host IP, published port, target
 *       and protocol; volumes: target; secrets and configs: target) merges with it;
 *   <li>{@code expose}, {@code dns}, {@code dns_search}, {@code dns_opt}, {@code tmpfs}, {@code
 *       env_file}, {@code cap_add}, {@code cap_drop}, {@code profiles}, {@code links}, network
 *       {@code aliases} ... are appended without duplicates; other lists are appended;
 *   <li>{@code ulimits.<name>} and {@code logging} (when the driver changes) are replaced;
 *   <li>a value tagged {@code !reset} removes the earlier value, one tagged {@code !override}
 *       replaces it without merging.
 * </ul>
 */
public final class TreeMerger {
  private static final Set<String> REPLACED =
      Set.of("services.*.command", "services.*.entrypoint", "services.*.healthcheck.test");

  private static final Set<String> AS_MAPPING =
      Set.of(
          "services.*.environment",
          "services.*.labels",
          "services.*.annotations",
          "services.*.sysctls",
          "services.*.extra_hosts",
          "services.*.deploy.labels",
          "services.*.build.args",
          "services.*.build.labels",
          "services.*.build.additional_contexts",
          "services.*.build.extra_hosts",
          "services.*.networks",
          "services.*.depends_on",
          "networks.*.labels",
          "volumes.*.labels",
          "secrets.*.labels",
          "configs.*.labels");

  private static final Set<String> UNIQUE_VALUES =
      Set.of(
          "services.*.expose",
          "services.*.dns",
          "services.*.dns_search",
          "services.*.dns_opt",
          "services.*.tmpfs",
          "services.*.cap_add",
          "services.*.cap_drop",
          "services.*.profiles",
          "services.*.links",
          "services.*.external_links",
          "services.*.security_opt",
          "services.*.devices",
          "services.*.group_add",
          "services.*.volumes_from",
          "services.*.label_file",
          "services.*.build.tags",
          "services.*.build.platforms",
          "services.*.build.cache_from",
          "services.*.networks.*.aliases",
          "services.*.networks.*.link_local_ips",
          "services.*.deploy.placement.constraints");

  /** Top-level sections whose keys are names, and service sections whose keys are names. */
  private static final Set<String> NAMED =
      Set.of(
          "services",
          "networks",
          "volumes",
          "secrets",
          "configs",
          "services.*.networks",
          "services.*.ulimits",
          "services.*.depends_on");

  private TreeMerger() {}

  /** {@code override} merged over {@code base}; either may be {@code null}. */
  public static Node merge(Node base, Node override) {
    if (base == null) {
      return override;
    }
    if (override == null) {
      return base;
    }
    Node merged = mergeValue(base, override, "");
    return merged == null ? new MapNode(base.location(), Map.of()) : merged;
  }

  /**
   * The merge of one value; {@code null} when the result is that the key disappears ({@code
   * !reset}).
   */
  private static Node mergeValue(Node base, Node override, String pattern) {
    if (override instanceof Tagged tagged) {
      return tagged.isReset() ? null : tagged.value();
    }
    if (base instanceof Tagged tagged) {
      base = tagged.isReset() ? null : tagged.value();
      if (base == null) {
        return override;
      }
    }
    if (override instanceof ScalarNode scalar && scalar.isNull()) {
      return base;
    }
    if (REPLACED.contains(pattern)) {
      return override;
    }
    if (AS_MAPPING.contains(pattern)) {
      Node b = asMap(base, pattern);
      Node o = asMap(override, pattern);
      if (b instanceof MapNode bm && o instanceof MapNode om) {
        return mergeMaps(bm, om, pattern);
      }
      return override;
    }
    switch (pattern) {
      case "services.*.ports":
        return mergeUnique(base, override, TreeMerger::portKey);
      case "services.*.volumes":
        return mergeUnique(base, override, TreeMerger::volumeKey);
      case "services.*.secrets":
        return mergeUnique(base, override, n -> mountKey(n, "/run/secrets/"));
      case "services.*.configs":
        return mergeUnique(base, override, n -> mountKey(n, "/"));
      case "services.*.env_file":
        return mergeUnique(asList(base), asList(override), TreeMerger::envFileKey);
      case "networks.*.ipam.config":
        return mergeUnique(base, override, n -> text(n instanceof MapNode m ? m.get("subnet") : n));
      case "services.*.build":
        return mergeValue(asBuildMap(base), asBuildMap(override), "services.*.build.{}");
      case "services.*.logging":
        if (base instanceof MapNode b && override instanceof MapNode o) {
          String before = text(b.get("driver"));
          String after = text(o.get("driver"));
          if (before != null && after != null && !before.equals(after)) {
            return override;
          }
          return mergeMaps(b, o, pattern);
        }
        return override;
      default:
        break;
    }
    if (pattern.startsWith("services.*.ulimits.*") && !(base instanceof MapNode)) {
      return override;
    }
    if (UNIQUE_VALUES.contains(pattern)) {
      return mergeUnique(asList(base), asList(override), TreeMerger::text);
    }
    if (base instanceof MapNode b && override instanceof MapNode o) {
      return mergeMaps(b, o, pattern);
    }
    if (base instanceof ListNode b && override instanceof ListNode o) {
      List<Node> items = new ArrayList<>(b.items());
      items.addAll(o.items());
      return new ListNode(b.location(), items);
    }
    return override;
  }

  private static MapNode mergeMaps(MapNode base, MapNode override, String pattern) {
    Map<String, Entry> entries = new LinkedHashMap<>(base.entries());
    for (Entry entry : override.entries().values()) {
      Entry existing = entries.get(entry.key());
      String child = childPattern(pattern, entry.key());
      if (existing == null) {
        if (entry.value() instanceof Tagged tagged && tagged.isReset()) {
          // nothing to reset here; an earlier file may still have the key
          entries.put(entry.key(), entry);
        } else {
          entries.put(entry.key(), entry);
        }
        continue;
      }
      Node merged = mergeValue(existing.value(), entry.value(), child);
      if (merged == null) {
        entries.remove(entry.key());
      } else {
        entries.put(entry.key(), new Entry(entry.key(), existing.keyLocation(), merged));
      }
    }
    return new MapNode(base.location(), entries);
  }

  /** The pattern of a child key: names of services, networks... become {@code *}. */
  static String childPattern(String pattern, String key) {
    if (pattern.equals("services.*.build.{}")) {
      return "services.*.build." + key;
    }
    if (NAMED.contains(pattern) || pattern.endsWith(".*.ulimits")) {
      return pattern + ".*";
    }
    return pattern.isEmpty() ? key : pattern + "." + key;
  }

  private static Node mergeUnique(Node base, Node override, Function<Node, String> key) {
    if (!(base instanceof ListNode b) || !(override instanceof ListNode o)) {
      return override;
    }
    List<Node> items = new ArrayList<>(b.items());
    for (Node item : o.items()) {
      String k = key.apply(item);
      int same = -1;
      for (int i = 0; k != null && i < items.size(); i++) {
        if (k.equals(key.apply(items.get(i)))) {
          same = i;
          break;
        }
      }
      if (same < 0) {
        items.add(item);
      } else if (items.get(same) instanceof MapNode earlier && item instanceof MapNode later) {
        items.set(same, mergeMaps(earlier, later, "[]"));
      } else {
        items.set(same, item);
      }
    }
    return new ListNode(b.location(), items);
  }

  private static Node asList(Node node) {
    if (node instanceof ScalarNode scalar && !scalar.isNull()) {
      return new ListNode(node.location(), List.of(node));
    }
    if (node instanceof MapNode) {
      return new ListNode(node.location(), List.of(node));
    }
    return node;
  }

  private static Node asBuildMap(Node node) {
    if (node instanceof ScalarNode scalar && !scalar.isNull()) {
      return new MapNode(
          node.location(), Map.of("context", new Entry("context", node.location(), node)));
    }
    return node;
  }

  /**
   * A list form ({@code KEY=value}, {@code host:ip}, or a bare name) as a mapping, so that it can
   * merge with a mapping; other nodes are returned as they are.
   */
  static Node asMap(Node node, String pattern) {
    if (!(node instanceof ListNode list)) {
      return node;
    }
    boolean names = pattern.endsWith(".networks") || pattern.endsWith(".depends_on");
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Node item : list.items()) {
      if (!(item instanceof ScalarNode scalar) || scalar.isNull()) {
        return node;
      }
      String text = scalar.text();
      int sep =
          names ? -1 : pattern.endsWith("extra_hosts") ? separatorOfHost(text) : text.indexOf('=');
      String name = sep < 0 ? text : text.substring(0, sep);
      Node value;
      if (pattern.endsWith(".depends_on")) {
        value =
            new MapNode(
                scalar.location(),
                Map.of(
                    "condition",
                    new Entry(
                        "condition",
                        scalar.location(),
                        ScalarNode.string(scalar.location(), "service_started"))));
      } else if (sep < 0) {
        value = new ScalarNode(scalar.location(), null, "");
      } else {
        value = ScalarNode.string(scalar.location(), text.substring(sep + 1));
      }
      entries.put(name, new Entry(name, scalar.location(), value));
    }
    return new MapNode(list.location(), entries);
  }

  /** {@code host=ip} or {@code host:ip} (the IP may itself contain colons). */
  static int separatorOfHost(String text) {
    int eq = text.indexOf('=');
    return eq >= 0 ? eq : text.indexOf(':');
  }

  /** Ports: host IP, published port, target and protocol; a short form is its own key. */
  private static String portKey(Node node) {
    if (node instanceof MapNode map) {
      String published = text(map.get("published"));
      String protocol = text(map.get("protocol"));
      String ip = text(map.get("host_ip"));
      return (ip == null ? "" : ip)
          + ":"
          + (published == null ? "" : published)
          + ":"
          + text(map.get("target"))
          + "/"
          + (protocol == null ? "tcp" : protocol);
    }
    return text(node);
  }

  /** Volumes: the target path. */
  static String volumeKey(Node node) {
    if (node instanceof MapNode map) {
      return text(map.get("target"));
    }
    String text = text(node);
    if (text == null) {
      return null;
    }
    String[] parts = MountParser.splitShort(text);
    return parts.length == 1 ? parts[0] : parts[1];
  }

  /** Secrets and configs: the target, by default the source under a directory. */
  private static String mountKey(Node node, String directory) {
    if (node instanceof MapNode map) {
      String target = text(map.get("target"));
      String source = text(map.get("source"));
      if (target != null) {
        return target.startsWith("/") ? target : directory + target;
      }
      return source == null ? null : directory + source;
    }
    String source = text(node);
    return source == null ? null : directory + source;
  }

  private static String envFileKey(Node node) {
    return node instanceof MapNode map ? text(map.get("path")) : text(node);
  }

  private static String text(Node node) {
    if (node instanceof Tagged tagged) {
      return text(tagged.value());
    }
    return node instanceof ScalarNode scalar && !scalar.isNull() ? scalar.text() : null;
  }
}
