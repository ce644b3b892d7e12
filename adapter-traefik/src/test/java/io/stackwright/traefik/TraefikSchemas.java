package io.stackwright.traefik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Traefik's own JSON schemas (SchemaStore's traefik-v3 static and file-provider schemas), read in
 * place from {@code shared/peer-data/schemas} beside the repository ({@code
 * -Dstackwright.peerData=DIR} points elsewhere), and the label decoding Traefik's Swarm and Docker
 * providers do, so that labels can be validated against the file-provider schema too.
 */
public final class TraefikSchemas {
  static final ObjectMapper JSON = new ObjectMapper();
  private static JsonSchema dynamicSchema;
  private static JsonSchema staticSchema;
  private static JsonNode dynamicSchemaJson;

  private TraefikSchemas() {}

  static Path peerData() {
    String configured = System.getProperty("stackwright.peerData");
    if (configured != null) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("peer-data");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    // The reference data is for tests only and a plain clone lacks it: skip, saying why.
    return Assumptions.abort(
        "skipped: the reference data shared/peer-data (beside the repository) was not found above "
            + Path.of("").toAbsolutePath()
            + "; put it there or set -Dstackwright.peerData=DIR to run this test");
  }

  /** Problems of a dynamic-configuration document; empty when valid. */
  public static synchronized List<String> validateDynamic(Object document) {
    if (dynamicSchema == null) {
      dynamicSchemaJson = read("traefik-v3-file-provider.json");
      dynamicSchema = load(dynamicSchemaJson.deepCopy());
    }
    return messages(dynamicSchema.validate(JSON.valueToTree(document)));
  }

  /** Problems of a static-configuration document; empty when valid. */
  public static synchronized List<String> validateStatic(Object document) {
    if (staticSchema == null) {
      staticSchema = load(read("traefik-v3.json"));
    }
    return messages(staticSchema.validate(JSON.valueToTree(document)));
  }

  private static JsonNode read(String name) {
    try {
      return JSON.readTree(peerData().resolve("schemas").resolve(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema load(JsonNode json) {
    ((ObjectNode) json).remove("$id");
    JsonSchema schema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
            .getSchema(
                json, SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build());
    schema.initializeValidators();
    return schema;
  }

  private static List<String> messages(java.util.Set<ValidationMessage> messages) {
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /**
   * Turns {@code traefik.*} labels into the dynamic-configuration tree Traefik builds from them:
   * option names matched case-insensitively against the schema, comma-separated values split where
   * the schema wants a list, {@code =true} on an object meaning "present, no options", and {@code
   * loadbalancer.server.port} becoming one server URL (Traefik fills in each replica's address;
   * {@code replica} stands for it). Provider options ({@code traefik.enable}, {@code
   * traefik.swarm.*}, {@code traefik.docker.*}) are not dynamic configuration and are skipped.
   */
  public static Map<String, Object> decodeLabels(Map<String, String> labels) {
    if (dynamicSchemaJson == null) {
      validateDynamic(Map.of());
    }
    Map<String, Object> raw = new TreeMap<>();
    labels.forEach(
        (key, value) -> {
          if (!key.startsWith("traefik.http.")) {
            return;
          }
          List<String> path = new ArrayList<>();
          for (String segment : key.substring("traefik.".length()).split("\\.")) {
            int bracket = segment.indexOf('[');
            if (bracket > 0) {
              path.add(segment.substring(0, bracket));
              path.add(segment.substring(bracket));
            } else {
              path.add(segment);
            }
          }
          put(raw, path, value);
        });
    return castObject(raw, dynamicSchemaJson);
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> tree, List<String> path, String value) {
    Map<String, Object> node = tree;
    for (int i = 0; i < path.size() - 1; i++) {
      node = (Map<String, Object>) node.computeIfAbsent(path.get(i), k -> new TreeMap<>());
    }
    node.put(path.get(path.size() - 1), value);
  }

  private static JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      schema = dynamicSchemaJson.at(ref.substring(1));
    }
    return schema;
  }

  /** The schema of property {@code key} of an object schema (case-insensitive), and its name. */
  private static Map.Entry<String, JsonNode> property(JsonNode schema, String key) {
    List<JsonNode> candidates = new ArrayList<>();
    candidates.add(schema);
    schema.path("oneOf").forEach(alternative -> candidates.add(resolve(alternative)));
    for (JsonNode candidate : candidates) {
      Iterator<Map.Entry<String, JsonNode>> fields = candidate.path("properties").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (field.getKey().toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
          return Map.entry(field.getKey(), resolve(field.getValue()));
        }
      }
    }
    if (schema.path("additionalProperties").isObject()) {
      return Map.entry(key, resolve(schema.get("additionalProperties")));
    }
    throw new AssertionError(
        "Traefik has no option '" + key + "' here: " + schema.path("description"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castObject(Map<String, Object> raw, JsonNode schema) {
    Map<String, Object> out = new LinkedHashMap<>();
    raw.forEach(
        (key, value) -> {
          if (key.equals("server") && value instanceof Map<?, ?> server) {
            // Traefik's label providers: one server per replica, at the replica's address.
            Map<String, Object> s = (Map<String, Object>) server;
            String scheme = String.valueOf(s.getOrDefault("scheme", "http"));
            out.put("servers", List.of(Map.of("url", scheme + "://replica:" + s.get("port"))));
            return;
          }
          Map.Entry<String, JsonNode> property = property(schema, key);
          out.put(property.getKey(), cast(value, property.getValue()));
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object cast(Object value, JsonNode schema) {
    String type = schema.path("type").asText("");
    if (value instanceof Map<?, ?> map) {
      if (type.equals("array")) {
        List<Object> list = new ArrayList<>();
        new TreeMap<>((Map<String, Object>) map)
            .forEach((index, item) -> list.add(cast(item, resolve(schema.get("items")))));
        return list;
      }
      return castObject((Map<String, Object>) map, schema);
    }
    String text = (String) value;
    switch (type) {
      case "object":
        if (text.equals("true")) {
          return Map.of();
        }
        throw new AssertionError("object option given the value " + text);
      case "array":
        return List.of(text.split("\\s*,\\s*"));
      case "integer":
        return Long.parseLong(text);
      case "number":
        return Double.parseDouble(text);
      case "boolean":
        return Boolean.parseBoolean(text);
      default:
        if (schema.has("oneOf") && text.matches("-?\\d+(\\.\\d+)?")) {
          return Double.parseDouble(text);
        }
        return text;
    }
  }
}
