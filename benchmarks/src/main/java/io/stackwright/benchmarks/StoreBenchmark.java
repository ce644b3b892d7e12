package io.stackwright.benchmarks;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.JobClaim;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.NewJob;
import io.stackwright.store.Stores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * No-op jobs per second through the store's queue: one producer submits jobs spread over many
 * stacks while worker threads claim them (a few per call) and finish them at once. Each job is one
 * submit, one claim and one finish transaction. Run on embedded H2 and on the PostgreSQL of
 * scripts/dev-postgres.sh, in one run, and prints both and their ratio.
 *
 * <p>Usage: {@code bash scripts/bench-store.sh [JOBS] [WORKERS]} (defaults 3000 and 4).
 */
public final class StoreBenchmark {
  private static final int STACKS = 100;
  private static final int CLAIM_BATCH = 8;
  private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    OUT.printf(
        Locale.ROOT,
        "store benchmark: %d no-op jobs over %d stacks, 1 producer, %d workers claiming up to %d"
            + " per call; %d cores%n",
        jobs,
        STACKS,
        workers,
        CLAIM_BATCH,
        Runtime.getRuntime().availableProcessors());
    Path loadavg = Path.of("/proc/loadavg");
    if (Files.isReadable(loadavg)) {
      // The machine may be shared: the load says how much of it this run had.
      OUT.println("load average at start: " + Files.readString(loadavg).trim());
    }

    double h2;
    Path directory = Files.createTempDirectory("st-bench-h2-");
    try (Store store = Stores.embedded(directory, Clock.systemUTC())) {
      h2 = measure("H2 (embedded file)", store, jobs, workers);
    } finally {
      delete(directory);
    }

    String url =
        setting(
            "stackwright.test.postgres.url",
            "STACKWRIGHT_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:55432/stackwright");
    String user =
        setting("stackwright.test.postgres.user", "STACKWRIGHT_TEST_POSTGRES_USER", "stackwright");
    String password =
        setting(
            "stackwright.test.postgres.password",
            "STACKWRIGHT_TEST_POSTGRES_PASSWORD",
            "stackwright");
    String schema = "st_bench_" + ProcessHandle.current().pid();
    try {
      execute(url, user, password, "CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      OUT.println(
          "PostgreSQL: not measured, no server at "
              + url
              + " ("
              + e.getMessage()
              + "); start one with bash scripts/dev-postgres.sh");
      return;
    }
    double pg;
    try (Store store =
        Stores.postgres(
            url + "?currentSchema=" + schema, user, password, workers + 2, Clock.systemUTC())) {
      pg = measure("PostgreSQL", store, jobs, workers);
    } finally {
      execute(url, user, password, "DROP SCHEMA " + schema + " CASCADE");
    }
    OUT.printf(
        Locale.ROOT,
        "ratio PostgreSQL / H2: %.2f   goal on PostgreSQL: >= 100 jobs/s: %s%n",
        pg / h2,
        pg >= 100 ? "met" : "NOT met");
  }

  private static double measure(String name, Store store, int jobs, int workers) throws Exception {
    run(store, Math.max(200, jobs / 10), workers, "warm-up-");
    long start = System.nanoTime();
    run(store, jobs, workers, "");
    double seconds = (System.nanoTime() - start) / 1e9;
    double perSecond = jobs / seconds;
    OUT.printf(
        Locale.ROOT, "%-20s %6d jobs in %6.2f s = %8.1f jobs/s%n", name, jobs, seconds, perSecond);
    return perSecond;
  }

  /** Submits {@code jobs} no-op jobs and returns once workers have finished them all. */
  private static void run(Store store, int jobs, int workers, String prefix) throws Exception {
    AtomicInteger finished = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      tasks.add(
          pool.submit(
              () -> {
                for (int i = 0; i < jobs; i++) {
                  store
                      .jobs()
                      .submit(
                          NewJob.builder(prefix + "stack-" + (i % STACKS), JobKind.RECONCILE)
                              .build());
                }
                return null;
              }));
      for (int w = 0; w < workers; w++) {
        String holder = "bench-" + w;
        tasks.add(
            pool.submit(
                () -> {
                  while (finished.get() < jobs) {
                    List<JobClaim> claims =
                        store.jobs().claim(holder, Duration.ofSeconds(60), CLAIM_BATCH);
                    if (claims.isEmpty()) {
                      Thread.sleep(1);
                    }
                    for (JobClaim claim : claims) {
                      store.jobs().finish(claim, JobState.SUCCEEDED, null, null);
                      finished.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get(30, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String setting(String property, String env, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? fallback : value;
  }

  private static void execute(String url, String user, String password, String sql)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void delete(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
