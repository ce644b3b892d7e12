package io.stackwright.store;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobClaim;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobProgress;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.NewJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A second host process for {@link TwoProcessClaimIT}: it opens the same PostgreSQL store and
 * claims jobs, printing one line per claim ({@code CLAIM <job id> <token>}) on stdout.
 *
 * <ul>
 *   <li>{@code drain <holder> <threads>}: waits for {@code GO} on stdin, then claims and finishes
 *       jobs until none is left, then prints {@code DONE};
 *   <li>{@code hold <holder>}: claims one job and keeps renewing its claim until it is killed;
 *   <li>{@code submit <label> <count>}: waits for {@code GO}, then submits {@code count} deploys of
 *       stack {@code st-serial}, each with a desired spec of its own, printing {@code SUBMITTED
 *       <job id> <revision>}.
 * </ul>
 *
 * The server comes from the environment ({@link PostgresTestDatabase}); the password never appears
 * on a command line.
 */
public final class ClaimWorker {
  static final Duration DRAIN_TTL = Duration.ofSeconds(30);
  static final Duration HOLD_TTL = Duration.ofSeconds(3);

  private ClaimWorker() {}

  public static void main(String[] args) throws Exception {
    String url = System.getenv("ST_STORE_URL");
    String user = System.getenv("STACKWRIGHT_TEST_POSTGRES_USER");
    String password = System.getenv("STACKWRIGHT_TEST_POSTGRES_PASSWORD");
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Store store = Stores.postgres(url, user, password, Clock.systemUTC())) {
      switch (args[0]) {
        case "drain" -> {
          out.println("READY");
          BufferedReader in =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          if (!"GO".equals(in.readLine())) {
            throw new IllegalStateException("expected GO on stdin");
          }
          drain(store, args[1], Integer.parseInt(args[2]), out);
          out.println("DONE");
        }
        case "hold" -> hold(store, args[1], out);
        case "submit" -> {
          out.println("READY");
          BufferedReader in =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          if (!"GO".equals(in.readLine())) {
            throw new IllegalStateException("expected GO on stdin");
          }
          submitDeploys(store, args[1], Integer.parseInt(args[2]), out);
          out.println("DONE");
        }
        default -> throw new IllegalArgumentException("mode " + args[0]);
      }
    }
  }

  /**
   * Claims and finishes jobs on {@code threads} threads until no live job is left, printing each
   * claim. A job "works" a few milliseconds, so that claims of two processes interleave.
   */
  static void drain(Store store, String holder, int threads, PrintStream out) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  while (true) {
                    List<JobClaim> claims = store.jobs().claim(holder, DRAIN_TTL, 1);
                    if (claims.isEmpty()) {
                      if (store
                          .jobs()
                          .list(JobQuery.all(1).inStates(JobState.QUEUED, JobState.RUNNING))
                          .isEmpty()) {
                        return null;
                      }
                      Thread.sleep(5);
                      continue;
                    }
                    for (JobClaim claim : claims) {
                      synchronized (out) {
                        out.println("CLAIM " + claim.jobId() + " " + claim.fencingToken());
                      }
                      store.jobs().progress(claim, new JobProgress(1, 2, "working"));
                      Thread.sleep(3);
                      store.jobs().finish(claim, JobState.SUCCEEDED, holder, null);
                    }
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static final String SERIAL_STACK = "st-serial";

  /** Submits {@code count} deploys of {@link #SERIAL_STACK}, specs {@code <label>-<i>}. */
  static void submitDeploys(Store store, String label, int count, PrintStream out) {
    for (int i = 0; i < count; i++) {
      Job job =
          store
              .jobs()
              .submit(
                  NewJob.builder(SERIAL_STACK, JobKind.DEPLOY)
                      .desiredSpec("{\"version\":\"" + label + "-" + i + "\"}")
                      .build())
              .job();
      synchronized (out) {
        out.println("SUBMITTED " + job.id() + " " + job.revision());
      }
    }
  }

  private static void hold(Store store, String holder, PrintStream out) throws Exception {
    JobClaim claim = null;
    while (claim == null) {
      claim = store.jobs().claimNext(holder, HOLD_TTL).orElse(null);
      if (claim == null) {
        Thread.sleep(20);
      }
    }
    out.println("CLAIM " + claim.jobId() + " " + claim.fencingToken());
    store.jobs().progress(claim, new JobProgress(1, 3, "holding"));
    while (true) {
      Thread.sleep(HOLD_TTL.toMillis() / 4);
      claim = store.jobs().renew(claim, HOLD_TTL);
      out.println("RENEWED " + claim.expiresAt());
    }
  }
}
