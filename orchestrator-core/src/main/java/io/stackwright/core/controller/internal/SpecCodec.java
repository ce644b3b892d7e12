package io.stackwright.core.controller.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.FileContent;
import io.stackwright.api.StackSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link StackSpec} as JSON and back, by its record components, so that a process that did not
 * accept a spec can rebuild it from the store. File contents (secrets, configs) are written and
 * read by the caller's {@link ContentWriter} and {@link ContentReader}: the store holds how to read
 * a content again, never a secret's bytes.
 *
 * <p>Where a component's declared type is an interface (a scaling metric, say), the value's record
 * class is written as {@code @type}; only records of the API's packages are read back.
 */
public final class SpecCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TYPE = "@type";
  private static final String API_PACKAGE = "io.stackwright.api.";

  /** Writes a file content found at {@code path} (e.g. {@code secrets.db.content}). */
  @FunctionalInterface
  public interface ContentWriter {
    JsonNode write(String path, FileContent content);
  }

  /** Reads back what a {@link ContentWriter} wrote at {@code path}. */
  @FunctionalInterface
  public interface ContentReader {
    FileContent read(String path, JsonNode written);
  }

  private SpecCodec() {}

  public static JsonNode encode(StackSpec spec, ContentWriter contents) {
    return write(spec, StackSpec.class, "", contents);
  }

  /**
   * @throws IllegalArgumentException when the JSON is no spec this codec wrote
   */
  public static StackSpec decode(JsonNode node, ContentReader contents) {
    return (StackSpec) read(node, StackSpec.class, "", contents);
  }

  private static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  // ------------------------------------------------------------------------------ writing

  private static JsonNode write(Object value, Type declared, String path, ContentWriter contents) {
    if (value == null) {
      return NODES.nullNode();
    }
    Class<?> raw = raw(declared);
    if (value instanceof FileContent content) {
      return contents.write(path, content);
    }
    if (value instanceof Optional<?> optional) {
      return write(optional.orElse(null), argument(declared, 0), path, contents);
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Duration d) {
      return NODES.textNode(d.toString());
    }
    if (value instanceof Instant i) {
      return NODES.textNode(i.toString());
    }
    if (value instanceof Enum<?> e && raw.isEnum()) {
      return NODES.textNode(e.name());
    }
    if (value instanceof Number n && raw != Object.class) {
      return JSON.valueToTree(n);
    }
    if (value instanceof Record record) {
      ObjectNode node = NODES.objectNode();
      if (record.getClass() != raw) {
        node.put(TYPE, record.getClass().getName());
      }
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        Object part;
        try {
          part = component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
          throw new IllegalStateException("cannot read " + at(path, component.getName()), e);
        }
        node.set(
            component.getName(),
            write(part, component.getGenericType(), at(path, component.getName()), contents));
      }
      return node;
    }
    if (value instanceof Enum<?> e) {
      ObjectNode node = NODES.objectNode();
      node.put(TYPE, e.getDeclaringClass().getName());
      node.put("name", e.name());
      return node;
    }
    if (value instanceof Map<?, ?> map && raw != Object.class) {
      ObjectNode node = NODES.objectNode();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        node.set(key, write(entry.getValue(), argument(declared, 1), at(path, key), contents));
      }
      return node;
    }
    if (value instanceof Collection<?> list && raw != Object.class) {
      ArrayNode node = NODES.arrayNode();
      int i = 0;
      for (Object item : list) {
        node.add(write(item, argument(declared, 0), path + "[" + i++ + "]", contents));
      }
      return node;
    }
    // Open-ended values (extensions): plain JSON values, maps and lists.
    return JSON.valueToTree(value);
  }

  // ------------------------------------------------------------------------------ reading

  private static Object read(JsonNode node, Type declared, String path, ContentReader contents) {
    Class<?> raw = raw(declared);
    if (raw == Optional.class) {
      return Optional.ofNullable(read(node, argument(declared, 0), path, contents));
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      return raw.isPrimitive() ? primitiveDefault(raw) : null;
    }
    if (raw == FileContent.class) {
      return contents.read(path, node);
    }
    if (raw == String.class) {
      return node.asText();
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return node.asBoolean();
    }
    if (raw == int.class || raw == Integer.class) {
      return node.asInt();
    }
    if (raw == long.class || raw == Long.class) {
      return node.asLong();
    }
    if (raw == double.class || raw == Double.class) {
      return node.asDouble();
    }
    if (raw == float.class || raw == Float.class) {
      return (float) node.asDouble();
    }
    if (raw == Duration.class) {
      return Duration.parse(node.asText());
    }
    if (raw == Instant.class) {
      return Instant.parse(node.asText());
    }
    if (raw.isEnum()) {
      return enumValue(raw, node.asText(), path);
    }
    if (node.isObject() && node.has(TYPE)) {
      Class<?> actual = apiClass(node.get(TYPE).asText(), path);
      if (!raw.isAssignableFrom(actual)) {
        throw new IllegalArgumentException(path + ": " + actual.getName() + " is no " + raw);
      }
      if (actual.isEnum()) {
        return enumValue(actual, node.path("name").asText(), path);
      }
      return record(node, actual, path, contents);
    }
    if (raw.isRecord()) {
      return record(node, raw, path, contents);
    }
    if (Map.class.isAssignableFrom(raw) && raw != Object.class) {
      // keys are written as text; a map keyed by an enum (a health policy's probes by tier) gets
      // its constants back
      Class<?> keyType = raw(argument(declared, 0));
      Map<Object, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        Object key = keyType.isEnum() ? enumValue(keyType, entry.getKey(), path) : entry.getKey();
        map.put(
            key, read(entry.getValue(), argument(declared, 1), at(path, entry.getKey()), contents));
      }
      return map;
    }
    if (Collection.class.isAssignableFrom(raw)) {
      Collection<Object> items =
          Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>();
      int i = 0;
      for (JsonNode item : node) {
        items.add(read(item, argument(declared, 0), path + "[" + i++ + "]", contents));
      }
      return items;
    }
    if (raw == Object.class) {
      return JSON.convertValue(node, Object.class);
    }
    throw new IllegalArgumentException(path + ": cannot read a " + raw.getName());
  }

  private static Object record(JsonNode node, Class<?> type, String path, ContentReader contents) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      String name = components[i].getName();
      values[i] = read(node.get(name), components[i].getGenericType(), at(path, name), contents);
    }
    try {
      Constructor<?> canonical = type.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalArgumentException(path + ": cannot build " + type.getSimpleName(), e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(path + ": cannot build " + type.getSimpleName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name, String path) {
    try {
      return Enum.valueOf((Class<? extends Enum>) type, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": no " + type.getSimpleName() + " " + name, e);
    }
  }

  private static Class<?> apiClass(String name, String path) {
    if (!name.startsWith(API_PACKAGE)) {
      throw new IllegalArgumentException(path + ": " + name + " is not a type of the API");
    }
    try {
      Class<?> type = Class.forName(name, false, SpecCodec.class.getClassLoader());
      if (!type.isRecord() && !type.isEnum()) {
        throw new IllegalArgumentException(path + ": " + name + " is no record");
      }
      return type;
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(path + ": no type " + name, e);
    }
  }

  private static Object primitiveDefault(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == double.class) {
      return 0d;
    }
    if (type == float.class) {
      return 0f;
    }
    return 0;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof WildcardType w) {
      return raw(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
      return p.getActualTypeArguments()[index];
    }
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
      return p.getActualTypeArguments()[0];
    }
    return Object.class;
  }
}
