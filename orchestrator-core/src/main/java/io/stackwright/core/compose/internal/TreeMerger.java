package io.stackwright.core.compose.internal;

import io.stackwright.core.compose.internal.Node.Entry;
import io.stackwright.core.compose.internal.Node.ListNode;
import io.stackwright.core.compose.internal.Node.MapNode;
import io.stackwright.core.compose.internal.Node.ScalarNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Merges Compose documents in order, a later one overriding an earlier one: mappings merge key by
 * key, {@code command}, {@code entrypoint} and {@code healthcheck.test} are replaced, {@code
 * ports}, {@code volumes}, {@code secrets} and {@code configs} merge by their key (published port,
 * target path, source), keys that may be a list or a mapping ({@code environment}, {@code labels},
 * ...) merge as mappings, other lists are appended, and scalars are replaced. A {@code null} in the
 * later document keeps the earlier value.
 */
public final class TreeMerger {
  private static final Set<String> REPLACED = Set.of("command", "entrypoint");
  private static final Set<String> LIST_OR_MAP =
      Set.of(
          "environment",
          "labels",
          "annotations",
          "sysctls",
          "extra_hosts",
          "networks",
          "depends_on",
          "ulimits");

  private TreeMerger() {}

  public static Node merge(Node base, Node override) {
    return mergeValue(base, override, Context.ROOT);
  }

  private enum Context {
    ROOT,
    SERVICES,
    SERVICE,
    DEPLOY,
    HEALTHCHECK,
    OTHER
  }

  private static Node mergeValue(Node base, Node override, Context context) {
    if (override instanceof ScalarNode scalar && scalar.isNull() && !(base instanceof ScalarNode)) {
      return base;
    }
    if (base instanceof MapNode b && override instanceof MapNode o) {
      return mergeMaps(b, o, context);
    }
    return override;
  }

  private static MapNode mergeMaps(MapNode base, MapNode override, Context context) {
    Map<String, Entry> entries = new LinkedHashMap<>(base.entries());
    for (Entry entry : override.entries().values()) {
      Entry existing = entries.get(entry.key());
      if (existing == null) {
        entries.put(entry.key(), entry);
        continue;
      }
      Node merged = mergeChild(entry.key(), existing.value(), entry.value(), context);
      entries.put(entry.key(), new Entry(entry.key(), entry.keyLocation(), merged));
    }
    return new MapNode(base.location(), entries);
  }

  private static Node mergeChild(String key, Node base, Node override, Context parent) {
    Context child =
        switch (parent) {
          case ROOT -> key.equals("services") ? Context.SERVICES : Context.OTHER;
          case SERVICES -> Context.SERVICE;
          case SERVICE ->
              switch (key) {
                case "deploy" -> Context.DEPLOY;
                case "healthcheck" -> Context.HEALTHCHECK;
                default -> Context.OTHER;
              };
          default -> Context.OTHER;
        };
    if (parent == Context.SERVICE) {
      if (REPLACED.contains(key)) {
        return override;
      }
      switch (key) {
        case "ports":
          return mergeLists(base, override, TreeMerger::portKey);
        case "volumes":
          return mergeLists(base, override, TreeMerger::volumeKey);
        case "secrets", "configs":
          return mergeLists(base, override, TreeMerger::sourceKey);
        default:
          break;
      }
    }
    if (parent == Context.HEALTHCHECK && key.equals("test")) {
      return override;
    }
    if ((parent == Context.SERVICE && LIST_OR_MAP.contains(key))
        || (parent == Context.DEPLOY && key.equals("labels"))) {
      return mergeValue(asMap(base, key), asMap(override, key), child);
    }
    if (base instanceof ListNode b && override instanceof ListNode o) {
      List<Node> items = new ArrayList<>(b.items());
      items.addAll(o.items());
      return new ListNode(b.location(), items);
    }
    return mergeValue(base, override, child);
  }

  private static Node mergeLists(Node base, Node override, Function<Node, String> key) {
    if (!(base instanceof ListNode b) || !(override instanceof ListNode o)) {
      return mergeValue(base, override, Context.OTHER);
    }
    List<Node> items = new ArrayList<>(b.items());
    for (Node item : o.items()) {
      String k = key.apply(item);
      int replaced = -1;
      for (int i = 0; k != null && i < items.size(); i++) {
        if (k.equals(key.apply(items.get(i)))) {
          replaced = i;
          break;
        }
      }
      if (replaced >= 0) {
        items.set(replaced, item);
      } else {
        items.add(item);
      }
    }
    return new ListNode(b.location(), items);
  }

  /**
   * A list form ({@code KEY=value}, {@code host:ip}, or a bare name) as a mapping, so that it can
   * merge with a mapping; other nodes are returned as they are.
   */
  static Node asMap(Node node, String key) {
    if (!(node instanceof ListNode list)) {
      return node;
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Node item : list.items()) {
      if (!(item instanceof ScalarNode scalar) || scalar.isNull()) {
        return node;
      }
      String text = scalar.text();
      int sep =
          switch (key) {
            case "extra_hosts" -> separatorOfHost(text);
            case "networks", "depends_on" -> -1;
            default -> text.indexOf('=');
          };
      String name = sep < 0 ? text : text.substring(0, sep);
      Node value =
          sep < 0
              ? new ScalarNode(scalar.location(), null, "")
              : ScalarNode.string(scalar.location(), text.substring(sep + 1));
      entries.put(name, new Entry(name, scalar.location(), value));
    }
    return new MapNode(list.location(), entries);
  }

  /** {@code host=ip} or {@code host:ip} (the IP may itself contain colons). */
  static int separatorOfHost(String text) {
    int eq = text.indexOf('=');
    return eq >= 0 ? eq : text.indexOf(':');
  }

  private static String portKey(Node node) {
    if (node instanceof MapNode map) {
      String published = text(map.get("published"));
      if (published == null) {
        return null;
      }
      String protocol = text(map.get("protocol"));
      String ip = text(map.get("host_ip"));
      return (ip == null ? "" : ip) + ":" + published + "/" + (protocol == null ? "tcp" : protocol);
    }
    String text = text(node);
    if (text == null) {
      return null;
    }
    String protocol = "tcp";
    int slash = text.lastIndexOf('/');
    if (slash >= 0) {
      protocol = text.substring(slash + 1);
      text = text.substring(0, slash);
    }
    int last = text.lastIndexOf(':');
    if (last < 0) {
      return null;
    }
    String head = text.substring(0, last);
    int previous = head.lastIndexOf(':');
    String published = previous < 0 ? head : head.substring(previous + 1);
    String ip = previous < 0 ? "" : head.substring(0, previous);
    return published.isEmpty() ? null : ip + ":" + published + "/" + protocol;
  }

  private static String volumeKey(Node node) {
    if (node instanceof MapNode map) {
      return text(map.get("target"));
    }
    String text = text(node);
    if (text == null) {
      return null;
    }
    String[] parts = text.split(":");
    return parts.length == 1 ? parts[0] : parts[1];
  }

  private static String sourceKey(Node node) {
    return node instanceof MapNode map ? text(map.get("source")) : text(node);
  }

  private static String text(Node node) {
    return node instanceof ScalarNode scalar && !scalar.isNull() ? scalar.text() : null;
  }
}
