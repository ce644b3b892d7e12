package io.stackwright.loader.internal;

import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.util.List;

/**
 * Labels under {@code com.docker.} and {@code io.stackwright.} are written by Stackwright (and the
 * Docker CLIs, whose labels it also writes) to say which stack, service and version a resource
 * belongs to. A file that set them could claim another stack's resources ({@code
 * com.docker.stack.namespace: other}), so they are refused as invalid input, in every load.
 */
final class ReservedLabels {
  static final List<String> PREFIXES = List.of("com.docker.", "io.stackwright.");

  private ReservedLabels() {}

  static boolean reserved(String key) {
    for (String prefix : PREFIXES) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Records a problem for each reserved key of a labels mapping or {@code key=value} list. */
  static void check(Node node, String path, Diagnostics diagnostics) {
    node = Node.untag(node);
    if (node instanceof MapNode map) {
      for (Entry e : map.entries().values()) {
        if (reserved(e.key())) {
          diagnostics.problem(
              e.keyLocation(), path.isEmpty() ? e.key() : path + "." + e.key(), message(e.key()));
        }
      }
    } else if (node instanceof ListNode list) {
      for (int i = 0; i < list.items().size(); i++) {
        if (list.items().get(i) instanceof ScalarNode s && !s.isNull()) {
          String key = s.text().split("=", 2)[0];
          if (reserved(key)) {
            diagnostics.problem(s.location(), path + "[" + i + "]", message(key));
          }
        }
      }
    }
  }

  static String message(String key) {
    return "label "
        + Texts.excerpt(key)
        + " is reserved: labels under com.docker. and io.stackwright. are set by Stackwright, not by a Compose file";
  }
}
