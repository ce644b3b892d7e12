package io.stackwright.core.compose.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.core.compose.PeerData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The fuzz run: 100,000 mutated Compose files, generated from a fixed seed and loaded on every
 * core. Each must give a stack or an {@code InvalidSpecException} with located problems; any other
 * exception fails the test with the input. {@code -Dstackwright.fuzz.count=N} changes the count,
 * {@code -Dstackwright.fuzz.seed=S} the seed.
 *
 * <p>This thread generates, so the sequence of inputs depends on the seed alone, and the workers
 * load.
 */
class LoaderFuzzTest {
  private static final int COUNT = Integer.getInteger("stackwright.fuzz.count", 100_000);
  private static final long SEED = Long.getLong("stackwright.fuzz.seed", 3L);
  private static final String DONE = new String("done");

  @Test
  void hundredThousandMutationsGiveAModelOrATypedValidationError() throws Exception {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    Path fixtures = PeerData.composeFixtures();
    Map<String, String> environment = Mutations.environment();
    AtomicLong loaded = new AtomicLong();
    AtomicLong invalid = new AtomicLong();
    BlockingQueue<String> inputs = new ArrayBlockingQueue<>(4096);
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> workers = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  Path dir = Mutations.workspace();
                  try {
                    for (String yaml = inputs.take(); yaml != DONE; yaml = inputs.take()) {
                      switch (Mutations.load(dir, yaml, environment)) {
                        case LOADED -> loaded.incrementAndGet();
                        case INVALID -> invalid.incrementAndGet();
                      }
                    }
                  } finally {
                    Mutations.delete(dir);
                  }
                  return null;
                }));
      }
      Random random = new Random(SEED);
      for (int i = 0; i < COUNT; i++) {
        while (!inputs.offer(Mutations.mutated(fixtures, random), 1, TimeUnit.SECONDS)) {
          failFast(workers);
        }
      }
      for (int t = 0; t < threads; t++) {
        while (!inputs.offer(DONE, 1, TimeUnit.SECONDS)) {
          failFast(workers);
        }
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "loader fuzz: %d inputs (%d loaded, %d invalid) in %.1f s on %d threads, seed %d%n",
        loaded.get() + invalid.get(), loaded.get(), invalid.get(), seconds, threads, SEED);
    assertThat(loaded.get() + invalid.get()).isEqualTo(COUNT);
    assertThat(invalid.get()).as("mutations that break the file").isPositive();
    assertThat(loaded.get()).as("mutations that keep it valid").isPositive();
  }

  /** A worker that failed has stopped taking inputs: report its failure instead of waiting. */
  private static void failFast(List<Future<?>> workers) throws Exception {
    for (Future<?> worker : workers) {
      if (worker.isDone()) {
        worker.get();
      }
    }
  }
}
