package io.stackwright.loader.internal;

import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Typed reads of nodes. A value of the wrong type or format becomes a problem at the node's
 * location and the read returns {@code null}, so that conversion goes on and reports every problem
 * of the file.
 */
public class NodeReader {
  protected final Diagnostics diagnostics;

  public NodeReader(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  protected void problem(Node node, String path, String message) {
    diagnostics.problem(node == null ? null : node.location(), path, message);
  }

  protected static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  protected static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  protected static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode s && s.isNull());
  }

  /**
   * Logs one warning naming the keys of {@code map} that are not in {@code supported}: keys of the
   * Compose specification (the schema has accepted them) that the stack model cannot represent.
   * They stay in the loaded model ({@code config} prints them) but do not reach the {@code
   * StackSpec}. {@code ignored} names keys known not to be represented; any other key not supported
   * is treated the same way.
   */
  protected void checkKeys(
      MapNode map, String path, Set<String> supported, Set<String> ignored, boolean extensions) {
    Set<String> present = new TreeSet<>();
    for (Entry entry : map.entries().values()) {
      String key = entry.key();
      if (supported.contains(key) || (extensions && key.startsWith("x-"))) {
        continue;
      }
      present.add(key);
    }
    if (!present.isEmpty()) {
      diagnostics.warn(
          map.entry(present.iterator().next()).keyLocation(),
          path,
          "kept in the model but not represented in the stack: " + String.join(", ", present));
    }
  }

  /**
   * Reports every key of {@code map} that {@code known} does not list, each at its key, in the one
   * format every {@code x-stackwright} section shares: the unknown key, the nearest known one when
   * it is a likely typo, and the keys allowed there. Returns whether any key was unknown.
   */
  protected boolean unknownKeys(MapNode map, String path, Set<String> known) {
    boolean unknown = false;
    for (Entry e : map.entries().values()) {
      if (!known.contains(e.key())) {
        diagnostics.problem(
            e.keyLocation(),
            child(path, e.key()),
            KeySuggestions.unknownKey(e.key(), known)
                + "; expected one of "
                + String.join(", ", new TreeSet<>(known)));
        unknown = true;
      }
    }
    return unknown;
  }

  /** A mapping; {@code null} (the YAML value) is an empty mapping. */
  protected MapNode mapping(Node node, String path) {
    if (node instanceof MapNode map) {
      return map;
    }
    if (isNull(node)) {
      return new MapNode(node == null ? null : node.location(), Map.of());
    }
    problem(node, path, "must be a mapping, not " + node.describe());
    return null;
  }

  protected ListNode list(Node node, String path) {
    if (node instanceof ListNode list) {
      return list;
    }
    if (isNull(node)) {
      return new ListNode(node == null ? null : node.location(), List.of());
    }
    problem(node, path, "must be a list, not " + node.describe());
    return null;
  }

  /** The text of a scalar of any type; {@code null} for a YAML null or a wrong type. */
  protected String string(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar) {
      return scalar.text();
    }
    problem(node, path, "must be a string, not " + node.describe());
    return null;
  }

  /** A string that must be there and not be blank. */
  protected String requiredString(Node node, String path, Node owner, String what) {
    if (isNull(node)) {
      problem(node == null ? owner : node, path, what + " is required");
      return null;
    }
    String text = string(node, path);
    if (text != null && text.isBlank()) {
      problem(node, path, what + " must not be empty");
      return null;
    }
    return text;
  }

  protected Long longValue(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar) {
      if (scalar.value() instanceof Long l) {
        return l;
      }
      if (scalar.value() instanceof String s) {
        try {
          return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      if (scalar.value() instanceof BigInteger) {
        problem(node, path, "number " + scalar.text() + " is too large");
        return null;
      }
    }
    problem(node, path, "must be an integer, not " + quoted(node));
    return null;
  }

  protected Integer integer(Node node, String path) {
    Long value = longValue(node, path);
    if (value == null) {
      return null;
    }
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      problem(node, path, "number " + value + " is too large");
      return null;
    }
    return value.intValue();
  }

  protected Integer nonNegative(Node node, String path) {
    Integer value = integer(node, path);
    if (value != null && value < 0) {
      problem(node, path, "must be 0 or more, not " + value);
      return null;
    }
    return value;
  }

  protected Double number(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar && !(scalar.value() instanceof Boolean)) {
      if (scalar.value() instanceof Number n) {
        return n.doubleValue();
      }
      try {
        return Double.parseDouble(scalar.text().strip());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problem(node, path, "must be a number, not " + quoted(node));
    return null;
  }

  protected Boolean bool(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar) {
      if (scalar.value() instanceof Boolean b) {
        return b;
      }
      if (scalar.value() instanceof String s) {
        switch (s.strip().toLowerCase(Locale.ROOT)) {
          case "true", "yes", "y", "on":
            return true;
          case "false", "no", "n", "off":
            return false;
          default:
            break;
        }
      }
    }
    problem(node, path, "must be a boolean (true or false), not " + quoted(node));
    return null;
  }

  protected Duration duration(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar && !(scalar.value() instanceof Boolean)) {
      try {
        return Units.duration(scalar.text());
      } catch (IllegalArgumentException e) {
        problem(node, path, "invalid duration " + quoted(node) + " (" + e.getMessage() + ")");
        return null;
      }
    }
    problem(node, path, "must be a duration such as 10s or 1m30s, not " + quoted(node));
    return null;
  }

  protected Long byteSize(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar && !(scalar.value() instanceof Boolean)) {
      if (scalar.value() instanceof Long l && l < 0) {
        problem(node, path, "must be greater than or equal to 0, not " + l);
        return null;
      }
      try {
        return Units.bytes(scalar.text());
      } catch (IllegalArgumentException e) {
        problem(node, path, "invalid byte size " + quoted(node) + " (" + e.getMessage() + ")");
        return null;
      }
    }
    problem(node, path, "must be a byte size such as 512m or 1g, not " + quoted(node));
    return null;
  }

  /** A list of scalars. */
  protected List<String> stringList(Node node, String path) {
    ListNode list = list(node, path);
    if (list == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.items().size(); i++) {
      String text = string(list.items().get(i), index(path, i));
      if (text != null) {
        out.add(text);
      }
    }
    return out;
  }

  /** A string (one element) or a list of strings. */
  protected List<String> stringOrList(Node node, String path) {
    if (node instanceof ScalarNode scalar && !scalar.isNull()) {
      return List.of(scalar.text());
    }
    return stringList(node, path);
  }

  /**
   * A mapping of strings, or a list of {@code KEY=value} (a bare {@code KEY} maps to {@code null}).
   * Mapping values that are null stay {@code null}; numbers and booleans become their text.
   */
  protected Map<String, String> listOrMap(Node node, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (isNull(node)) {
      return out;
    }
    if (node instanceof ListNode list) {
      for (int i = 0; i < list.items().size(); i++) {
        Node item = list.items().get(i);
        String text = string(item, index(path, i));
        if (text == null) {
          continue;
        }
        int eq = text.indexOf('=');
        String key = eq < 0 ? text : text.substring(0, eq);
        if (!key.equals(key.strip())) {
          problem(
              item,
              index(path, i),
              (path.endsWith(".environment") ? "environment variable " + key : "'" + key + "'")
                  + " is declared with "
                  + (key.startsWith(" ") ? "a leading" : "a trailing")
                  + " space");
          continue;
        }
        out.put(key, eq < 0 ? null : text.substring(eq + 1));
      }
      return out;
    }
    if (node instanceof MapNode map) {
      for (Entry entry : map.entries().values()) {
        Node value = entry.value();
        if (value instanceof ScalarNode scalar) {
          out.put(entry.key(), scalar.isNull() ? null : scalar.text());
        } else {
          problem(
              value,
              child(path, entry.key()),
              "must be a string, a number, a boolean or null, not " + value.describe());
        }
      }
      return out;
    }
    problem(node, path, "must be a mapping or a list, not " + node.describe());
    return out;
  }

  /** Runs a conversion whose model constructor may reject the values, as a problem at node. */
  protected <T> T guard(Node node, String path, Supplier<T> conversion) {
    try {
      return conversion.get();
    } catch (io.stackwright.api.InvalidSpecException e) {
      // the model's own checks: every problem, at this node, under this path
      for (io.stackwright.api.SpecProblem p : e.problems()) {
        String at = under(path, p.path());
        // a value the loader already found wrong (a failed variable, say) is not reported again
        if (diagnostics.problems().stream().noneMatch(q -> q.path().equals(at))) {
          diagnostics.problem(locate(node, path, at), at, p.message());
        }
      }
      return null;
    } catch (IllegalArgumentException | NullPointerException e) {
      problem(node, path, e.getMessage() == null ? "invalid value" : e.getMessage());
      return null;
    }
  }

  /** Where a path below a node's is written: the key under the node, else the node. */
  private static Location locate(Node node, String path, String at) {
    if (node instanceof MapNode map && at.startsWith(path + ".")) {
      String key = at.substring(path.length() + 1).split("[.\\[]", 2)[0];
      Entry entry = map.entry(key);
      if (entry != null) {
        return entry.keyLocation();
      }
    }
    return node == null ? null : node.location();
  }

  /**
   * A model problem's path under the node's: the model's paths are relative to the value checked
   * ({@code published}), may repeat the node's last key ({@code healthcheck.interval} under {@code
   * services.web.healthcheck}), or be whole ({@code services.web.image}).
   */
  static String under(String base, String relative) {
    if (relative.isEmpty() || relative.equals(base)) {
      return base;
    }
    if (base.isEmpty() || relative.startsWith(base + ".") || relative.startsWith(base + "[")) {
      return relative;
    }
    String first = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
    if (relative.startsWith(first + ".")) {
      return relative;
    }
    String last = base.substring(base.lastIndexOf('.') + 1);
    if (relative.equals(last)
        || relative.startsWith(last + ".")
        || relative.startsWith(last + "[")) {
      return base + relative.substring(last.length());
    }
    return base + "." + relative;
  }

  /** The node as a message may show it (never the value of a variable). */
  protected static String quoted(Node node) {
    return node instanceof ScalarNode scalar ? scalar.shown() : node.describe();
  }
}
