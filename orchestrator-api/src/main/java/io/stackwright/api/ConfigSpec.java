package io.stackwright.api;

import java.util.Map;
import java.util.Objects;

/**
 * A config of the stack: non-secret file content mounted into services.
 *
 * @param key the config's key in the stack
 * @param name the engine name to use verbatim, or {@code null} for {@code <stack>_<key>}
 * @param external the config exists already and is only referenced (then {@code content} is null)
 */
public record ConfigSpec(
    String key, String name, boolean external, FileContent content, Map<String, String> labels) {

  public ConfigSpec {
    Objects.requireNonNull(key, "key");
    if (!external && content == null) {
      throw new InvalidSpecException(
          SpecProblem.at(
              "configs." + key, "needs content (a file, environment or inline) unless external"));
    }
    labels = Copies.sortedMap(labels);
  }

  public static ConfigSpec of(String key, FileContent content) {
    return new ConfigSpec(key, null, false, content, Map.of());
  }
}
