package io.stackwright.core.rollout;

import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A platform whose replicas do what the test says: every replica of an image listed as crashing
 * fails at once, one listed as degrading turns unhealthy after {@link #degradeAfterReads} reads of
 * the state; all others run healthy as soon as they are applied.
 */
final class ScriptedPlatform implements Platform {
  final Map<String, StackSpec> deployed = new ConcurrentHashMap<>();
  final List<StackSpec> applied = new CopyOnWriteArrayList<>();
  final Set<String> crashing = ConcurrentHashMap.newKeySet();
  final Set<String> degrading = ConcurrentHashMap.newKeySet();
  volatile int degradeAfterReads = 3;
  private volatile int readsSinceApply;
  private final Clock clock;

  ScriptedPlatform(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return "scripted";
  }

  volatile Set<Capability> capabilities = Set.of();

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  /** Every replica answers on this host (where the test runs its metrics endpoint). */
  @Override
  public java.util.Optional<String> replicaAddress(String stack, TaskState replica) {
    return java.util.Optional.of("127.0.0.1");
  }

  @Override
  public Plan plan(StackSpec stack) {
    StackSpec running = deployed.get(stack.name());
    List<Change> changes = new ArrayList<>();
    for (ServiceSpec service : stack.services().values()) {
      ServiceSpec old = running == null ? null : running.services().get(service.name());
      if (old == null) {
        changes.add(new Change.Create(ResourceKind.SERVICE, service.name()));
      } else if (!old.equals(service)) {
        changes.add(new Change.Update(ResourceKind.SERVICE, service.name(), List.of(), 1));
      }
    }
    return new Plan(stack.name(), changes);
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {
    applied.add(stack);
    deployed.put(stack.name(), stack);
    readsSinceApply = 0;
  }

  @Override
  public StackState status(String stack) {
    StackSpec spec = deployed.get(stack);
    if (spec == null) {
      return new StackState(stack, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    int reads = ++readsSinceApply;
    List<ServiceState> services = new ArrayList<>();
    for (ServiceSpec service : spec.services().values()) {
      List<TaskState> tasks = new ArrayList<>();
      for (int slot = 1; slot <= service.replicas(); slot++) {
        boolean crash = crashing.contains(service.image());
        boolean unhealthy = degrading.contains(service.image()) && reads > degradeAfterReads;
        tasks.add(
            new TaskState(
                service.name() + "." + slot,
                service.name(),
                slot,
                "node",
                "c" + slot,
                crash ? TaskStatus.FAILED : TaskStatus.RUNNING,
                TaskStatus.RUNNING,
                unhealthy ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY,
                true,
                crash ? "task: non-zero exit (1)" : "running",
                crash ? "task: non-zero exit (1)" : null,
                clock.instant()));
      }
      services.add(
          new ServiceState(
              service.name(),
              "id-" + service.name(),
              service.image(),
              service.replicas(),
              1,
              null,
              Map.of(),
              tasks));
    }
    return new StackState(stack, services, List.of(), List.of(), List.of(), List.of());
  }

  @Override
  public List<String> stacks() {
    return List.copyOf(deployed.keySet());
  }

  @Override
  public void scale(String stack, String service, int replicas) {}

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {
    deployed.remove(stack);
  }

  @Override
  public Subscription watch(String stack, EventListener events) {
    return () -> {};
  }
}
