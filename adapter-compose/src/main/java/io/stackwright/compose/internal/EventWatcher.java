package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.events.EventStream;
import io.stackwright.docker.internal.events.SharedEventStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Reports each change of one project's containers (create, start, die, health_status, destroy, ...)
 * as a {@code TASK_STATE_CHANGED} event, and each network of the project created or removed as a
 * {@code RESOURCE_CREATED} / {@code RESOURCE_DELETED} event (a drift watch compares on it).
 *
 * <p>The events come from the platform's one {@code /events} stream ({@link #events}), which hands
 * this watcher the containers labelled {@code com.docker.compose.project=<project>} (those of a
 * service the project does not declare too: an extra container is drift) and the project's networks
 * by name, {@code <project>_...} or a {@code name:} of their own ({@link NetworkNames}: network
 * events carry no labels). The stream reconnects from the last event seen when it breaks, so
 * nothing is lost or reported twice (see {@link EventStream}).
 */
public final class EventWatcher implements Subscription {
  private final Subscription subscription;

  private EventWatcher(Subscription subscription) {
    this.subscription = subscription;
  }

  /** The platform's one stream: container and network events of the engine. */
  public static SharedEventStream events(Engine engine, Clock clock, ExecutorService executor) {
    return new SharedEventStream(
        engine,
        "following the engine's container and network events",
        // no label filter: the engine's network events carry no labels
        Map.of("type", List.of("container", "network")),
        clock,
        executor);
  }

  /**
   * Starts following; the stream is open when this returns, so every change after it is reported.
   */
  public static EventWatcher start(
      SharedEventStream events,
      String project,
      NetworkNames networks,
      EventListener listener,
      Clock clock) {
    Emitter emitter = new Emitter(listener, clock, project);
    return new EventWatcher(
        events.subscribe(
            event -> belongsTo(project, networks, event),
            event -> {
              if ("network".equals(event.path("Type").asText())) {
                handleNetwork(emitter, event);
              } else {
                handle(emitter, event);
              }
            },
            true));
  }

  /** Whether the event is of the project's containers or networks. */
  static boolean belongsTo(String project, NetworkNames networks, JsonNode event) {
    JsonNode attributes = event.path("Actor").path("Attributes");
    if ("network".equals(event.path("Type").asText())) {
      return networks.isOf(project, attributes.path("name").asText(""));
    }
    return project.equals(attributes.path(ComposeNames.PROJECT).asText(null));
  }

  /** A network of the project created or removed (connects come with the containers' events). */
  static void handleNetwork(Emitter events, JsonNode event) {
    String name = event.path("Actor").path("Attributes").path("name").asText("");
    String id = event.path("Actor").path("ID").asText(null);
    switch (event.path("Action").asText("")) {
      case "create" ->
          events.emit(
              new EventDetail.ResourceCreated(EventDetail.Resource.NETWORK, name, id),
              null,
              "network " + name + " was created");
      case "destroy" ->
          events.emit(
              new EventDetail.ResourceDeleted(EventDetail.Resource.NETWORK, name, id),
              null,
              "network " + name + " was removed");
      default -> {}
    }
  }

  static void handle(Emitter events, JsonNode event) {
    toAttributes(event)
        .ifPresent(
            attributes -> {
              EventDetail.TaskStateChanged detail = detail(attributes);
              events.emit(detail, detail.service(), message(attributes));
            });
  }

  /** The typed detail of a state change read by {@link #toAttributes}. */
  static EventDetail.TaskStateChanged detail(Map<String, String> attributes) {
    String exitCode = attributes.get("exitCode");
    String health = attributes.get("health");
    int number;
    try {
      number = Integer.parseInt(attributes.getOrDefault("number", "0"));
    } catch (NumberFormatException e) {
      number = 0;
    }
    Integer code = null;
    if (exitCode != null) {
      try {
        code = Integer.valueOf(exitCode);
      } catch (NumberFormatException e) {
        code = null;
      }
    }
    return new EventDetail.TaskStateChanged(
        attributes.get("service"),
        attributes.get("containerId"),
        number,
        TaskStatus.valueOf(attributes.get("state")),
        null,
        health == null ? null : HealthStatus.valueOf(health),
        attributes.get("containerId"),
        code,
        code != null && code != 0 ? "exit code " + code : null,
        null);
  }

  /** A sentence for people: "container p-web-1 exited with code 137". */
  static String message(Map<String, String> attributes) {
    String container = "container " + attributes.get("container");
    String exitCode = attributes.get("exitCode");
    return switch (attributes.get("action")) {
      case "create" -> container + " was created";
      case "start" -> container + " started";
      case "restart" -> container + " restarted";
      case "pause" -> container + " was paused";
      case "unpause" -> container + " was unpaused";
      case "die" -> container + " exited with code " + exitCode;
      case "destroy" -> container + " was removed";
      case "health_status" ->
          container + " is " + attributes.get("health").toLowerCase(Locale.ROOT);
      default -> container + " changed state (" + attributes.get("action") + ")";
    };
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

  @Override
  public void close() {
    subscription.close();
  }
}
