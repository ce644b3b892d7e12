package io.stackwright.api.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A canary: the new version takes more and more of the traffic, step by step, and is analysed at
 * every step; it is promoted after the last step (or by hand) and aborted and reverted as soon as
 * an analysis fails (or by hand).
 *
 * @param steps the steps, in order; at least one
 * @param analysis what each step must show, or {@code null} to watch only replica readiness
 * @param autoPromote promote after the last step; otherwise wait for a manual promote
 */
public record CanaryPolicy(List<CanaryStep> steps, CanaryAnalysis analysis, boolean autoPromote) {

  public CanaryPolicy {
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a canary needs at least one step");
    }
    boolean weighted = steps.get(0).isWeightStep();
    if (steps.stream().anyMatch(s -> s.isWeightStep() != weighted)) {
      throw new IllegalArgumentException(
          "canary steps are either all weights or all replica counts");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link CanaryPolicy}. */
  public static final class Builder {
    private final List<CanaryStep> steps = new ArrayList<>();
    private CanaryAnalysis analysis;
    private boolean autoPromote = true;

    private Builder() {}

    public Builder step(CanaryStep step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    public Builder analysis(CanaryAnalysis analysis) {
      this.analysis = analysis;
      return this;
    }

    public Builder autoPromote(boolean autoPromote) {
      this.autoPromote = autoPromote;
      return this;
    }

    public CanaryPolicy build() {
      return new CanaryPolicy(steps, analysis, autoPromote);
    }
  }
}
