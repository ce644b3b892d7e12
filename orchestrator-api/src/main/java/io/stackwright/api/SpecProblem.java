package io.stackwright.api;

import java.util.Objects;

/**
 * One thing wrong with an input: where it is (file, line, column, key path) and what is wrong.
 *
 * @param file the file the problem is in, or {@code null} for a stack built in code
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param path the key path, for example {@code services.web.ports[1]}
 * @param message what was found and what was expected
 */
public record SpecProblem(String file, int line, int column, String path, String message) {
  public SpecProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** A problem in a stack built in code, located by its key path only. */
  public static SpecProblem at(String path, String message) {
    return new SpecProblem(null, 0, 0, path, message);
  }

  @Override
  public String toString() {
    StringBuilder where = new StringBuilder();
    if (file != null) {
      where.append(file);
      if (line > 0) {
        where.append(':').append(line);
        if (column > 0) {
          where.append(':').append(column);
        }
      }
      where.append(": ");
    }
    if (!path.isEmpty()) {
      where.append(path).append(": ");
    }
    return where + message;
  }
}
