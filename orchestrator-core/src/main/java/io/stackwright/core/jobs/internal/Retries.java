package io.stackwright.core.jobs.internal;

import io.stackwright.api.ConflictException;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.store.LeaseLostException;
import io.stackwright.api.store.StoreException;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed attempt is tried again, and after how long: exponential backoff ({@code initial}
 * doubling up to {@code max}) with jitter (a uniformly random share of up to half the delay taken
 * off), so that jobs failing together do not retry together.
 */
public record Retries(int maxAttempts, Duration initial, Duration max) {
  public static final Retries DEFAULT =
      new Retries(6, Duration.ofSeconds(1), Duration.ofSeconds(30));

  public Retries {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
    }
  }

  /** Whether the same attempt may succeed later: the engine was unreachable, a version conflict. */
  public static boolean isRetryable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidSpecException || t instanceof LeaseLostException) {
        return false;
      }
      if (t instanceof StoreException s) {
        return s.retryable();
      }
      if (t instanceof ConflictException) {
        return true;
      }
      if (t instanceof PlatformException p) {
        return p.retryable();
      }
    }
    return false;
  }

  /** The delay before attempt {@code attempt + 1}, after {@code attempt} failed (1-based). */
  public Duration delayAfter(int attempt, RandomGenerator random) {
    long base = initial.toMillis();
    long ceiling = max.toMillis();
    long delay = base;
    for (int i = 1; i < attempt && delay < ceiling; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, ceiling);
    long jitter = (long) (random.nextDouble() * (delay / 2.0));
    return Duration.ofMillis(delay - jitter);
  }
}
