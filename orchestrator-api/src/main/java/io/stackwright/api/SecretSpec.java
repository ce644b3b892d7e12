package io.stackwright.api;

import java.util.Map;
import java.util.Objects;

/**
 * A secret of the stack. Its content is read when the stack is loaded (from a file or an
 * environment variable) and never printed.
 *
 * @param key the secret's key in the stack
 * @param name the engine name to use verbatim, or {@code null} for {@code <stack>_<key>}
 * @param external the secret exists already and is only referenced (then {@code content} is null)
 */
public record SecretSpec(
    String key, String name, boolean external, FileContent content, Map<String, String> labels) {

  public SecretSpec {
    Objects.requireNonNull(key, "key");
    if (!external && content == null) {
      throw new IllegalArgumentException("secret " + key + " needs content unless it is external");
    }
    if (content != null && !content.sensitive()) {
      content = FileContent.secret(content.bytes());
    }
    labels = Copies.sortedMap(labels);
  }

  public static SecretSpec of(String key, FileContent content) {
    return new SecretSpec(key, null, false, content, Map.of());
  }

  public static SecretSpec external(String key, String name) {
    return new SecretSpec(key, name, true, null, Map.of());
  }
}
