package io.stackwright.compose.internal;

import io.stackwright.api.DependsOn;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order services are created and started in: leaves (services that depend on nothing) first,
 * then the services whose dependencies are all done, level by level; within a level, declaration
 * order. Services of one level do not depend on each other and run in parallel.
 *
 * <p>The model rejects a service that depends on an undeclared one; a cycle cannot be told apart
 * from here, so it is reported as an error naming the services involved.
 */
public final class DependencyOrder {
  private DependencyOrder() {}

  /** The services in levels, leaves first. */
  public static List<List<String>> levels(StackSpec stack) {
    Map<String, Set<String>> remaining = new LinkedHashMap<>();
    stack
        .services()
        .forEach(
            (key, service) -> {
              Set<String> deps = new LinkedHashSet<>();
              service.dependsOn().keySet().stream()
                  .filter(stack.services()::containsKey)
                  .forEach(deps::add);
              remaining.put(key, deps);
            });
    List<List<String>> levels = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    while (!remaining.isEmpty()) {
      List<String> level = new ArrayList<>();
      remaining.forEach(
          (key, deps) -> {
            if (done.containsAll(deps)) {
              level.add(key);
            }
          });
      if (level.isEmpty()) {
        throw new IllegalStateException(
            "dependency cycle detected among services " + remaining.keySet());
      }
      level.forEach(remaining::remove);
      done.addAll(level);
      levels.add(List.copyOf(level));
    }
    return levels;
  }

  /** All services, leaves first. */
  public static List<String> order(StackSpec stack) {
    return levels(stack).stream().flatMap(List::stream).toList();
  }

  /**
   * The services that depend on {@code service} with {@code restart: true}: restarted after it is
   * recreated.
   */
  public static List<String> restartDependents(StackSpec stack, String service) {
    List<String> dependents = new ArrayList<>();
    for (ServiceSpec s : stack.services().values()) {
      DependsOn dep = s.dependsOn().get(service);
      if (dep != null && dep.restart()) {
        dependents.add(s.name());
      }
    }
    return dependents;
  }

  /**
   * Whether the service runs to completion rather than forever: a job, or a service another one
   * waits for with {@code service_completed_successfully}. Such a service's exited containers are
   * not restarted.
   */
  public static boolean isOneShot(StackSpec stack, ServiceSpec service) {
    if (service.mode() == ServiceSpec.Mode.REPLICATED_JOB
        || service.mode() == ServiceSpec.Mode.GLOBAL_JOB) {
      return true;
    }
    return stack.services().values().stream()
        .map(s -> s.dependsOn().get(service.name()))
        .anyMatch(
            d -> d != null && d.condition() == DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY);
  }
}
