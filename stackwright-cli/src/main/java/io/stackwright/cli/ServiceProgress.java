package io.stackwright.cli;

import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What each service of a deployment is doing, folded from the deployment's events: one line per
 * service (creating, starting, waiting for health, healthy, rolling n/m, failed, up to date) with
 * the time since its state began. Pure: the caller feeds events and asks for lines; {@link
 * LiveView} draws them.
 */
final class ServiceProgress {
  /** A service's state, in the order people expect to see it move. */
  enum State {
    WAITING("waiting"),
    UNCHANGED("up to date"),
    CREATING("creating"),
    UPDATING("updating"),
    STARTING("starting"),
    WAITING_FOR_HEALTH("waiting for health"),
    ROLLING("rolling"),
    RUNNING("running"),
    HEALTHY("healthy"),
    FAILED("failed");

    final String text;

    State(String text) {
      this.text = text;
    }

    boolean isDone() {
      return this == UNCHANGED || this == RUNNING || this == HEALTHY || this == FAILED;
    }
  }

  /** One service's line. */
  static final class Line {
    final String service;
    State state;
    Instant since;
    boolean updating;
    int desired;
    String detail = "";
    final Map<String, String[]> replicas = new LinkedHashMap<>(); // id -> {state, health}

    Line(String service, State state, Instant since) {
      this.service = service;
      this.state = state;
      this.since = since;
    }

    long ready() {
      return replicas.values().stream()
          .filter(r -> r[0].equals("RUNNING") && (r[1].equals("NONE") || r[1].equals("HEALTHY")))
          .count();
    }
  }

  private final Map<String, Line> lines = new LinkedHashMap<>();
  private final Instant started;
  private final java.util.Set<String> healthChecked;

  /**
   * @param healthChecked the services with a healthcheck: converged, they are {@code healthy}
   *     rather than {@code running}
   */
  ServiceProgress(
      Iterable<String> services,
      Map<String, Integer> replicas,
      java.util.Set<String> healthChecked,
      Instant started) {
    this.started = started;
    this.healthChecked = java.util.Set.copyOf(healthChecked);
    for (String service : services) {
      Line line = new Line(service, State.WAITING, started);
      line.desired = replicas.getOrDefault(service, 1);
      lines.put(service, line);
    }
  }

  /** The plan says which services change; the others are up to date. */
  synchronized void plan(Plan plan, Instant at) {
    for (Line line : lines.values()) {
      move(line, State.UNCHANGED, at);
    }
    for (Change change : plan.changes()) {
      if (change.kind() != ResourceKind.SERVICE) {
        continue;
      }
      Line line = lines.get(change.key());
      if (line == null) {
        continue;
      }
      if (change instanceof Change.Create) {
        move(line, State.CREATING, at);
      } else if (change instanceof Change.Update) {
        line.updating = true;
        move(line, State.UPDATING, at);
      } else {
        move(line, State.WAITING, at);
        line.detail = "removing";
      }
    }
  }

  synchronized void onEvent(OrchestratorEvent event) {
    Line line = event.subject() == null ? null : lines.get(event.subject());
    Instant at = event.timestamp();
    if (event.type() == EventType.DEPLOYMENT_FAILED) {
      for (Line each : lines.values()) {
        if (!each.state.isDone()) {
          move(each, State.FAILED, at);
        }
      }
      return;
    }
    if (line == null) {
      return;
    }
    switch (event.type()) {
      case RESOURCE_CREATED -> move(line, State.STARTING, at);
      case RESOURCE_UPDATED -> {
        line.updating = true;
        move(line, State.ROLLING, at);
      }
      case TASK_STATE_CHANGED -> replica(line, event, at);
      case SERVICE_CONVERGED -> {
        if (line.state == State.UNCHANGED) {
          return; // converged as it was: nothing was written
        }
        boolean checked = line.replicas.values().stream().anyMatch(r -> r[1].equals("HEALTHY"));
        move(line, checked ? State.HEALTHY : State.RUNNING, at);
      }
      case ROLLOUT_STEP -> line.detail = event.message();
      default -> {}
    }
  }

  private void replica(Line line, OrchestratorEvent event, Instant at) {
    if (!(event.detail() instanceof EventDetail.TaskStateChanged task) || task.replica() == null) {
      return;
    }
    String id = task.replica();
    String state = task.state().name();
    String health = task.health().name();
    if (state.equals("REMOVE") || state.equals("SHUTDOWN") || state.equals("COMPLETE")) {
      line.replicas.remove(id);
    } else {
      line.replicas.put(id, new String[] {state, health});
    }
    if (line.state.isDone() && line.state != State.UNCHANGED) {
      return;
    }
    if (state.equals("FAILED") || state.equals("REJECTED")) {
      line.detail = task.error() != null ? task.error() : "a replica failed";
      return;
    }
    if (line.state == State.UNCHANGED) {
      return;
    }
    if (line.updating) {
      move(line, State.ROLLING, at);
    } else if (state.equals("RUNNING") && health.equals("STARTING")) {
      move(line, State.WAITING_FOR_HEALTH, at);
    } else if (!state.equals("RUNNING")) {
      move(line, State.STARTING, at);
    }
  }

  private static void move(Line line, State state, Instant at) {
    if (line.state != state) {
      line.state = state;
      line.since = at;
    }
  }

  /** Marks every service that is not done as failed (the deployment ended in failure). */
  synchronized void failRemaining(Instant at) {
    for (Line line : lines.values()) {
      if (!line.state.isDone()) {
        move(line, State.FAILED, at);
      }
    }
  }

  /** Every service is done (up to date, running, healthy or failed). */
  synchronized boolean isDone() {
    return lines.values().stream().allMatch(l -> l.state.isDone());
  }

  /** The lines as text, one per service, at {@code now}. */
  synchronized List<Rendered> render(Instant now) {
    int width = lines.keySet().stream().mapToInt(String::length).max().orElse(7);
    List<Rendered> out = new ArrayList<>();
    for (Line line : lines.values()) {
      String state = line.state.text;
      if (line.state == State.ROLLING || line.state == State.STARTING) {
        state += " " + line.ready() + "/" + line.desired;
      }
      Duration elapsed = Duration.between(line.state.isDone() ? line.since : started, now);
      if (line.state.isDone()) {
        elapsed = Duration.between(started, line.since);
      }
      String text =
          String.format(
              Locale.ROOT,
              " %-" + width + "s  %-22s %5.1fs%s",
              line.service,
              state,
              Math.max(0, elapsed.toMillis()) / 1000.0,
              line.detail.isEmpty() ? "" : "  " + line.detail);
      out.add(new Rendered(line.state, text));
    }
    return out;
  }

  record Rendered(State state, String text) {}
}
