package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.github.dockerjava.transport.DockerHttpClient;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the engine's {@code /events} stream for one project's containers (filtered by the label
 * {@code com.docker.compose.project=<project>}) and reports each change of a container (create,
 * start, die, health_status, destroy, ...) as a {@code TASK_STATE_CHANGED} event.
 *
 * <p>One task on the context's executor reads the stream; if the stream breaks (the engine
 * restarted), it is opened again from the time of the last event seen, so nothing is lost or
 * reported twice. Closing the subscription closes the stream, which ends the blocked read and the
 * task; {@link #close()} waits for it.
 */
public final class EventWatcher implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(EventWatcher.class);
  static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

  private final Engine engine;
  private final String project;
  private final Emitter events;
  private final Object lock = new Object();
  private volatile boolean closed;
  private DockerHttpClient.Response response;
  private Future<?> loop;
  private long lastTimeNano;

  private EventWatcher(Engine engine, String project, EventListener listener, Clock clock) {
    this.engine = engine;
    this.project = project;
    this.events = new Emitter(listener, clock, project);
  }

  /**
   * Starts following; the stream is open when this returns, so every change after it is reported.
   */
  public static EventWatcher start(
      Engine engine,
      String project,
      EventListener listener,
      Clock clock,
      ExecutorService executor) {
    EventWatcher watcher = new EventWatcher(engine, project, listener, clock);
    DockerHttpClient.Response first = watcher.open();
    watcher.loop = executor.submit(() -> watcher.run(first));
    return watcher;
  }

  private DockerHttpClient.Response open() {
    Map<String, Object> query = new LinkedHashMap<>();
    if (lastTimeNano > 0) {
      query.put(
          "since",
          (lastTimeNano / 1_000_000_000L)
              + "."
              + String.format(Locale.ROOT, "%09d", lastTimeNano % 1_000_000_000L));
    }
    query.put(
        "filters",
        engine.filters(
            Map.of(
                "type", List.of("container"),
                "label", List.of(ComposeNames.PROJECT + "=" + project))));
    DockerHttpClient.Response r =
        engine.stream("following the events of project " + project, Engine.path("/events", query));
    synchronized (lock) {
      if (closed) {
        Engine.closeQuietly(r);
        return null;
      }
      response = r;
    }
    return r;
  }

  private void run(DockerHttpClient.Response first) {
    DockerHttpClient.Response current = first;
    while (!closed) {
      if (current != null) {
        read(current);
      }
      if (closed) {
        break;
      }
      synchronized (lock) {
        try {
          lock.wait(RECONNECT_DELAY.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (closed) {
        break;
      }
      try {
        current = open();
      } catch (RuntimeException e) {
        LOG.debug(
            "Cannot follow the events of project {} (will retry): {}", project, e.getMessage());
        current = null;
      }
    }
    LOG.debug("Stopped following the events of project {}", project);
  }

  private void read(DockerHttpClient.Response r) {
    try (InputStream in = r.getBody();
        MappingIterator<JsonNode> it = engine.mapper().readerFor(JsonNode.class).readValues(in)) {
      while (!closed && it.hasNextValue()) {
        handle(it.nextValue());
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.debug("The event stream of project {} broke: {}", project, e.toString());
      }
    } finally {
      Engine.closeQuietly(r);
    }
  }

  void handle(JsonNode event) {
    long timeNano = event.path("timeNano").asLong();
    if (timeNano > 0 && timeNano <= lastTimeNano) {
      return; // seen before a reconnect
    }
    lastTimeNano = Math.max(lastTimeNano, timeNano);
    toAttributes(event)
        .ifPresent(
            attributes -> {
              String container = attributes.get("container");
              String message =
                  "container "
                      + container
                      + " is "
                      + attributes.get("state").toLowerCase(Locale.ROOT)
                      + (attributes.containsKey("health")
                          ? ", " + attributes.get("health").toLowerCase(Locale.ROOT)
                          : "")
                      + (attributes.containsKey("exitCode")
                          ? " (exit code " + attributes.get("exitCode") + ")"
                          : "")
                      + " ["
                      + attributes.get("action")
                      + "]";
              events.emit(
                  EventType.TASK_STATE_CHANGED, attributes.get("service"), message, attributes);
            });
  }

  /** The event's attributes, or empty for the actions that are not state changes. */
  static Optional<Map<String, String>> toAttributes(JsonNode event) {
    String action = event.path("Action").asText(event.path("status").asText(""));
    JsonNode actor = event.path("Actor").path("Attributes");
    Map<String, String> attributes = new LinkedHashMap<>();
    String health = null;
    TaskStatus state;
    String exitCode = null;
    if (action.startsWith("health_status")) {
      String h = action.substring(action.indexOf(':') + 1).trim();
      health = h.toUpperCase(Locale.ROOT);
      state = TaskStatus.RUNNING;
      action = "health_status";
    } else {
      switch (action) {
        case "create" -> state = TaskStatus.READY;
        case "start", "restart", "unpause", "pause" -> state = TaskStatus.RUNNING;
        case "die" -> {
          exitCode = actor.path("exitCode").asText("0");
          state = "0".equals(exitCode) ? TaskStatus.COMPLETE : TaskStatus.FAILED;
        }
        case "destroy" -> state = TaskStatus.REMOVE;
        default -> {
          return Optional.empty();
        }
      }
    }
    String id = event.path("Actor").path("ID").asText(event.path("id").asText(""));
    attributes.put("action", action);
    attributes.put("container", actor.path("name").asText(ComposeNames.shortId(id)));
    attributes.put("containerId", id);
    attributes.put("service", actor.path(ComposeNames.SERVICE).asText(""));
    attributes.put("number", actor.path(ComposeNames.NUMBER).asText("0"));
    attributes.put("state", state.name());
    if (health != null) {
      attributes.put("health", health);
    }
    if (exitCode != null) {
      attributes.put("exitCode", exitCode);
    }
    return Optional.of(attributes);
  }

  /** Whether the reading task has ended (for tests). */
  public boolean isStopped() {
    return loop != null && loop.isDone();
  }

  @Override
  public void close() {
    DockerHttpClient.Response r;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      r = response;
      response = null;
      lock.notifyAll();
    }
    Engine.closeQuietly(r);
    Future<?> running = loop;
    if (running != null) {
      try {
        running.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        LOG.warn(
            "The event reader of project {} did not stop within 5 s; interrupting it", project);
        running.cancel(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("The event reader of project {} ended with an error", project, e);
      }
    }
  }
}
