package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.TaskState;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the replicas' changes of one stack as {@code TASK_STATE_CHANGED} events.
 *
 * <p>It follows the engine's {@code /events} stream (container events of the stack's containers:
 * create, start, die, health_status; service events: create, update, remove) and, on each relevant
 * event, reads the stack's tasks again and reports those whose state, desired state, health or
 * error changed since last reported.
 *
 * <p>The stream alone is not enough: Engine API 1.41 has no task events, a task that fails before
 * it has a container (an image that cannot be found, a placement nobody satisfies) produces no
 * container event, and containers on other nodes produce none on this engine. So the watcher also
 * reads the tasks every {@link #POLL_INTERVAL} as a fallback; the events only make it look sooner.
 *
 * <p>Everything runs in one task on the context's executor (docker-java reads the stream on its own
 * thread and only wakes that task). Closing the subscription closes the stream and ends the task.
 */
public final class TaskWatcher implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(TaskWatcher.class);

  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  private static final Duration RESUBSCRIBE_INTERVAL = Duration.ofSeconds(5);

  private final Engine engine;
  private final StatusReader reader;
  private final String stack;
  private final EventListener listener;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final Map<String, String> reported = new HashMap<>();
  private boolean woken;
  private volatile boolean closed;
  private volatile Closeable stream;
  private volatile boolean streamBroken = true;
  private long lastSubscribeNanos;
  private Future<?> loop;

  private TaskWatcher(Engine engine, String stack, EventListener listener, Clock clock) {
    this.engine = engine;
    this.reader = new StatusReader(engine);
    this.stack = stack;
    this.listener = listener;
    this.clock = clock;
  }

  /** Starts watching on {@code executor}. */
  public static TaskWatcher start(
      Engine engine, String stack, EventListener listener, Clock clock, ExecutorService executor) {
    TaskWatcher watcher = new TaskWatcher(engine, stack, listener, clock);
    // the first read is the baseline: what exists already is not reported, its changes are
    watcher.poll(true);
    watcher.subscribe();
    try {
      watcher.loop = executor.submit(watcher::run);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      watcher.close();
      throw new io.stackwright.api.PlatformException(
          "watching stack " + stack + " failed: the executor refused the watcher", false, e);
    }
    return watcher;
  }

  private void run() {
    while (!closed) {
      try {
        if (streamBroken
            && System.nanoTime() - lastSubscribeNanos > RESUBSCRIBE_INTERVAL.toNanos()) {
          subscribe();
        }
        poll(false);
      } catch (RuntimeException e) {
        LOG.debug("Watching stack {}: reading tasks failed (will retry): {}", stack, e.toString());
      }
      awaitWakeUp();
    }
  }

  private void awaitWakeUp() {
    lock.lock();
    try {
      long nanos = POLL_INTERVAL.toNanos();
      while (!woken && !closed && nanos > 0) {
        nanos = wakeUp.awaitNanos(nanos);
      }
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  private void wake() {
    lock.lock();
    try {
      woken = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void subscribe() {
    lastSubscribeNanos = System.nanoTime();
    closeStream();
    if (closed) {
      return;
    }
    try {
      ResultCallback.Adapter<Event> callback =
          new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
              if (isRelevant(event)) {
                wake();
              }
            }

            @Override
            public void onError(Throwable throwable) {
              if (!closed) {
                LOG.debug("Event stream of stack {} failed: {}", stack, throwable.toString());
              }
              streamBroken = true;
              super.onError(throwable);
            }

            @Override
            public void onComplete() {
              streamBroken = true;
              super.onComplete();
            }
          };
      stream =
          engine.streaming().eventsCmd().withEventTypeFilter("container", "service").exec(callback);
      streamBroken = false;
    } catch (RuntimeException e) {
      streamBroken = true;
      LOG.debug("Cannot follow the event stream for stack {}: {}", stack, e.toString());
    }
  }

  boolean isRelevant(Event event) {
    if (event.getActor() == null || event.getActor().getAttributes() == null) {
      return false;
    }
    Map<String, String> attributes = event.getActor().getAttributes();
    if (stack.equals(attributes.get(StackNames.NAMESPACE))) {
      return true;
    }
    String name = attributes.get("name");
    return name != null && name.startsWith(stack + "_");
  }

  /** Reads the tasks and reports what changed; {@code baseline} only records. */
  synchronized void poll(boolean baseline) {
    List<LiveService> services = LiveStack.services(engine, stack);
    Map<String, List<JsonNode>> tasks = reader.tasks(services);
    Set<String> seen = new HashSet<>();
    for (LiveService service : services) {
      var state = reader.serviceState(stack, service, tasks.getOrDefault(service.id(), List.of()));
      for (TaskState task : state.tasks()) {
        seen.add(task.id());
        String signature =
            task.status() + "|" + task.desiredStatus() + "|" + task.health() + "|" + task.error();
        String before = reported.put(task.id(), signature);
        if (!baseline && !Objects.equals(before, signature) && !closed) {
          emit(task);
        }
      }
    }
    reported.keySet().retainAll(seen);
  }

  private void emit(TaskState task) {
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("taskId", task.id());
    attributes.put("slot", Integer.toString(task.slot()));
    attributes.put("state", task.status().name());
    attributes.put("desired", task.desiredStatus().name());
    attributes.put("health", task.health().name());
    if (task.error() != null) {
      attributes.put("error", task.error());
    }
    if (task.nodeId() != null) {
      attributes.put("node", task.nodeId());
    }
    String message =
        "task "
            + task.service()
            + "."
            + task.slot()
            + " ("
            + task.id()
            + ") is "
            + task.status().name().toLowerCase(java.util.Locale.ROOT)
            + (task.health() == io.stackwright.api.state.HealthStatus.NONE
                ? ""
                : ", " + task.health().name().toLowerCase(java.util.Locale.ROOT))
            + (task.error() == null ? "" : ": " + task.error());
    try {
      listener.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              EventType.TASK_STATE_CHANGED,
              stack,
              task.service(),
              message,
              attributes));
    } catch (RuntimeException e) {
      LOG.warn("An event listener of stack {} failed", stack, e);
    }
  }

  private void closeStream() {
    Closeable s = stream;
    stream = null;
    if (s != null) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.debug("Closing the event stream of stack {} failed", stack, e);
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeStream();
    wake();
    Future<?> running = loop;
    if (running != null) {
      try {
        running.get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        running.cancel(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("The watcher of stack {} ended with an error", stack, e);
      }
    }
  }
}
