package io.stackwright.core.health.internal;

import io.stackwright.api.health.ProbeSpec;

/**
 * Counts consecutive results of one probe of one replica and says when its verdict flips, with
 * Kubernetes' rules: {@code failureThreshold} failures in a row to fail, {@code successThreshold}
 * successes in a row to pass. The first verdict is given by the first threshold reached.
 */
final class ProbeCounter {

  /** What one result changed. */
  enum Flip {
    NONE,
    PASSED,
    FAILED
  }

  private final ProbeSpec spec;
  private int failures;
  private int successes;
  private Boolean passing;

  ProbeCounter(ProbeSpec spec, Boolean initiallyPassing) {
    this.spec = spec;
    this.passing = initiallyPassing;
  }

  Flip record(boolean passed) {
    if (passed) {
      failures = 0;
      successes++;
      if (!Boolean.TRUE.equals(passing) && successes >= spec.successThreshold()) {
        passing = true;
        return Flip.PASSED;
      }
    } else {
      successes = 0;
      failures++;
      if (!Boolean.FALSE.equals(passing) && failures >= spec.failureThreshold()) {
        passing = false;
        return Flip.FAILED;
      }
    }
    return Flip.NONE;
  }

  /** The verdict, or {@code null} before the first threshold is reached. */
  Boolean passing() {
    return passing;
  }

  int consecutiveFailures() {
    return failures;
  }

  /** Starts counting afresh (a replacement that was deferred is retried on the next failure). */
  void reset(Boolean passing) {
    this.passing = passing;
    failures = 0;
    successes = 0;
  }
}
