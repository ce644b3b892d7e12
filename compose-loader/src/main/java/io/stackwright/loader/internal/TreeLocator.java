package io.stackwright.loader.internal;

import io.stackwright.api.SpecProblem;
import io.stackwright.api.SpecSources;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import io.stackwright.loader.internal.Node.Tagged;

/**
 * Locates a key path ({@code services.web.cap_add[0]}, {@code services.web.networks.back}) in the
 * merged tree the stack was converted from, so problems found after loading (admission, platforms)
 * point at file, line and column. Keys may hold dots (label keys): at each mapping the longest key
 * that starts the rest of the path wins. A path that goes deeper than the tree (a default the file
 * did not write) points at the deepest key that is there.
 */
final class TreeLocator implements SpecSources.Locator {
  private final MapNode root;

  TreeLocator(MapNode root) {
    this.root = root;
  }

  @Override
  public SpecProblem locate(SpecProblem problem) {
    Location at = find(problem.path());
    if (at == null || at.file() == null) {
      return problem;
    }
    return new SpecProblem(at.file(), at.line(), at.column(), problem.path(), problem.message());
  }

  Location find(String path) {
    if (path == null || path.isEmpty()) {
      return null;
    }
    Node node = root;
    Location best = null;
    String rest = path;
    while (!rest.isEmpty() && node != null) {
      if (node instanceof Tagged tagged) {
        node = tagged.value();
        continue;
      }
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        if (!(node instanceof ListNode list) || close < 0) {
          break;
        }
        int index;
        try {
          index = Integer.parseInt(rest.substring(1, close));
        } catch (NumberFormatException e) {
          break;
        }
        if (index < 0 || index >= list.items().size()) {
          break;
        }
        node = list.items().get(index);
        best = node.location();
        rest = strip(rest.substring(close + 1));
      } else if (node instanceof MapNode map) {
        Entry match = null;
        for (Entry entry : map.entries().values()) {
          String key = entry.key();
          if ((rest.equals(key) || rest.startsWith(key + ".") || rest.startsWith(key + "["))
              && (match == null || key.length() > match.key().length())) {
            match = entry;
          }
        }
        if (match == null) {
          break;
        }
        best = match.keyLocation();
        node = match.value();
        rest = strip(rest.substring(match.key().length()));
      } else if (node instanceof ListNode list) {
        // a list of names (networks: [back]): the item whose text starts the rest
        Node match = null;
        for (Node item : list.items()) {
          if (item instanceof ScalarNode s
              && s.text() != null
              && (rest.equals(s.text()) || rest.startsWith(s.text() + "."))) {
            match = item;
          }
        }
        if (match == null) {
          break;
        }
        best = match.location();
        rest = strip(rest.substring(((ScalarNode) match).text().length()));
        node = null;
      } else {
        break;
      }
    }
    return best;
  }

  private static String strip(String rest) {
    return rest.startsWith(".") ? rest.substring(1) : rest;
  }
}
