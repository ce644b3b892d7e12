package io.stackwright.core.health.internal;

import io.stackwright.api.health.RecoveryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The recovery state of one service: the failures of its replicas in the policy's sliding window
 * (liveness failures Stackwright saw and crashes the platform reported), the exponential backoff
 * between two replacements, and whether the service is in a crash loop. Pure: time is passed in, so
 * tests drive it.
 */
final class RecoveryTracker {

  /** What to do with a replica that failed its liveness probe. */
  sealed interface Decision {
    record Replace(Duration nextBackoff) implements Decision {}

    record Wait(Instant until) implements Decision {}

    /** Do not replace: the service is in a crash loop. {@code started}: it just began. */
    record CrashLoop(boolean started, int failures) implements Decision {}
  }

  private final RecoveryPolicy policy;
  private final Deque<Instant> failures = new ArrayDeque<>();
  private Duration delay;
  private Instant notBefore = Instant.MIN;
  private boolean crashLoop;

  RecoveryTracker(RecoveryPolicy policy) {
    this.policy = policy;
    this.delay = policy.initialBackoff();
  }

  /** Restores a state saved by {@link #failures()}, {@link #delay()} and so on. */
  RecoveryTracker(
      RecoveryPolicy policy,
      List<Instant> failures,
      Duration delay,
      Instant notBefore,
      boolean crashLoop) {
    this(policy);
    this.failures.addAll(failures);
    this.delay = delay;
    this.notBefore = notBefore;
    this.crashLoop = crashLoop;
  }

  /**
   * Counts one failure at {@code at}; returns true when it starts a crash loop (the failures in the
   * window reached the policy's limit).
   */
  boolean recordFailure(Instant at) {
    failures.addLast(at);
    return updateLoop(at);
  }

  /** What to do now with a replica whose liveness failed. Does not count a failure. */
  Decision decide(Instant now) {
    updateLoop(now);
    if (crashLoop) {
      return new Decision.CrashLoop(false, failures.size());
    }
    if (now.isBefore(notBefore)) {
      return new Decision.Wait(notBefore);
    }
    Duration wait = delay;
    notBefore = now.plus(wait);
    Duration doubled = delay.multipliedBy(2);
    delay = doubled.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : doubled;
    return new Decision.Replace(wait);
  }

  /**
   * Forgets failures that left the window. Returns true when the call starts a crash loop. A loop
   * ends when the window holds fewer failures than the limit again; the backoff is reset once the
   * window is empty.
   */
  boolean updateLoop(Instant now) {
    Instant horizon = now.minus(policy.window());
    while (!failures.isEmpty() && failures.peekFirst().isBefore(horizon)) {
      failures.removeFirst();
    }
    if (failures.isEmpty()) {
      delay = policy.initialBackoff();
    }
    boolean looping = failures.size() >= policy.maxReplacements();
    boolean started = looping && !crashLoop;
    crashLoop = looping;
    return started;
  }

  boolean inCrashLoop() {
    return crashLoop;
  }

  List<Instant> failures() {
    return new ArrayList<>(failures);
  }

  Duration delay() {
    return delay;
  }

  Instant notBefore() {
    return notBefore;
  }
}
