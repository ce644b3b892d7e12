package io.stackwright.core.health;

import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A platform whose replicas are entries in a list, all reachable at 127.0.0.1 (where the test's
 * HTTP server plays the application), replaced by swapping the entry for one with a new id.
 * Commands run in replicas: {@code ok} exits 0, anything else exits 2 saying "broken".
 */
public final class FakeReplicaPlatform implements Platform {
  final List<TaskState> tasks = new CopyOnWriteArrayList<>();
  final List<String> replaced = new CopyOnWriteArrayList<>();
  final List<EventListener> watchers = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  volatile String address = "127.0.0.1";

  void run(String service, int slot) {
    tasks.add(task(service, slot, TaskStatus.RUNNING, Instant.now()));
  }

  TaskState task(String service, int slot, TaskStatus status, Instant at) {
    String id = "t" + ids.incrementAndGet();
    return new TaskState(
        id,
        service,
        slot,
        "node",
        "c-" + id,
        status,
        TaskStatus.RUNNING,
        HealthStatus.NONE,
        true,
        "",
        null,
        at);
  }

  /** Every replica's container HEALTHCHECK now reports {@code health}. */
  void health(HealthStatus health) {
    List<TaskState> updated = new ArrayList<>();
    for (TaskState t : tasks) {
      updated.add(
          new TaskState(
              t.id(),
              t.service(),
              t.slot(),
              t.nodeId(),
              t.containerId(),
              t.status(),
              t.desiredStatus(),
              health,
              t.current(),
              t.message(),
              t.error(),
              t.updatedAt()));
    }
    tasks.clear();
    tasks.addAll(updated);
  }

  /** The platform reports a crash of a replica of {@code service}. */
  void crash(String stack, String service) {
    String id = "crashed" + ids.incrementAndGet();
    for (EventListener w : watchers) {
      w.onEvent(
          new OrchestratorEvent(
              Instant.now(),
              EventType.TASK_STATE_CHANGED,
              stack,
              service,
              "failed",
              Map.of("taskId", id, "state", "FAILED", "error", "exit 1")));
    }
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.REPLICA_ADDRESS, Capability.REPLACE_REPLICA, Capability.EXEC);
  }

  @Override
  public Plan plan(StackSpec stack) {
    return new Plan(stack.name(), List.of());
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {}

  @Override
  public StackState status(String stack) {
    Map<String, List<TaskState>> byService = new java.util.TreeMap<>();
    for (TaskState t : tasks) {
      byService.computeIfAbsent(t.service(), s -> new ArrayList<>()).add(t);
    }
    List<ServiceState> services = new ArrayList<>();
    byService.forEach(
        (name, list) ->
            services.add(
                new ServiceState(name, name, "img", list.size(), 1, null, Map.of(), list)));
    return new StackState(stack, services, List.of(), List.of(), List.of(), List.of());
  }

  @Override
  public List<String> stacks() {
    return List.of();
  }

  @Override
  public void scale(String stack, String service, int replicas) {}

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {}

  @Override
  public Subscription watch(String stack, EventListener events) {
    watchers.add(events);
    return () -> watchers.remove(events);
  }

  @Override
  public io.stackwright.api.spi.ExecResult exec(
      String stack, TaskState replica, List<String> command, java.time.Duration timeout) {
    return command.get(0).equals("ok")
        ? new io.stackwright.api.spi.ExecResult(0, "", false)
        : new io.stackwright.api.spi.ExecResult(2, "broken\n", false);
  }

  @Override
  public java.util.Optional<String> replicaAddress(String stack, TaskState replica) {
    return java.util.Optional.ofNullable(address);
  }

  @Override
  public void replace(String stack, TaskState replica, EventListener events) {
    replaced.add(replica.id());
    tasks.removeIf(t -> t.id().equals(replica.id()));
    tasks.add(task(replica.service(), replica.slot(), TaskStatus.RUNNING, Instant.now()));
    events.onEvent(
        OrchestratorEvent.of(
            Instant.now(),
            EventType.REPLICA_REPLACED,
            stack,
            replica.service(),
            "replaced " + replica.id()));
  }
}
