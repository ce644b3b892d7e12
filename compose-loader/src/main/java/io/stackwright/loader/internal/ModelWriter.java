package io.stackwright.loader.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.Map;

/** Writes a loaded Compose model as YAML (like {@code docker compose config}) or JSON. */
public final class ModelWriter {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelWriter() {}

  /**
   * The model with every {@code $} of a string value doubled, as Compose escapes it, so that the
   * written model can be loaded again without substituting anything (keys are never substituted).
   */
  @SuppressWarnings("unchecked")
  public static <T> T escaped(T value) {
    if (value instanceof String s) {
      return (T) s.replace("$", "$$");
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), escaped(v)));
      return (T) out;
    }
    if (value instanceof java.util.List<?> list) {
      java.util.List<Object> out = new java.util.ArrayList<>();
      list.forEach(v -> out.add(escaped(v)));
      return (T) out;
    }
    return value;
  }

  public static String write(Map<String, Object> model, boolean json) {
    try {
      String text = (json ? JSON : YAML).writeValueAsString(model);
      return text.endsWith("\n") ? text : text + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the Compose model", e);
    }
  }
}
