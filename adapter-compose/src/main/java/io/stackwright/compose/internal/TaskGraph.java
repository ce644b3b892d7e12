package io.stackwright.compose.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs tasks that depend on each other: each starts on the executor once its dependencies are done,
 * independent ones in parallel. The calling thread waits, and runs itself any task the executor has
 * not started after a short while, so a busy or single-threaded executor (possibly the one the
 * caller runs on) never deadlocks the graph.
 */
final class TaskGraph {
  private static final long STEAL_AFTER_MILLIS = 200;

  private TaskGraph() {}

  /**
   * @param keys every task, in an order where dependencies come first
   * @param dependencies the keys a task waits for (others are ignored)
   * @param work the task; its exception is recorded, and dependants still run (they see it)
   * @return the failures, by key
   */
  static <K> Map<K, Throwable> run(
      Executor executor,
      List<K> keys,
      Function<K, Set<K>> dependencies,
      Consumer<K> work,
      Map<K, Throwable> failures) {
    Set<K> submitted = new HashSet<>();
    Set<K> finished = new HashSet<>();
    Map<K, Runnable> notStarted = new LinkedHashMap<>();
    Map<K, AtomicBoolean> started = new ConcurrentHashMap<>();
    BlockingQueue<K> done = new LinkedBlockingQueue<>();
    Set<K> all = new HashSet<>(keys);
    while (finished.size() < keys.size()) {
      for (K key : keys) {
        if (submitted.contains(key)) {
          continue;
        }
        Set<K> deps = new HashSet<>(dependencies.apply(key));
        deps.retainAll(all);
        if (!finished.containsAll(deps)) {
          continue;
        }
        AtomicBoolean once = new AtomicBoolean();
        started.put(key, once);
        Runnable task =
            () -> {
              if (!once.compareAndSet(false, true)) {
                return;
              }
              try {
                work.accept(key);
              } catch (Throwable t) {
                failures.put(key, t);
              } finally {
                done.add(key);
              }
            };
        submitted.add(key);
        notStarted.put(key, task);
        try {
          executor.execute(task);
        } catch (RejectedExecutionException e) {
          // run below by this thread
        }
      }
      K next;
      try {
        next = done.poll(STEAL_AFTER_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while applying", e);
      }
      if (next != null) {
        finished.add(next);
        notStarted.remove(next);
        for (K more; (more = done.poll()) != null; ) {
          finished.add(more);
          notStarted.remove(more);
        }
        continue;
      }
      // nothing finished for a while: run one task the executor has not started
      for (Map.Entry<K, Runnable> e : new ArrayList<>(notStarted.entrySet())) {
        if (!started.get(e.getKey()).get()) {
          e.getValue().run();
          break;
        }
        notStarted.remove(e.getKey());
      }
    }
    return failures;
  }
}
