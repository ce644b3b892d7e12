package io.stackwright.loader.internal;

import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Applies {@link Interpolator} to every string value of a tree (keys are left as written). */
final class TreeInterpolator {
  private final Function<String, String> lookup;
  private final Diagnostics diagnostics;
  private final Set<String> warned;
  private final LoadBudget budget;

  /**
   * @param warned the variables already reported as unset in this load, so each is logged once
   */
  TreeInterpolator(
      Function<String, String> lookup,
      Diagnostics diagnostics,
      Set<String> warned,
      LoadBudget budget) {
    this.lookup = lookup;
    this.diagnostics = diagnostics;
    this.warned = warned;
    this.budget = budget;
  }

  /** Whether interpolation may change the node: a string with a '$', or a collection. */
  private static boolean mayChange(Node node) {
    return !(node instanceof ScalarNode scalar)
        || (scalar.isString() && scalar.text().indexOf('$') >= 0);
  }

  Node interpolate(Node node, String path) {
    if (budget.exhausted()) {
      return node;
    }
    if (node instanceof MapNode map) {
      Map<String, Entry> entries = null;
      for (Entry e : map.entries().values()) {
        Node value = e.value();
        Node interpolated =
            mayChange(value)
                ? interpolate(value, path.isEmpty() ? e.key() : path + "." + e.key())
                : value;
        if (interpolated != value && entries == null) {
          entries = new LinkedHashMap<>(map.entries());
        }
        if (entries != null) {
          entries.put(e.key(), new Entry(e.key(), e.keyLocation(), interpolated));
        }
      }
      return entries == null ? map : new MapNode(map.location(), entries);
    }
    if (node instanceof ListNode list) {
      List<Node> items = null;
      for (int i = 0; i < list.items().size(); i++) {
        Node item = list.items().get(i);
        Node interpolated = mayChange(item) ? interpolate(item, path + "[" + i + "]") : item;
        if (interpolated != item && items == null) {
          items = new ArrayList<>(list.items());
        }
        if (items != null) {
          items.set(i, interpolated);
        }
      }
      return items == null ? list : new ListNode(list.location(), items);
    }
    if (node instanceof Node.Tagged tagged) {
      return new Node.Tagged(tagged.location(), tagged.tag(), interpolate(tagged.value(), path));
    }
    ScalarNode scalar = (ScalarNode) node;
    if (!scalar.isString() || scalar.text().indexOf('$') < 0) {
      return scalar;
    }
    Interpolator interpolator =
        new Interpolator(
            lookup,
            variable -> {
              if (warned.add(variable)) {
                diagnostics.warn(
                    scalar.location(),
                    path,
                    "the \"" + variable + "\" variable is not set. Defaulting to a blank string.");
              }
            },
            budget);
    try {
      String text = interpolator.interpolate(scalar.text());
      return text.equals(scalar.text())
          ? scalar
          : new ScalarNode(scalar.location(), text, text, scalar.text());
    } catch (Interpolator.LimitException e) {
      budget.report(diagnostics, scalar.location(), path, e.getMessage());
      return scalar;
    } catch (Interpolator.InterpolationException e) {
      diagnostics.problem(scalar.location(), path, e.getMessage());
      diagnostics.failedAt(path);
      return scalar;
    }
  }
}
