package io.stackwright.loader.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates a merged, interpolated Compose tree against the Compose Specification's JSON schema
 * ({@code compose-spec.json}, which the build copies next to this class) with networknt's
 * json-schema-validator, and turns each violation into a problem at the line of the offending node,
 * in plain words: what was found and what was expected. Alternatives ({@code oneOf}) are reduced to
 * the one the value was meant to be (the one of its type), or to one "found X, expected Y or Z".
 */
final class SchemaValidator {
  private static final String RESOURCE = "compose-spec.json";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static volatile Loaded loaded;

  private record Loaded(JsonSchema schema, JsonNode json) {}

  private SchemaValidator() {}

  private static Loaded loaded() {
    Loaded l = loaded;
    if (l == null) {
      synchronized (SchemaValidator.class) {
        l = loaded;
        if (l == null) {
          l = load();
          loaded = l;
        }
      }
    }
    return l;
  }

  private static Loaded load() {
    ObjectNode json;
    try (InputStream in = SchemaValidator.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the Compose schema "
                + RESOURCE
                + " is missing from the classpath (the build copies it from compose-loader/src/schema)");
      }
      json = (ObjectNode) new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Compose schema", e);
    }
    // pre_start hooks are in the specification and compose-go's schema, not yet in this one:
    // they take the form of post_start
    JsonNode serviceProperties = json.at("/definitions/service/properties");
    if (serviceProperties instanceof ObjectNode properties
        && properties.has("post_start")
        && !properties.has("pre_start")) {
      properties.set("pre_start", properties.get("post_start").deepCopy());
    }
    // The file names itself with a relative $id and a $schema without '#': validate it as draft 7.
    json.remove("$schema");
    json.remove("$id");
    JsonMetaSchema meta =
        JsonMetaSchema.builder(JsonMetaSchema.getV7())
            .keyword(new NonValidationKeyword("deprecated"))
            .build();
    JsonSchemaFactory factory =
        JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7))
            .metaSchema(meta)
            .build();
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH)
            .formatAssertionsEnabled(false)
            .build();
    JsonSchema schema = factory.getSchema(json, config);
    schema.initializeValidators();
    return new Loaded(schema, json);
  }

  /** Loads the schema now (it is otherwise loaded on the first validation). */
  static void warmUp() {
    loaded();
  }

  /** Records a problem for each violation of the schema in {@code root}. */
  static List<String> validate(MapNode root, Diagnostics diagnostics) {
    Loaded l = loaded();
    Set<ValidationMessage> messages = l.schema().validate(toJson(root));
    List<String> paths = new ArrayList<>();
    if (messages.isEmpty()) {
      return paths;
    }
    List<ValidationMessage> sorted = new ArrayList<>(messages);
    sorted.sort(Comparator.comparing(m -> m.getEvaluationPath().toString()));
    Set<String> reported = new LinkedHashSet<>();
    for (Violation v : reduce(sorted)) {
      Problem problem = describe(v, root, l.json());
      if (reported.add(problem.path() + "\u0000" + problem.message())) {
        diagnostics.problem(problem.at(), problem.path(), problem.message());
        paths.add(problem.path());
      }
    }
    return paths;
  }

  private record Problem(Location at, String path, String message) {}

  // ------------------------------------------------------------------ alternatives

  private static boolean isAlternative(ValidationMessage m) {
    return "oneOf".equals(m.getType()) || "anyOf".equals(m.getType());
  }

  /** The violations to report: each failed alternative replaced by what explains it best. */
  private static List<Violation> reduce(List<ValidationMessage> messages) {
    List<Violation> out = new ArrayList<>();
    for (ValidationMessage m : messages) {
      if (nestedInAlternative(m, messages)) {
        continue;
      }
      if (isAlternative(m)) {
        out.addAll(alternatives(m, messages));
      } else {
        out.add(new Violation(m, null));
      }
    }
    return out;
  }

  private static boolean nestedInAlternative(ValidationMessage m, List<ValidationMessage> all) {
    String eval = m.getEvaluationPath().toString();
    for (ValidationMessage o : all) {
      if (o != m && isAlternative(o) && eval.startsWith(o.getEvaluationPath().toString() + "[")) {
        return true;
      }
    }
    return false;
  }

  private static List<Violation> alternatives(
      ValidationMessage alternative, List<ValidationMessage> all) {
    String prefix = alternative.getEvaluationPath().toString() + "[";
    Map<Integer, List<ValidationMessage>> branches = new TreeMap<>();
    for (ValidationMessage m : all) {
      String eval = m.getEvaluationPath().toString();
      if (m != alternative && eval.startsWith(prefix)) {
        int end = eval.indexOf(']', prefix.length());
        try {
          int branch = Integer.parseInt(eval.substring(prefix.length(), end));
          branches.computeIfAbsent(branch, k -> new ArrayList<>()).add(m);
        } catch (RuntimeException e) {
          // not a branch index: ignore
        }
      }
    }
    if (branches.isEmpty()) {
      // more than one alternative matched, or none said why
      return List.of(new Violation(alternative, null));
    }
    JsonNodePath at = alternative.getInstanceLocation();
    List<List<ValidationMessage>> candidates = new ArrayList<>();
    for (List<ValidationMessage> branch : branches.values()) {
      boolean wrongType =
          branch.stream()
              .anyMatch(m -> "type".equals(m.getType()) && m.getInstanceLocation().equals(at));
      if (!wrongType) {
        candidates.add(branch);
      }
    }
    if (candidates.isEmpty()) {
      // the value has none of the types the alternatives accept: one message for all of them
      List<ValidationMessage> types = new ArrayList<>();
      branches
          .values()
          .forEach(b -> b.stream().filter(m -> "type".equals(m.getType())).forEach(types::add));
      return List.of(merged(types));
    }
    candidates.sort(Comparator.comparingInt(List::size));
    return reduce(candidates.get(0));
  }

  /** One "type" violation whose expected types are those of every alternative. */
  private static Violation merged(List<ValidationMessage> types) {
    ArrayNode expected = JSON.arrayNode();
    Set<String> seen = new LinkedHashSet<>();
    for (ValidationMessage m : types) {
      JsonNode node = m.getSchemaNode();
      if (node != null && node.isArray()) {
        node.forEach(t -> seen.add(t.asText()));
      } else if (node != null) {
        seen.add(node.asText());
      }
    }
    seen.forEach(expected::add);
    return new Violation(types.get(0), expected);
  }

  /** A violation to report; {@code expected} replaces the schema node of a merged type error. */
  private record Violation(ValidationMessage m, JsonNode expected) {
    JsonNode schemaNode() {
      return expected != null ? expected : m.getSchemaNode();
    }
  }

  // ------------------------------------------------------------------ messages

  private static Problem describe(Violation v, MapNode root, JsonNode schema) {
    ValidationMessage m = v.m();
    JsonNodePath instance = m.getInstanceLocation();
    String path = path(instance);
    Node node = find(root, instance);
    Location at = node == null ? root.location() : node.location();
    String type = m.getType() == null ? "" : m.getType();
    switch (type) {
      case "type":
        return new Problem(
            at, path, "must be " + expectedTypes(v.schemaNode()) + " (found " + found(node) + ")");
      case "additionalProperties":
        {
          String key = m.getProperty();
          if (key == null && m.getArguments() != null && m.getArguments().length > 0) {
            key = String.valueOf(m.getArguments()[0]);
          }
          Location keyAt = at;
          if (node instanceof MapNode map && map.entry(key) != null) {
            keyAt = map.entry(key).keyLocation();
          }
          String suggestion = KeySuggestions.suggestion(key, knownKeys(m, schema));
          return new Problem(
              keyAt,
              child(path, key),
              "additional properties '" + key + "' not allowed" + suggestion);
        }
      case "required":
        {
          String key = m.getProperty();
          if (key == null && m.getArguments() != null && m.getArguments().length > 0) {
            key = String.valueOf(m.getArguments()[0]);
          }
          return new Problem(at, path, "'" + key + "' is required");
        }
      case "enum":
        {
          List<String> values = new ArrayList<>();
          m.getSchemaNode().forEach(value -> values.add(value.asText()));
          return new Problem(
              at,
              path,
              "must be one of " + String.join(", ", values) + " (found " + found(node) + ")");
        }
      case "const":
        return new Problem(
            at, path, "must be " + m.getSchemaNode() + " (found " + found(node) + ")");
      case "minimum":
        return new Problem(
            at,
            path,
            "must be greater than or equal to "
                + m.getSchemaNode().asText()
                + " (found "
                + found(node)
                + ")");
      case "maximum":
        return new Problem(
            at,
            path,
            "must be less than or equal to "
                + m.getSchemaNode().asText()
                + " (found "
                + found(node)
                + ")");
      case "exclusiveMinimum":
        return new Problem(
            at,
            path,
            "must be greater than " + m.getSchemaNode().asText() + " (found " + found(node) + ")");
      case "pattern":
        return new Problem(
            at,
            path,
            "must match the pattern "
                + m.getSchemaNode().asText()
                + " (found "
                + found(node)
                + ")");
      case "uniqueItems":
        return new Problem(at, path, "must not contain the same item twice");
      case "minItems":
        return new Problem(
            at, path, "must have at least " + m.getSchemaNode().asText() + " item(s)");
      case "minProperties":
        return new Problem(
            at, path, "must have at least " + m.getSchemaNode().asText() + " key(s)");
      case "oneOf":
        return new Problem(at, path, "matches more than one of the forms this key accepts");
      case "not":
        return new Problem(at, path, "is not allowed here (found " + found(node) + ")");
      default:
        {
          String message = m.getMessage();
          int colon = message.indexOf(": ");
          return new Problem(at, path, colon >= 0 ? message.substring(colon + 2) : message);
        }
    }
  }

  private static String expectedTypes(JsonNode schemaNode) {
    List<String> words = new ArrayList<>();
    if (schemaNode != null && schemaNode.isArray()) {
      schemaNode.forEach(t -> words.add(typeWord(t.asText())));
    } else if (schemaNode != null) {
      words.add(typeWord(schemaNode.asText()));
    }
    List<String> unique = new ArrayList<>(new LinkedHashSet<>(words));
    if (unique.contains("a number") && unique.contains("an integer")) {
      unique.remove("an integer");
    }
    if (unique.isEmpty()) {
      return "another type";
    }
    if (unique.size() == 1) {
      return unique.get(0);
    }
    return String.join(", ", unique.subList(0, unique.size() - 1))
        + " or "
        + unique.get(unique.size() - 1);
  }

  private static String typeWord(String type) {
    return switch (type) {
      case "object" -> "a mapping";
      case "array" -> "a list";
      case "string" -> "a string";
      case "integer" -> "an integer";
      case "number" -> "a number";
      case "boolean" -> "a boolean";
      case "null" -> "null";
      default -> type;
    };
  }

  /** The value as a message may show it: never the value of a variable. */
  private static String found(Node node) {
    if (node == null) {
      return "nothing";
    }
    if (node instanceof ScalarNode scalar) {
      if (scalar.isNull()) {
        return "null";
      }
      return scalar.describe() + " " + scalar.shown();
    }
    return node.describe();
  }

  /** The keys the object schema that rejected a key declares, for a "did you mean". */
  private static Set<String> knownKeys(ValidationMessage m, JsonNode schema) {
    Set<String> keys = new LinkedHashSet<>();
    try {
      JsonNodePath fragment = m.getSchemaLocation().getFragment();
      JsonNode node = schema;
      for (int i = 0; i < fragment.getNameCount() - 1 && node != null; i++) {
        Object element = fragment.getElement(i);
        node = element instanceof Integer index ? node.get(index) : node.get(element.toString());
      }
      if (node != null && node.get("properties") != null) {
        node.get("properties").fieldNames().forEachRemaining(keys::add);
      }
    } catch (RuntimeException e) {
      // no suggestion then
    }
    return keys;
  }

  // ------------------------------------------------------------------ paths and nodes

  /** {@code services.web.ports[1]} for {@code $.services.web.ports[1]}. */
  static String path(JsonNodePath instance) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < instance.getNameCount(); i++) {
      Object element = instance.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(element);
      }
    }
    return path.toString();
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static Node find(MapNode root, JsonNodePath instance) {
    Node node = root;
    for (int i = 0; i < instance.getNameCount() && node != null; i++) {
      Object element = instance.getElement(i);
      if (element instanceof Integer index && node instanceof ListNode list) {
        node = index < list.items().size() ? list.items().get(index) : null;
      } else if (node instanceof MapNode map) {
        node = map.get(element.toString());
      } else {
        node = null;
      }
    }
    return node;
  }

  /** The tree as JSON, scalars with the types YAML gave them. */
  static JsonNode toJson(Node node) {
    if (node instanceof MapNode map) {
      ObjectNode object = JSON.objectNode();
      for (Entry e : map.entries().values()) {
        object.set(e.key(), toJson(e.value()));
      }
      return object;
    }
    if (node instanceof ListNode list) {
      ArrayNode array = JSON.arrayNode(list.items().size());
      list.items().forEach(item -> array.add(toJson(item)));
      return array;
    }
    if (node instanceof Node.Tagged tagged) {
      return toJson(tagged.value());
    }
    ScalarNode scalar = (ScalarNode) node;
    Object value = scalar.value();
    if (value instanceof Double d && (d.isInfinite() || d.isNaN())) {
      // 1e309 or .inf: exact as a decimal where possible (validators cannot compare infinities)
      try {
        return JSON.numberNode(new java.math.BigDecimal(scalar.text().strip()));
      } catch (NumberFormatException e) {
        return JSON.textNode(scalar.text());
      }
    }
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof String s) {
      return JSON.textNode(s);
    }
    if (value instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (value instanceof BigInteger b) {
      return JSON.numberNode(b);
    }
    if (value instanceof Double d) {
      return JSON.numberNode(d);
    }
    if (value instanceof Boolean b) {
      String text = scalar.text().strip();
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        // yes, on, off...: booleans in YAML 1.1 only; Compose (YAML 1.2) reads them as strings
        return JSON.textNode(scalar.text());
      }
      return JSON.booleanNode(b);
    }
    return JSON.textNode(String.valueOf(value));
  }

  /** For tests: the keys of a schema definition. */
  static Map<String, JsonNode> definitions() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    loaded()
        .json()
        .get("definitions")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
