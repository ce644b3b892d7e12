package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.DependsOn;
import io.stackwright.api.PlatformException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code depends_on} on Swarm, which has no such thing (moby#31333): services are created and
 * updated in dependency order, and each waits, before it is written, for what its {@code
 * depends_on} asks of each dependency, as {@code docker compose} does on one engine:
 *
 * <ul>
 *   <li>{@code service_started}: every wanted task of the dependency has started (Swarm state
 *       {@code starting}, {@code running} or {@code complete});
 *   <li>{@code service_healthy}: every wanted task is {@code running}, which Swarm reports only
 *       once the container's healthcheck passed; a dependency without a healthcheck fails;
 *   <li>{@code service_completed_successfully}: every wanted task is {@code complete} (exit 0); a
 *       task that failed fails the dependant;
 *   <li>{@code required: false}: a failure is a warning, and the service is written anyway;
 *   <li>{@code restart: true}: a dependant the plan leaves alone is restarted (its tasks replaced,
 *       as {@code docker service update --force} does) once an updated dependency is ready again.
 * </ul>
 *
 * A dependency with no replicas wanted is not waited for. States are polled every 500 ms.
 */
final class DependencyGate {
  private static final Logger LOG = LoggerFactory.getLogger(DependencyGate.class);
  static final Duration POLL = Duration.ofMillis(500);

  private final Engine engine;
  private final Clock clock;
  private final Duration timeout;

  DependencyGate(Engine engine, Clock clock, Duration timeout) {
    this.engine = engine;
    this.clock = clock;
    this.timeout = timeout;
  }

  /**
   * The service changes (creates and updates) in an order where every dependency comes before its
   * dependants; otherwise in the plan's order.
   */
  static List<Change> order(StackSpec stack, List<Change> changes) {
    Map<String, Change> byKey = new LinkedHashMap<>();
    changes.forEach(c -> byKey.put(c.key(), c));
    Set<String> done = new LinkedHashSet<>();
    for (String key : byKey.keySet()) {
      visit(stack, key, byKey, done, new LinkedHashSet<>());
    }
    return done.stream().map(byKey::get).toList();
  }

  private static void visit(
      StackSpec stack, String key, Map<String, Change> byKey, Set<String> done, Set<String> path) {
    if (done.contains(key) || !path.add(key)) {
      return; // a cycle is left in plan order; the model's checks name it
    }
    ServiceSpec service = stack.services().get(key);
    if (service != null) {
      for (String dependency : service.dependsOn().keySet()) {
        if (byKey.containsKey(dependency)) {
          visit(stack, dependency, byKey, done, path);
        }
      }
    }
    done.add(key);
  }

  /** Waits for every dependency of {@code service}; throws on a required one that fails. */
  void await(StackSpec stack, ServiceSpec service, EventListener events) {
    for (Map.Entry<String, DependsOn> e : service.dependsOn().entrySet()) {
      String dependency = e.getKey();
      DependsOn condition = e.getValue();
      ServiceSpec spec = stack.services().get(dependency);
      if (spec == null || wanted(spec) == 0) {
        continue;
      }
      LOG.debug(
          "Service {} of stack {} waits for {} to be {}",
          service.name(),
          stack.name(),
          dependency,
          condition.condition());
      Optional<String> failure = awaitOne(stack, service.name(), spec, condition);
      if (failure.isEmpty()) {
        continue;
      }
      if (condition.required()) {
        throw new PlatformException(
            "starting service "
                + service.name()
                + " of stack "
                + stack.name()
                + " failed: "
                + failure.get(),
            false);
      }
      String message =
          "optional dependency \""
              + dependency
              + "\" of "
              + service.name()
              + " did not become "
              + name(condition)
              + " ("
              + failure.get()
              + "); starting it anyway";
      LOG.warn("Stack {}: {}", stack.name(), message);
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack.name(),
              service.name(),
              message,
              new EventDetail.Warning(
                  "optional-dependency-failed",
                  Map.of("dependency", dependency, "condition", name(condition)))));
    }
  }

  static String name(DependsOn condition) {
    return switch (condition.condition()) {
      case SERVICE_STARTED -> "service_started";
      case SERVICE_HEALTHY -> "service_healthy";
      case SERVICE_COMPLETED_SUCCESSFULLY -> "service_completed_successfully";
    };
  }

  private static int wanted(ServiceSpec spec) {
    return switch (spec.mode()) {
      case REPLICATED, REPLICATED_JOB -> spec.replicas();
      case GLOBAL, GLOBAL_JOB -> 1;
    };
  }

  private Optional<String> awaitOne(
      StackSpec stack, String dependant, ServiceSpec dependency, DependsOn condition) {
    if (condition.condition() == DependsOn.Condition.SERVICE_HEALTHY
        && (dependency.healthcheck() == null || dependency.healthcheck().isDisabled())
        && !imageHasHealthcheck(dependency)) {
      return Optional.of(
          "dependency failed to start: service " + dependency.name() + " has no healthcheck");
    }
    String serviceName = StackNames.scope(stack.name(), dependency.name());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Verdict verdict = check(serviceName, dependency, condition);
      if (verdict.done()) {
        return Optional.ofNullable(verdict.failure());
      }
      if (System.nanoTime() > deadline) {
        return Optional.of(
            "dependency "
                + dependency.name()
                + " did not reach "
                + name(condition)
                + " within "
                + timeout.toSeconds()
                + "s ("
                + verdict.waitingFor()
                + ")");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of(
            dependant + " was interrupted while waiting for dependency " + dependency.name());
      }
    }
  }

  private boolean imageHasHealthcheck(ServiceSpec dependency) {
    try {
      JsonNode image = engine.tree(engine.docker().inspectImageCmd(dependency.image()).exec());
      JsonNode test = image.path("Config").path("Healthcheck").path("Test");
      return test.size() > 0 && !"NONE".equals(test.path(0).asText());
    } catch (RuntimeException e) {
      return false; // not on this node: only the service's own healthcheck counts
    }
  }

  private record Verdict(boolean done, String failure, String waitingFor) {
    static Verdict ok() {
      return new Verdict(true, null, null);
    }

    static Verdict fail(String why) {
      return new Verdict(true, why, null);
    }

    static Verdict waiting(String what) {
      return new Verdict(false, null, what);
    }
  }

  private Verdict check(String serviceName, ServiceSpec dependency, DependsOn condition) {
    List<JsonNode> tasks =
        engine.getList(
            "listing the tasks of " + serviceName,
            Engine.path(
                "/tasks",
                Map.of("filters", engine.filters(Map.of("service", List.of(serviceName))))));
    int wanted = wanted(dependency);
    int started = 0;
    int running = 0;
    int complete = 0;
    String last = "no task yet";
    for (JsonNode task : tasks) {
      String desired = task.path("DesiredState").asText();
      String state = task.path("Status").path("State").asText();
      String err = task.path("Status").path("Err").asText("");
      if (condition.condition() == DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY
          && (state.equals("failed") || state.equals("rejected"))) {
        return Verdict.fail(
            "service \""
                + dependency.name()
                + "\" didn't complete successfully: "
                + (err.isEmpty() ? state : err));
      }
      if (condition.condition() == DependsOn.Condition.SERVICE_HEALTHY
          && state.equals("failed")
          && err.contains("unhealthy")) {
        return Verdict.fail(
            "dependency failed to start: a task of " + dependency.name() + " is unhealthy");
      }
      if (state.equals("complete")) {
        complete++; // a finished task may be desired shut down since: it completed all the same
      }
      if (!desired.equals("running") && !desired.equals("complete")) {
        continue;
      }
      last = "a task is " + state + (err.isEmpty() ? "" : " (" + err + ")");
      switch (state) {
        case "starting" -> started++;
        case "running" -> {
          started++;
          running++;
        }
        case "complete" -> started++;
        default -> {}
      }
    }
    int reached =
        switch (condition.condition()) {
          case SERVICE_STARTED -> started;
          case SERVICE_HEALTHY -> running;
          case SERVICE_COMPLETED_SUCCESSFULLY -> complete;
        };
    if (reached >= wanted) {
      return Verdict.ok();
    }
    return Verdict.waiting(reached + " of " + wanted + " tasks there; " + last);
  }
}
