package io.stackwright.compose.internal;

import io.stackwright.api.ConflictException;
import io.stackwright.api.spi.Lease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease that serialises writes to one project across processes. A single engine has no version
 * index to reject a write made from a stale read (Swarm does), so two processes applying different
 * versions of one project at once would interleave their container replacements and leave a state
 * matching neither file. Every apply, scale and remove therefore holds the project's {@value #NAME}
 * lease, kept in the engine itself ({@link ContainerLeases}, as the autoscaler's is) so every
 * process on every host that talks to this engine sees it.
 *
 * <p>The holder renews it every third of its time to live while it writes; a holder killed with
 * SIGKILL stops renewing, and its lease lapses after {@link #TTL}. A process that finds the lease
 * held waits for it up to its wait bound, then fails with a {@link ConflictException} naming the
 * holder: the caller plans again (the state it planned from is gone) and retries.
 */
public final class WriteLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteLease.class);

  /** The lease's name (the container {@code <project>-stackwright-lease-write-<n>}). */
  public static final String NAME = "write";

  /** How long a lease lives without renewal: long enough for a stalled engine call or GC pause. */
  static final Duration TTL = Duration.ofSeconds(20);

  private static final String PROCESS = ProcessHandle.current().pid() + "-" + UUID.randomUUID();

  private final ContainerLeases leases;
  private final String project;
  private final String holder;
  private final CountDownLatch done = new CountDownLatch(1);
  private final Thread renewal;

  private WriteLease(ContainerLeases leases, String project, String holder) {
    this.leases = leases;
    this.project = project;
    this.holder = holder;
    this.renewal = new Thread(this::renew, "stackwright-write-lease-" + project);
    this.renewal.setDaemon(true);
  }

  /**
   * Takes the project's write lease, waiting up to {@code wait} while another process holds it.
   *
   * @return the lease, and whether another process held it first (then the caller's plan is stale)
   * @throws ConflictException when another process still holds it after {@code wait}
   */
  public static Taken acquire(
      ContainerLeases leases, String project, String what, Duration wait, Clock clock) {
    String holder = "pid-" + PROCESS + "-" + Thread.currentThread().getId();
    Instant deadline = clock.instant().plus(wait);
    boolean waited = false;
    while (true) {
      Lease lease = leases.acquire(project, NAME, holder, TTL);
      if (lease.holder().equals(holder)) {
        WriteLease taken = new WriteLease(leases, project, holder);
        taken.renewal.start();
        return new Taken(taken, waited);
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new ConflictException(
            what
                + " "
                + project
                + " failed: another process ("
                + lease.holder()
                + ") has been writing it for more than "
                + wait.toSeconds()
                + " s (its lease runs until "
                + lease.expiresAt()
                + "); nothing was written. Plan again and retry once it is done",
            null);
      }
      if (!waited) {
        LOG.info(
            "Project {} is being written by another process ({}); waiting up to {} s",
            project,
            lease.holder(),
            wait.toSeconds());
      }
      waited = true;
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
    }
  }

  /** A lease just taken, and whether another process held it before. */
  public record Taken(WriteLease lease, boolean waitedForAnother) {}

  private void renew() {
    long period = TTL.toMillis() / 3;
    try {
      while (!done.await(period, TimeUnit.MILLISECONDS)) {
        try {
          Lease lease = leases.acquire(project, NAME, holder, TTL);
          if (!lease.holder().equals(holder)) {
            LOG.warn(
                "Lost the write lease of project {} to {}; the write in progress may interleave",
                project,
                lease.holder());
            return;
          }
        } catch (RuntimeException e) {
          LOG.debug("Renewing the write lease of project {} failed; retrying", project, e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    done.countDown();
    try {
      renewal.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      leases.release(project, NAME, holder);
    } catch (RuntimeException e) {
      LOG.debug("Releasing the write lease of project {} failed; it lapses in {}", project, TTL, e);
    }
  }
}
