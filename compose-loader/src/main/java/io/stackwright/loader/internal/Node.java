package io.stackwright.loader.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node with the location it was read from: the tree the loader works on. Nodes are
 * immutable; interpolation and merging build new ones.
 */
public sealed interface Node permits Node.MapNode, Node.ListNode, Node.ScalarNode, Node.Tagged {

  Location location();

  /** What a user would call this kind of value in an error message. */
  String describe();

  /** One key of a mapping, with where the key itself was written. */
  record Entry(String key, Location keyLocation, Node value) {}

  /** A mapping, in file order. */
  record MapNode(Location location, Map<String, Entry> entries) implements Node {
    public MapNode {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public Node get(String key) {
      Entry entry = entries.get(key);
      return entry == null ? null : entry.value();
    }

    public Entry entry(String key) {
      return entries.get(key);
    }

    public boolean has(String key) {
      return entries.containsKey(key);
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A sequence. */
  record ListNode(Location location, List<Node> items) implements Node {
    public ListNode {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * A scalar: {@code value} is a {@link String}, {@link Long}, {@link java.math.BigInteger}, {@link
   * Double}, {@link Boolean} or {@code null}, as YAML typed it; {@code text} is the scalar as
   * written (after interpolation, for strings); {@code template} is the text before interpolation
   * when interpolation changed it, else {@code null}.
   */
  record ScalarNode(Location location, Object value, String text, String template) implements Node {

    public ScalarNode(Location location, Object value, String text) {
      this(location, value, text, null);
    }

    public static ScalarNode string(Location location, String text) {
      return new ScalarNode(location, text, text, null);
    }

    /**
     * The value as it may appear in a message: the template when it came from variables, so that no
     * variable's value is ever shown.
     */
    public String shown() {
      if (template != null) {
        return "'" + Texts.excerpt(template) + "'";
      }
      return isString() ? "'" + Texts.excerpt(text) + "'" : (value == null ? "null" : text);
    }

    public boolean isNull() {
      return value == null;
    }

    public boolean isString() {
      return value instanceof String;
    }

    @Override
    public String describe() {
      if (value == null) {
        return "null";
      }
      if (value instanceof Boolean) {
        return "a boolean";
      }
      if (value instanceof Number) {
        return "a number";
      }
      return "a string";
    }
  }

  /**
   * A value with one of the merge tags of the Compose specification: {@code !reset} drops the value
   * it would merge with (and itself), {@code !override} replaces that value instead of merging with
   * it. Tags exist only until files, documents and {@code extends} are merged; {@link #untag}
   * removes what is left of them.
   */
  record Tagged(Location location, String tag, Node value) implements Node {
    public static final String RESET = "!reset";
    public static final String OVERRIDE = "!override";

    public boolean isReset() {
      return RESET.equals(tag);
    }

    @Override
    public String describe() {
      return value.describe();
    }
  }

  /**
   * The tree without merge tags: a {@code !reset} value disappears (with its key or list item), an
   * {@code !override} value stands for itself. Returns {@code null} when the node itself is reset.
   */
  static Node untag(Node node) {
    if (node instanceof Tagged tagged) {
      return tagged.isReset() ? null : untag(tagged.value());
    }
    if (node instanceof MapNode map) {
      boolean changed = false;
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (Entry e : map.entries().values()) {
        Node value = untag(e.value());
        changed |= value != e.value();
        if (value != null) {
          entries.put(e.key(), value == e.value() ? e : new Entry(e.key(), e.keyLocation(), value));
        }
      }
      return changed ? new MapNode(map.location(), entries) : map;
    }
    if (node instanceof ListNode list) {
      boolean changed = false;
      List<Node> items = new ArrayList<>();
      for (Node item : list.items()) {
        Node value = untag(item);
        changed |= value != item;
        if (value != null) {
          items.add(value);
        }
      }
      return changed ? new ListNode(list.location(), items) : list;
    }
    return node;
  }

  /** The node as plain Java values: maps, lists, strings, numbers, booleans and nulls. */
  static Object toPlain(Node node) {
    if (node instanceof MapNode map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.entries().forEach((k, e) -> out.put(k, toPlain(e.value())));
      return Collections.unmodifiableMap(out);
    }
    if (node instanceof ListNode list) {
      List<Object> out = new ArrayList<>();
      list.items().forEach(item -> out.add(toPlain(item)));
      return Collections.unmodifiableList(out);
    }
    if (node instanceof Tagged tagged) {
      return toPlain(tagged.value());
    }
    return ((ScalarNode) node).value();
  }
}
