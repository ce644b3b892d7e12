package io.stackwright.loader.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.stackwright.loader.LoadLimits;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.io.IOException;
import java.io.Reader;
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
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.scanner.ScannerImpl;

/**
 * Reads YAML into {@link Node}s that remember their file, line and column, using Jackson's YAML
 * parser token by token. Jackson reports an alias as a plain string and no anchor for scalars, so
 * this reader resolves anchors, aliases and merge keys ({@code <<}) itself.
 *
 * <p>It is bounded by the load's {@link LoadBudget}: every node and every character of a scalar is
 * counted once per place it appears, aliases expanded (an alias costs what its anchor holds, so a
 * "billion laughs" document or a large scalar aliased many times stops at the limit, while the tree
 * itself shares the aliased nodes); nesting depth and the number of aliases are limited too.
 * SnakeYAML's own limits ({@code LoaderOptions}: aliases for collections, nesting depth, code
 * points) are enforced by its composer, which Jackson does not use, so they are counted here; the
 * code point limit (3 MB by default) is lifted, the file size limit standing for it, and the text
 * is scanned by {@link LinearStreamReader} in time linear in its size.
 */
public final class YamlTreeReader {
  private static final String MERGE_KEY = "<<";

  /** Thread-safe once configured; creating one per file is costly. */
  private static final LocatingYamlFactory FACTORY = new LocatingYamlFactory();

  private final String file;
  private final Diagnostics diagnostics;
  private final LoadBudget budget;
  private final Map<String, Node> anchors = new HashMap<>();

  /** Nodes and scalar characters of each collection, aliases expanded (1 and 0 when absent). */
  private final Map<Node, Long> sizes = new IdentityHashMap<>();

  private final Map<Node, Long> charSizes = new IdentityHashMap<>();
  private String currentPath = "";
  private String content = "";

  private YamlTreeReader(String file, Diagnostics diagnostics, LoadBudget budget) {
    this.file = file;
    this.diagnostics = diagnostics;
    this.budget = budget;
  }

  /** {@link #read(String, String, Diagnostics, LoadBudget)} with the default limits. */
  public static List<Node> read(String file, String content, Diagnostics diagnostics) {
    return read(file, content, diagnostics, LoadBudget.defaults());
  }

  /**
   * Every document of {@code content} in order; empty documents are left out. On a syntax error or
   * a limit passed, the problem is recorded and the documents read so far are returned.
   */
  public static List<Node> read(
      String file, String content, Diagnostics diagnostics, LoadBudget budget) {
    return new YamlTreeReader(file, diagnostics, budget).readAll(content);
  }

  private List<Node> readAll(String content) {
    this.content = content;
    List<Node> documents = new ArrayList<>();
    if (budget.exhausted()) {
      return documents;
    }
    try (JsonParser parser = FACTORY.parser(file, content)) {
      LocatingYamlParser p = (LocatingYamlParser) parser;
      JsonToken token;
      while ((token = p.nextToken()) != null) {
        anchors.clear();
        currentPath = "";
        Node root = readValue(p, token, "", 1);
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

  /** Reads the value starting at {@code token}; {@code null} when a limit was passed. */
  private Node readValue(LocatingYamlParser p, JsonToken token, String path, int depth)
      throws IOException {
    currentPath = path;
    Location at = locate(p.currentTokenLocation());
    if (p.isCurrentAlias()) {
      return alias(p.getText(), at, path);
    }
    if (!budget.nodes(1)) {
      limit(
          at,
          path,
          "the document has more than " + budget.limits().maxNodes() + " nodes, aliases expanded",
          "maxNodes");
      return null;
    }
    String anchor = p.anchor();
    String tag = mergeTag(p, at, path);
    Node node;
    boolean collection = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
    if (collection && depth > budget.limits().maxNestingDepth()) {
      limit(
          at,
          path,
          "the document nests deeper than " + budget.limits().maxNestingDepth() + " levels",
          "maxNestingDepth");
      return null;
    }
    switch (token) {
      case START_OBJECT -> node = readMapping(p, at, path, depth);
      case START_ARRAY -> node = readSequence(p, at, path, depth);
      case VALUE_STRING -> node = ScalarNode.string(at, p.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> node = number(p, token, at);
      case VALUE_TRUE -> node = new ScalarNode(at, Boolean.TRUE, p.getText());
      case VALUE_FALSE -> node = new ScalarNode(at, Boolean.FALSE, p.getText());
      case VALUE_NULL -> node = new ScalarNode(at, null, "");
      default -> node = ScalarNode.string(at, p.getText());
    }
    if (node == null) {
      return null;
    }
    if (node instanceof ScalarNode scalar && !chars(scalar.text().length(), at, path)) {
      return null;
    }
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return tag == null ? node : new Node.Tagged(at, tag, node);
  }

  private Node readMapping(LocatingYamlParser p, Location at, String path, int depth)
      throws IOException {
    // explicit entries, and for each merge key the mappings it names, in file order
    List<Object> parts = new ArrayList<>();
    Map<String, Location> explicit = new LinkedHashMap<>();
    long size = 1;
    long chars = 0;
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_OBJECT) {
      String key = p.currentName();
      Location keyAt = locate(p.currentTokenLocation());
      String childPath = path.isEmpty() ? key : path + "." + key;
      if (!chars(key.length(), keyAt, childPath)) {
        return null;
      }
      Node value = readValue(p, p.nextToken(), childPath, depth + 1);
      if (value == null) {
        return null;
      }
      size += sizeOf(value);
      chars += key.length() + charsOf(value);
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
    return sized(new MapNode(at, entries), size, chars);
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

  private Node readSequence(LocatingYamlParser p, Location at, String path, int depth)
      throws IOException {
    List<Node> items = new ArrayList<>();
    long size = 1;
    long chars = 0;
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      Node item = readValue(p, token, path + "[" + items.size() + "]", depth + 1);
      if (item == null) {
        return null;
      }
      size += sizeOf(item);
      chars += charsOf(item);
      items.add(item);
    }
    return sized(new ListNode(at, items), size, chars);
  }

  private Node alias(String anchor, Location at, String path) {
    Node target = anchors.get(anchor);
    if (target == null) {
      diagnostics.problem(at, path, "unknown anchor '" + anchor + "'");
      return new ScalarNode(at, null, "");
    }
    if (!budget.alias()) {
      limit(
          at,
          path,
          "the files have more than " + budget.limits().maxAliases() + " aliases",
          "maxAliases");
      return null;
    }
    if (!budget.nodes(sizeOf(target))) {
      limit(
          at,
          path,
          "the document has more than " + budget.limits().maxNodes() + " nodes, aliases expanded",
          "maxNodes");
      return null;
    }
    if (!budget.chars(charsOf(target))) {
      limit(
          at,
          path,
          "the model grows past "
              + budget.limits().maxModelChars()
              + " characters, aliases expanded",
          "maxModelChars");
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
    return sized(relocated, sizeOf(target), charsOf(target));
  }

  private boolean chars(long n, Location at, String path) {
    if (budget.chars(n)) {
      return true;
    }
    limit(
        at,
        path,
        "the model grows past " + budget.limits().maxModelChars() + " characters",
        "maxModelChars");
    return false;
  }

  private void limit(Location at, String path, String message, String setting) {
    budget.report(diagnostics, at, path, message + LoadBudget.raise(setting));
  }

  private Node sized(Node node, long size, long chars) {
    if (size > 1) {
      sizes.put(node, size);
    }
    if (chars > 0) {
      charSizes.put(node, chars);
    }
    return node;
  }

  private long sizeOf(Node node) {
    return sizes.getOrDefault(node, 1L);
  }

  private long charsOf(Node node) {
    if (node instanceof ScalarNode scalar) {
      return scalar.text().length();
    }
    return charSizes.getOrDefault(node, 0L);
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
      if (t instanceof ReaderException reader) {
        int[] lineAndColumn = lineAndColumn(reader.getPosition());
        diagnostics.problem(
            new Location(file, lineAndColumn[0], lineAndColumn[1]),
            currentPath,
            String.format(
                "invalid YAML: the character U+%04X is not allowed in a YAML file",
                reader.getCodePoint()));
        return;
      }
      if (t instanceof MarkedYAMLException marked) {
        // a scalar, anchor or tag being scanned is the broken construct: point where it starts
        // (an unclosed quote at its opening line, not at the end of the file)
        boolean scanning =
            marked.getContext() != null
                && marked.getContext().startsWith("while scanning")
                && marked.getContextMark() != null;
        Mark mark =
            scanning || marked.getProblemMark() == null
                ? marked.getContextMark()
                : marked.getProblemMark();
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

  /** 1-based line and column of a code point offset in the content. */
  private int[] lineAndColumn(int position) {
    int line = 1;
    int column = 1;
    int offset = 0;
    for (int i = 0; i < content.length() && offset < position; i++) {
      char c = content.charAt(i);
      if (Character.isHighSurrogate(c)) {
        continue;
      }
      offset++;
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new int[] {line, column};
  }

  /**
   * A Jackson YAML factory whose parser exposes the anchor and tag of the current event and reads
   * its text with {@link LinearStreamReader}. Jackson's own bounds are lifted to those of {@link
   * LoadLimits}, which are checked here with a message that names them.
   */
  private static final class LocatingYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    LocatingYamlFactory() {
      setStreamReadConstraints(
          StreamReadConstraints.builder()
              .maxStringLength(Integer.MAX_VALUE)
              .maxNameLength(Integer.MAX_VALUE)
              .maxNestingDepth(LoadLimits.NESTING_DEPTH_CEILING + 10)
              .maxDocumentLength(-1)
              .build());
    }

    JsonParser parser(String name, String content) throws IOException {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(Integer.MAX_VALUE);
      options.setNestingDepthLimit(LoadLimits.NESTING_DEPTH_CEILING + 10);
      options.setMaxAliasesForCollections(Integer.MAX_VALUE);
      options.setAllowDuplicateKeys(true); // reported here, with both lines
      IOContext context = _createContext(_createContentReference(name), false);
      ParserImpl events =
          new ParserImpl(new ScannerImpl(new LinearStreamReader(name, content), options));
      return new LocatingYamlParser(
          context, _parserFeatures, _yamlParserFeatures, _objectCodec, Reader.nullReader(), events);
    }
  }

  private static final class LocatingYamlParser extends YAMLParser {
    LocatingYamlParser(
        IOContext ctxt,
        int parserFeatures,
        int formatFeatures,
        ObjectCodec codec,
        Reader reader,
        ParserImpl events) {
      super(ctxt, parserFeatures, formatFeatures, codec, reader, events);
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
