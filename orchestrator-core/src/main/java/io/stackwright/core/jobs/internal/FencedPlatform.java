package io.stackwright.core.jobs.internal;

import io.stackwright.api.spi.Platform;
import io.stackwright.core.internal.ForwardingPlatform;

/**
 * The platform as jobs see it: before each write, the job running on the calling thread must still
 * hold its lease, so a process whose lease lapsed (another took the job over) stops writing at its
 * next call. The engine's own version index guards the write that was already under way.
 */
public final class FencedPlatform extends ForwardingPlatform {
  private static final ThreadLocal<JobContext> CURRENT = new ThreadLocal<>();

  public FencedPlatform(Platform platform) {
    super(platform);
  }

  /** Runs {@code work} with writes fenced by {@code context}'s lease. */
  public static <T> T fenced(JobContext context, FencedCall<T> work) throws Exception {
    JobContext before = CURRENT.get();
    CURRENT.set(context);
    try {
      return work.call();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** A call that may throw. */
  @FunctionalInterface
  public interface FencedCall<T> {
    T call() throws Exception;
  }

  @Override
  protected void beforeWrite(String stack) {
    JobContext context = CURRENT.get();
    if (context != null) {
      context.checkLease();
    }
  }
}
