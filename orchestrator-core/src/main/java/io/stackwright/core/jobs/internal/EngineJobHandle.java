package io.stackwright.core.jobs.internal;

import io.stackwright.api.NotFoundException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.store.Job;
import io.stackwright.core.jobs.JobHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link JobHandle} backed by the engine that knows the job. */
final class EngineJobHandle implements JobHandle {
  private final JobEngine engine;
  private final long id;

  EngineJobHandle(JobEngine engine, long id) {
    this.engine = engine;
    this.id = id;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public Job job() {
    return engine
        .find(id)
        .orElseThrow(() -> new NotFoundException("job " + id + " is no longer in the store"));
  }

  @Override
  public CompletableFuture<Job> finished() {
    return engine.future(id).copy();
  }

  @Override
  public Job await(Duration timeout) {
    CompletableFuture<Job> future = engine.future(id);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException();
        }
        try {
          // Another process may finish the job: look at the store now and then.
          return future.get(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          engine.future(id);
        }
      }
    } catch (TimeoutException e) {
      throw new OrchestratorException(
          "job " + id + " did not finish within " + timeout + "; it goes on", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrchestratorException("interrupted while waiting for job " + id, e);
    } catch (ExecutionException e) {
      throw new OrchestratorException("job " + id + " failed unexpectedly", e.getCause());
    }
  }

  @Override
  public void onEvent(EventListener listener) {
    engine.log(id).subscribe(listener);
  }

  @Override
  public void cancel() {
    if (engine.find(id).map(j -> !j.finished()).orElse(false)) {
      try {
        engine.signal(id, JobEngine.CANCEL);
      } catch (NotFoundException e) {
        // it finished meanwhile: nothing to cancel
      }
    }
  }

  @Override
  public String toString() {
    return "Job[" + id + "]";
  }
}
