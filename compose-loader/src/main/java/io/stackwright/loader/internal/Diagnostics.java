package io.stackwright.loader.internal;

import io.stackwright.api.SpecProblem;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the problems of one load (every one, not only the first) and logs warnings. Messages
 * never contain the value of an environment variable or a secret.
 */
public final class Diagnostics {
  private static final Logger LOG = LoggerFactory.getLogger("io.stackwright.loader.ComposeLoader");

  private final List<SpecProblem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private final java.util.Set<String> failed = new java.util.HashSet<>();

  public void problem(Location at, String path, String message) {
    if (path != null && !failed.isEmpty() && under(path)) {
      return; // follows from a problem already reported there
    }
    problems.add(
        new SpecProblem(
            at == null ? null : at.file(),
            at == null ? 0 : at.line(),
            at == null ? 0 : at.column(),
            path,
            message));
  }

  private List<String> quietPaths = List.of();

  /**
   * Marks a key path whose value could not be worked out (a substitution failed): later problems at
   * or under it follow from that one and are not reported.
   */
  public void failedAt(String path) {
    failed.add(path);
  }

  /** Whether a problem made a value at or under {@code path} unusable. */
  public boolean failedUnder(String path) {
    for (String f : failed) {
      if (f.equals(path) || f.startsWith(path + ".") || f.startsWith(path + "[")) {
        return true;
      }
    }
    return false;
  }

  private boolean under(String path) {
    for (String f : failed) {
      if (path.equals(f) || path.startsWith(f + ".") || path.startsWith(f + "[")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Warnings at or under these key paths are not logged or kept: the paths of problems already
   * reported there (a warning about a key the schema rejected would only be noise).
   */
  public void quietUnder(List<String> paths) {
    this.quietPaths = List.copyOf(paths);
  }

  /** Logs a warning (SLF4J WARN) and keeps it for {@link #warnings()}. */
  public void warn(Location at, String path, String message) {
    for (String quiet : quietPaths) {
      if (path != null
          && (path.equals(quiet)
              || path.startsWith(quiet + ".")
              || path.startsWith(quiet + "[")
              || quiet.startsWith(path + ".")
              || quiet.startsWith(path + "["))) {
        return;
      }
    }
    StringBuilder text = new StringBuilder();
    if (at != null) {
      text.append(at).append(": ");
    }
    if (path != null && !path.isEmpty()) {
      text.append(path).append(": ");
    }
    text.append(message);
    String warning = text.toString();
    warnings.add(warning);
    LOG.warn("{}", warning);
  }

  /** Drops the problems recorded from index {@code from} on that {@code drop} accepts. */
  public void dropAfter(int from, java.util.function.Predicate<SpecProblem> drop) {
    for (int i = problems.size() - 1; i >= from; i--) {
      if (drop.test(problems.get(i))) {
        problems.remove(i);
      }
    }
  }

  public List<SpecProblem> problems() {
    return List.copyOf(problems);
  }

  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  public int problemCount() {
    return problems.size();
  }

  /** The warnings logged so far, as logged. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }
}
