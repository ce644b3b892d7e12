package io.stackwright.it.faults;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Polls one view of a stack's health in its own thread (so that a hanging call in one view does not
 * stop the other from being measured) from the moment of a fault: when it first looked degraded,
 * and when it first looked healthy again after that.
 */
final class Recovery implements AutoCloseable {
  private final String what;
  private final long faultAt;
  private final CountDownLatch recovered = new CountDownLatch(1);
  private final Thread poller;
  private volatile long degradedAt = -1;
  private volatile long healthyAt = -1;
  private volatile String lastProblem;
  private volatile boolean stop;

  /**
   * @param faultAt {@link System#nanoTime()} of the fault
   * @param mustDegrade whether healthy counts only after a degraded look (a fault that the view has
   *     not noticed yet is not a recovery)
   */
  Recovery(String what, long faultAt, boolean mustDegrade, BooleanSupplier healthy) {
    this.what = what;
    this.faultAt = faultAt;
    poller =
        new Thread(
            () -> {
              while (!stop) {
                boolean ok;
                try {
                  ok = healthy.getAsBoolean();
                } catch (RuntimeException e) {
                  lastProblem = e.toString();
                  ok = false;
                }
                long now = System.nanoTime();
                if (!ok && degradedAt < 0) {
                  degradedAt = now;
                }
                if (ok && (degradedAt >= 0 || !mustDegrade)) {
                  healthyAt = now;
                  recovered.countDown();
                  return;
                }
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "recovery-" + what);
    poller.setDaemon(true);
    poller.start();
  }

  boolean await(Duration atMost) throws InterruptedException {
    return recovered.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Milliseconds from the fault until healthy again, or -1 when it was not. */
  long recoveredMs() {
    return healthyAt < 0 ? -1 : (healthyAt - faultAt) / 1_000_000;
  }

  long degradedMs() {
    return degradedAt < 0 ? -1 : (degradedAt - faultAt) / 1_000_000;
  }

  String lastProblem() {
    return lastProblem;
  }

  String what() {
    return what;
  }

  @Override
  public void close() {
    stop = true;
    poller.interrupt();
  }
}
