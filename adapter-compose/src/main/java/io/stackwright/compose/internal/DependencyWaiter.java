package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.DependsOn;
import io.stackwright.api.PlatformException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.compose.internal.Observed.Container;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waits, before a service starts, for what its {@code depends_on} asks of each dependency, with
 * compose's rules and messages:
 *
 * <ul>
 *   <li>{@code service_started}: order only, no waiting;
 *   <li>{@code service_healthy}: every container of the dependency reports healthy (polled every
 *       500 ms, as compose does); unhealthy, exited, or without a healthcheck fails;
 *   <li>{@code service_completed_successfully}: every container has exited, with 0;
 *   <li>{@code required: false}: a failure is a warning, and the service starts anyway.
 * </ul>
 *
 * A dependency with no containers wanted (replicas 0) is not waited for.
 */
final class DependencyWaiter {
  static final Duration POLL = Duration.ofMillis(500);

  private final ProjectReader reader;
  private final Duration timeout;

  DependencyWaiter(ProjectReader reader, Duration timeout) {
    this.reader = reader;
    this.timeout = timeout;
  }

  /** Waits for every dependency of {@code service}; throws on a required one that fails. */
  void await(StackSpec stack, ServiceSpec service, Emitter events) {
    for (Map.Entry<String, DependsOn> e : service.dependsOn().entrySet()) {
      String dep = e.getKey();
      DependsOn condition = e.getValue();
      ServiceSpec depSpec = stack.services().get(dep);
      if (depSpec == null || ServiceActions.desiredReplicas(depSpec) == 0) {
        continue;
      }
      Optional<String> failure = awaitOne(stack.name(), service.name(), dep, condition);
      if (failure.isPresent()) {
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
        events.warn(
            service.name(),
            "optional-dependency-failed",
            optionalMessage(dep, condition) + " (" + failure.get() + ")");
      }
    }
  }

  static String optionalMessage(String dep, DependsOn condition) {
    return switch (condition.condition()) {
      case SERVICE_HEALTHY -> "optional dependency \"" + dep + "\" is not running or is unhealthy";
      case SERVICE_COMPLETED_SUCCESSFULLY ->
          "optional dependency \"" + dep + "\" didn't complete successfully";
      default -> "optional dependency \"" + dep + "\" failed to start";
    };
  }

  /** Empty when the condition holds; the failure otherwise. */
  private Optional<String> awaitOne(
      String project, String service, String dep, DependsOn condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Container> containers = reader.containers(project, dep);
      if (containers.isEmpty()) {
        return Optional.of(service + " is missing dependency " + dep);
      }
      Verdict verdict = check(dep, condition, containers);
      if (verdict.done()) {
        return Optional.ofNullable(verdict.failure());
      }
      if (System.nanoTime() > deadline) {
        return Optional.of(
            "dependency "
                + dep
                + " did not reach "
                + ComposeNames.condition(condition)
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
        return Optional.of("interrupted while waiting for dependency " + dep);
      }
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

  private Verdict check(String dep, DependsOn condition, List<Container> containers) {
    switch (condition.condition()) {
      case SERVICE_STARTED:
        return Verdict.ok();
      case SERVICE_HEALTHY:
        for (Container c : containers) {
          JsonNode inspect = reader.inspect(c.id()).orElse(null);
          if (inspect == null) {
            return Verdict.waiting("container " + c.name() + " is being replaced");
          }
          JsonNode state = inspect.path("State");
          String status = state.path("Status").asText();
          if ("exited".equals(status) || "dead".equals(status)) {
            return Verdict.fail(
                "dependency failed to start: container "
                    + c.name()
                    + " exited ("
                    + state.path("ExitCode").asInt()
                    + ")");
          }
          JsonNode health = state.path("Health");
          JsonNode test = inspect.path("Config").path("Healthcheck").path("Test");
          boolean disabled = test.size() == 1 && "NONE".equals(test.path(0).asText());
          if (health.isMissingNode() || health.isNull() || disabled) {
            return Verdict.fail(
                "dependency failed to start: container "
                    + c.name()
                    + " has no healthcheck configured");
          }
          String h = health.path("Status").asText();
          if ("unhealthy".equals(h)) {
            return Verdict.fail(
                "dependency failed to start: container " + c.name() + " is unhealthy");
          }
          if (!"healthy".equals(h)) {
            return Verdict.waiting("container " + c.name() + " is " + (h.isEmpty() ? status : h));
          }
        }
        return Verdict.ok();
      case SERVICE_COMPLETED_SUCCESSFULLY:
        for (Container c : containers) {
          JsonNode inspect = reader.inspect(c.id()).orElse(null);
          if (inspect == null) {
            return Verdict.waiting("container " + c.name() + " is being replaced");
          }
          JsonNode state = inspect.path("State");
          String status = state.path("Status").asText();
          if ("exited".equals(status) || "dead".equals(status)) {
            int code = state.path("ExitCode").asInt();
            if (code != 0) {
              return Verdict.fail(
                  "service \"" + dep + "\" didn't complete successfully: exit " + code);
            }
          } else {
            return Verdict.waiting("container " + c.name() + " is " + status);
          }
        }
        return Verdict.ok();
      default:
        return Verdict.ok();
    }
  }
}
