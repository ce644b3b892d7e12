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
      throw new InvalidSpecException(
          SpecProblem.at(
              "secrets." + key, "needs content (a file or environment) unless external"));
    }
    if (content != null && !content.sensitive()) {
      FileContent plain = content;
      content = FileContent.secret(plain.bytes());
      if (plain.origin().isPresent()) {
        content = content.withOrigin(plain.origin().get());
      }
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
