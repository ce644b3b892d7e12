package io.stackwright.core.compose.internal;

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
  private static final Logger LOG =
      LoggerFactory.getLogger("io.stackwright.core.compose.ComposeLoader");

  private final List<SpecProblem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  public void problem(Location at, String path, String message) {
    problems.add(
        new SpecProblem(
            at == null ? null : at.file(),
            at == null ? 0 : at.line(),
            at == null ? 0 : at.column(),
            path,
            message));
  }

  /** Logs a warning (SLF4J WARN) and keeps it for {@link #warnings()}. */
  public void warn(Location at, String path, String message) {
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
