package io.stackwright.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The input (a Compose file, a stack built in code) is invalid. Carries every problem found, not
 * only the first, and is always thrown before anything is written to an engine.
 */
public class InvalidSpecException extends OrchestratorException {
  private static final long serialVersionUID = 1L;

  private final transient List<SpecProblem> problems;

  public InvalidSpecException(List<SpecProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public InvalidSpecException(SpecProblem problem) {
    this(List.of(problem));
  }

  /** Every problem found, in the order of the input. */
  public List<SpecProblem> problems() {
    return problems;
  }

  private static String describe(List<SpecProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InvalidSpecException needs at least one problem");
    }
    String header =
        problems.size() == 1
            ? "invalid stack: "
            : "invalid stack (" + problems.size() + " problems):";
    if (problems.size() == 1) {
      return header + problems.get(0);
    }
    return header + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
  }
}
