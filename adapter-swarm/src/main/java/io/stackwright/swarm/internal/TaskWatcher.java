package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.TaskState;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.events.SharedEventStream;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * <p>The polling runs in one task on the context's executor; the events come from the platform's
 * one stream ({@link SharedEventStream}, shared by the watchers of every stack) and only wake it.
 * Closing the subscription leaves the stream and ends the polling.
 */
public final class TaskWatcher implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(TaskWatcher.class);

  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  private final Engine engine;
  private final StatusReader reader;
  private final String stack;
  private final EventListener listener;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final Map<String, String> reported = new HashMap<>();

  /** The task that runs (or last ran) in each {@code service/slot}. */
  private final Map<String, String> slotTasks = new HashMap<>();

  /** Tasks seen failed: a new task in their slot is Swarm replacing them. */
  private final Set<String> failedTasks = new HashSet<>();

  private boolean woken;
  private volatile boolean closed;
  private Subscription subscription;
  private Future<?> loop;

  private TaskWatcher(Engine engine, String stack, EventListener listener, Clock clock) {
    this.engine = engine;
    this.reader = new StatusReader(engine);
    this.stack = stack;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * The platform's one stream, of the events every watcher looks at: those of containers, services,
   * secrets, configs and networks (each watcher takes its stack's).
   */
  public static SharedEventStream events(Engine engine, Clock clock, ExecutorService executor) {
    return new SharedEventStream(
        engine,
        "following the engine's Swarm events",
        Map.of("type", List.of("container", "service", "secret", "config", "network")),
        clock,
        executor);
  }

  /** Starts watching on {@code executor}, woken by the stack's events on {@code events}. */
  public static TaskWatcher start(
      Engine engine,
      SharedEventStream events,
      String stack,
      EventListener listener,
      Clock clock,
      ExecutorService executor) {
    TaskWatcher watcher = new TaskWatcher(engine, stack, listener, clock);
    // the first read is the baseline: what exists already is not reported, its changes are
    watcher.poll(true);
    // The stream only makes the poll look sooner: if it cannot open now, it retries by itself.
    watcher.subscription =
        events.subscribe(
            watcher::isRelevant,
            event -> {
              watcher.resourceChanged(event);
              watcher.wake();
            },
            false);
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

  boolean isRelevant(JsonNode event) {
    JsonNode attributes = event.path("Actor").path("Attributes");
    if (stack.equals(attributes.path(StackNames.NAMESPACE).asText(null))) {
      return true;
    }
    String name = attributes.path("name").asText(null);
    return name != null && name.startsWith(stack + "_");
  }

  /**
   * Reports what the tasks do not show: a service updated (a label edit starts no task) or removed
   * (its tasks go with it, unreported), a secret, config or network of the stack created, updated
   * or removed, by whoever did it. A drift watch compares on it. A service's creation shows in its
   * tasks.
   */
  void resourceChanged(JsonNode event) {
    if (closed) {
      return;
    }
    String action = event.path("Action").asText("");
    EventDetail.Resource kind =
        switch (event.path("Type").asText("")) {
          case "service" -> "create".equals(action) ? null : EventDetail.Resource.SERVICE;
          case "secret" -> EventDetail.Resource.SECRET;
          case "config" -> EventDetail.Resource.CONFIG;
          case "network" -> EventDetail.Resource.NETWORK;
          default -> null;
        };
    if (kind == null) {
      return;
    }
    String name = event.path("Actor").path("Attributes").path("name").asText("");
    String id = event.path("Actor").path("ID").asText(null);
    EventDetail detail;
    String done;
    switch (action) {
      case "create" -> {
        detail = new EventDetail.ResourceCreated(kind, name, id);
        done = "created";
      }
      case "update" -> {
        detail = new EventDetail.ResourceUpdated(kind, name, id, "updated");
        done = "updated";
      }
      case "remove", "destroy" -> {
        detail = new EventDetail.ResourceDeleted(kind, name, id);
        done = "removed";
      }
      default -> {
        return; // connect, disconnect: the containers' own events say it
      }
    }
    // a service's line is its key; other resources have none, so no service view takes them
    String subject = kind == EventDetail.Resource.SERVICE ? StackNames.descope(stack, name) : null;
    try {
      listener.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack,
              subject,
              kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name + " was " + done,
              detail));
    } catch (RuntimeException e) {
      LOG.warn("An event listener of stack {} failed", stack, e);
    }
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
        if (task.status() == io.stackwright.api.state.TaskStatus.FAILED
            || task.status() == io.stackwright.api.state.TaskStatus.REJECTED) {
          failedTasks.add(task.id());
        }
        if (task.desiredStatus() == io.stackwright.api.state.TaskStatus.RUNNING) {
          String slot = task.service() + "/" + task.slot();
          String previous = slotTasks.put(slot, task.id());
          if (!baseline
              && previous != null
              && !previous.equals(task.id())
              && failedTasks.remove(previous)
              && !ReplicaAccess.replacedByRequest(previous)
              && !closed) {
            replaced(task, previous);
          }
        }
      }
    }
    reported.keySet().retainAll(seen);
    failedTasks.retainAll(seen);
  }

  /** Swarm replaced a failed task by a new one in its slot (its restart policy), by itself. */
  private void replaced(TaskState task, String previous) {
    try {
      listener.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack,
              task.service(),
              "task "
                  + previous
                  + " of "
                  + task.service()
                  + " (slot "
                  + task.slot()
                  + ") failed and was replaced by task "
                  + task.id(),
              new EventDetail.ReplicaReplaced(
                  task.service(), previous, task.id(), task.slot(), "the replica failed")));
    } catch (RuntimeException e) {
      LOG.warn("An event listener of stack {} failed", stack, e);
    }
  }

  private void emit(TaskState task) {
    EventDetail.TaskStateChanged detail =
        new EventDetail.TaskStateChanged(
            task.service(),
            task.id(),
            task.slot(),
            task.status(),
            task.desiredStatus(),
            task.health(),
            task.containerId(),
            null,
            task.error(),
            task.nodeId());
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
          new OrchestratorEvent(clock.instant(), stack, task.service(), message, detail));
    } catch (RuntimeException e) {
      LOG.warn("An event listener of stack {} failed", stack, e);
    }
  }

  private void closeStream() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
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
