package io.stackwright.core.jobs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** Runs nothing until the test says so: a claimed job stays "running" until {@link #runAll}. */
final class QueuedExecutor implements Executor {
  private final Deque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  /** Runs queued tasks (and those they queue) until none is left; returns how many ran. */
  int runAll() {
    int ran = 0;
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
      }
      if (next == null) {
        return ran;
      }
      next.run();
      ran++;
    }
  }

  /** Runs only the oldest queued task. */
  boolean runOne() {
    Runnable next;
    synchronized (this) {
      next = tasks.poll();
    }
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  synchronized int pending() {
    return tasks.size();
  }
}
