package io.stackwright.api;

import java.util.Objects;

/**
 * A secret or config made available to a service as a file.
 *
 * @param source the secret's or config's key in the stack
 * @param target the file name or path in the container ({@code null}: the platform's default, which
 *     is the source key)
 * @param uid owner user id, or {@code null} for the default ({@code 0})
 * @param gid owner group id, or {@code null} for the default ({@code 0})
 * @param mode file mode, or {@code null} for the default ({@code 0444})
 */
public record FileReference(String source, String target, String uid, String gid, Integer mode) {
  public FileReference {
    Objects.requireNonNull(source, "source");
  }

  public static FileReference of(String source) {
    return new FileReference(source, null, null, null, null);
  }

  /** The target, or the source key when none was given. */
  public String targetOrSource() {
    return target == null ? source : target;
  }
}
