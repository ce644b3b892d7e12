package io.stackwright.api.plan;

import java.util.Objects;

/**
 * One field that differs between the running and the desired state.
 *
 * @param path where the field is, for example {@code TaskTemplate.ContainerSpec.Env}
 * @param before the current value as text, {@code null} when unset; {@code "(redacted)"} where the
 *     value could be a secret
 * @param after the desired value as text, with the same rules
 */
public record FieldChange(String path, String before, String after) {
  /** Shown in place of values that may hold secrets (environment, secret content). */
  public static final String REDACTED = "(redacted)";

  public FieldChange {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String toString() {
    return path + ": " + before + " -> " + after;
  }
}
