package io.stackwright.core.compose.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.stackwright.core.compose.internal.Node.Entry;
import io.stackwright.core.compose.internal.Node.ListNode;
import io.stackwright.core.compose.internal.Node.MapNode;
import io.stackwright.core.compose.internal.Node.ScalarNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reads YAML into {@link Node}s that remember their file, line and column, using Jackson's YAML
 * parser token by token. Jackson reports an alias as a plain string and no anchor for scalars, so
 * this reader resolves anchors, aliases and merge keys ({@code <<}) itself.
 */
public final class YamlTreeReader {
  /** Stops "billion laughs" documents: the most nodes one document may expand to. */
  static final int MAX_NODES = 1_000_000;

  private static final String MERGE_KEY = "<<";

  /** Thread-safe once configured; creating one per file is costly. */
  private static final LocatingYamlFactory FACTORY = new LocatingYamlFactory();

  private final String file;
  private final Diagnostics diagnostics;
  private final Map<String, Node> anchors = new HashMap<>();
  private final Map<Node, Integer> sizes = new IdentityHashMap<>();
  private long expanded;
  private String currentPath = "";

  private YamlTreeReader(String file, Diagnostics diagnostics) {
    this.file = file;
    this.diagnostics = diagnostics;
  }

  /**
   * Every document of {@code content} in order; empty documents are left out. On a syntax error,
   * the problem is recorded and the documents read so far are returned.
   */
  public static List<Node> read(String file, String content, Diagnostics diagnostics) {
    return new YamlTreeReader(file, diagnostics).readAll(content);
  }

  private List<Node> readAll(String content) {
    List<Node> documents = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(new StringReader(content))) {
      LocatingYamlParser p = (LocatingYamlParser) parser;
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        anchors.clear();
        expanded = 0;
        currentPath = "";
        Node root = readValue(p, token, "");
        if (root == null) {
          return documents;
        }
        if (!(root instanceof ScalarNode scalar && scalar.isNull())) {
          documents.add(root);
        }
      }
    } catch (JsonProcessingException e) {
      syntaxError(e);
    } catch (IOException e) {
      diagnostics.problem(Location.file(file), currentPath, "cannot be read: " + e.getMessage());
    }
    return documents;
  }

  /** Reads the value starting at {@code token}; {@code null} when the document is too large. */
  private Node readValue(LocatingYamlParser p, JsonToken token, String path) throws IOException {
    currentPath = path;
    Location at = locate(p.currentTokenLocation());
    String anchor = p.anchor();
    String tag = mergeTag(p, at, path);
    Node node;
    switch (token) {
      case START_OBJECT -> node = readMapping(p, at, path);
      case START_ARRAY -> node = readSequence(p, at, path);
      case VALUE_STRING -> {
        if (p.isCurrentAlias()) {
          return alias(p.getText(), at, path);
        }
        node = ScalarNode.string(at, p.getText());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> node = number(p, token, at);
      case VALUE_TRUE -> node = new ScalarNode(at, Boolean.TRUE, p.getText());
      case VALUE_FALSE -> node = new ScalarNode(at, Boolean.FALSE, p.getText());
      case VALUE_NULL -> node = new ScalarNode(at, null, "");
      default -> node = ScalarNode.string(at, p.getText());
    }
    if (node == null) {
      return null;
    }
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return tag == null ? node : new Node.Tagged(at, tag, node);
  }

  private Node readMapping(LocatingYamlParser p, Location at, String path) throws IOException {
    // explicit entries, and for each merge key the mappings it names, in file order
    List<Object> parts = new ArrayList<>();
    Map<String, Location> explicit = new LinkedHashMap<>();
    int size = 1;
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_OBJECT) {
      String key = p.currentName();
      Location keyAt = locate(p.currentTokenLocation());
      String childPath = path.isEmpty() ? key : path + "." + key;
      Node value = readValue(p, p.nextToken(), childPath);
      if (value == null) {
        return null;
      }
      size += sizeOf(value);
      if (MERGE_KEY.equals(key)) {
        parts.addAll(mergeSources(value, childPath));
        continue;
      }
      Location first = explicit.putIfAbsent(key, keyAt);
      if (first != null) {
        diagnostics.problem(
            keyAt,
            childPath,
            "duplicate key '" + key + "' (first defined at line " + first.line() + ")");
        continue;
      }
      parts.add(new Entry(key, keyAt, value));
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    Set<String> merged = new HashSet<>();
    for (Object part : parts) {
      if (part instanceof Entry entry) {
        entries.put(entry.key(), entry);
      } else {
        for (Entry entry : ((MapNode) part).entries().values()) {
          if (!explicit.containsKey(entry.key()) && merged.add(entry.key())) {
            entries.put(entry.key(), entry);
          }
        }
      }
    }
    return sized(new MapNode(at, entries), size);
  }

  private List<MapNode> mergeSources(Node value, String path) {
    List<MapNode> sources = new ArrayList<>();
    if (value instanceof MapNode map) {
      sources.add(map);
    } else if (value instanceof ListNode list
        && list.items().stream().allMatch(item -> item instanceof MapNode)) {
      list.items().forEach(item -> sources.add((MapNode) item));
    } else {
      diagnostics.problem(
          value.location(),
          path,
          "a merge key needs a mapping or a list of mappings, found " + value.describe());
    }
    return sources;
  }

  private Node readSequence(LocatingYamlParser p, Location at, String path) throws IOException {
    List<Node> items = new ArrayList<>();
    int size = 1;
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      Node item = readValue(p, token, path + "[" + items.size() + "]");
      if (item == null) {
        return null;
      }
      size += sizeOf(item);
      items.add(item);
    }
    return sized(new ListNode(at, items), size);
  }

  private Node alias(String anchor, Location at, String path) {
    Node target = anchors.get(anchor);
    if (target == null) {
      diagnostics.problem(at, path, "unknown anchor '" + anchor + "'");
      return new ScalarNode(at, null, "");
    }
    expanded += sizeOf(target);
    if (expanded > MAX_NODES) {
      diagnostics.problem(
          at, path, "the aliases of this document expand to more than " + MAX_NODES + " nodes");
      return null;
    }
    // the alias itself is located where it is used; what it contains, where it is written
    Node relocated;
    if (target instanceof MapNode map) {
      relocated = new MapNode(at, map.entries());
    } else if (target instanceof ListNode list) {
      relocated = new ListNode(at, list.items());
    } else {
      ScalarNode scalar = (ScalarNode) target;
      relocated = new ScalarNode(at, scalar.value(), scalar.text());
    }
    return sized(relocated, sizeOf(target));
  }

  private Node sized(Node node, int size) {
    if (size > 1) {
      sizes.put(node, size);
    }
    return node;
  }

  private int sizeOf(Node node) {
    return sizes.getOrDefault(node, 1);
  }

  /**
   * {@code !reset} or {@code !override} when the current value has one of these tags; other local
   * tags are warned about and ignored.
   */
  private String mergeTag(LocatingYamlParser p, Location at, String path) {
    String tag = p.tag();
    if (tag == null || !tag.startsWith("!") || tag.startsWith("!!")) {
      return null;
    }
    if (tag.equals(Node.Tagged.RESET) || tag.equals(Node.Tagged.OVERRIDE)) {
      return tag;
    }
    diagnostics.warn(
        at, path, "YAML tag " + tag + " is not supported; the value is used as written");
    return null;
  }

  /** A number as YAML typed it; one Jackson cannot decode ({@code .inf}, {@code .nan}) as text. */
  private static Node number(JsonParser p, JsonToken token, Location at) throws IOException {
    String text = p.getText();
    try {
      Object value =
          token == JsonToken.VALUE_NUMBER_INT ? integer(p.getNumberValue()) : p.getDoubleValue();
      return new ScalarNode(at, value, text);
    } catch (JsonProcessingException | NumberFormatException e) {
      return ScalarNode.string(at, text);
    }
  }

  private static Object integer(Number number) {
    if (number instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    return number.longValue();
  }

  private Location locate(JsonLocation location) {
    return new Location(file, location.getLineNr(), location.getColumnNr());
  }

  private void syntaxError(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked) {
        Mark mark =
            marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
        String message =
            (marked.getContext() == null ? "" : marked.getContext() + ": ")
                + (marked.getProblem() == null ? "invalid YAML" : marked.getProblem());
        diagnostics.problem(
            mark == null
                ? Location.file(file)
                : new Location(file, mark.getLine() + 1, mark.getColumn() + 1),
            currentPath,
            "invalid YAML: " + message.replace('\n', ' '));
        return;
      }
    }
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Expected a field name")) {
      message = "mapping keys must be scalars";
    }
    JsonLocation location = e.getLocation();
    diagnostics.problem(
        location == null ? Location.file(file) : locate(location),
        currentPath,
        "invalid YAML: " + message);
  }

  /** A Jackson YAML factory whose parser exposes the anchor and tag of the current event. */
  private static final class LocatingYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    @Override
    protected YAMLParser _createParser(Reader r, IOContext ctxt) throws IOException {
      return new LocatingYamlParser(
          ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
    }
  }

  private static final class LocatingYamlParser extends YAMLParser {
    LocatingYamlParser(
        IOContext ctxt,
        int parserFeatures,
        int formatFeatures,
        LoaderOptions options,
        ObjectCodec codec,
        Reader reader) {
      super(ctxt, parserFeatures, formatFeatures, options, codec, reader);
    }

    String anchor() {
      Event event = _lastEvent;
      return event instanceof NodeEvent node && !isCurrentAlias() ? node.getAnchor() : null;
    }

    String tag() {
      Event event = _lastEvent;
      if (event instanceof ScalarEvent scalar) {
        return scalar.getTag();
      }
      if (event instanceof CollectionStartEvent collection) {
        return collection.getTag();
      }
      return null;
    }
  }
}
