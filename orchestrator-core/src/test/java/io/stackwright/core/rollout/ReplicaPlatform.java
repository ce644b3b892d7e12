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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A single-engine-like platform without a rolling update of its own: replicas are started and
 * removed one by one ({@link Capability#REPLICA_CONTROL}); a replica of an image listed as bad
 * fails as soon as it starts. Every operation is logged, so tests see the order.
 */
final class ReplicaPlatform implements Platform {
  record Replica(String id, String image) {}

  final List<Replica> replicas = new CopyOnWriteArrayList<>();
  final List<String> log = new CopyOnWriteArrayList<>();
  final Set<String> bad = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile StackSpec applied;
  private int next;

  @Override
  public String name() {
    return "replicas";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.REPLICA_CONTROL);
  }

  private String image() {
    return applied.services().get("web").image();
  }

  @Override
  public Plan plan(StackSpec stack) {
    List<Change> changes = new ArrayList<>();
    ServiceSpec web = stack.services().get("web");
    if (applied == null) {
      changes.add(new Change.Create(ResourceKind.SERVICE, "web"));
    } else if (replicas.stream().anyMatch(r -> !r.image().equals(web.image()))
        || replicas.size() != web.replicas()) {
      changes.add(new Change.Update(ResourceKind.SERVICE, "web", List.of(), 0));
    }
    return new Plan(stack.name(), changes);
  }

  /** Like a single engine's apply: recreates what differs, all at once. */
  @Override
  public synchronized void apply(StackSpec stack, Plan plan, EventListener events) {
    applied = stack;
    ServiceSpec web = stack.services().get("web");
    replicas.removeIf(r -> !r.image().equals(web.image()));
    while (replicas.size() > web.replicas()) {
      replicas.remove(replicas.size() - 1);
    }
    while (replicas.size() < web.replicas()) {
      replicas.add(new Replica("r" + ++next, web.image()));
    }
    log.add("apply " + web.image());
  }

  @Override
  public synchronized TaskState startReplica(
      StackSpec stack, String service, EventListener events) {
    applied = stack;
    Replica replica = new Replica("r" + ++next, stack.services().get(service).image());
    replicas.add(replica);
    log.add("start " + replica.image());
    return task(replica);
  }

  @Override
  public synchronized void removeReplica(String stack, TaskState replica, EventListener events) {
    replicas.removeIf(r -> r.id().equals(replica.id()));
    log.add("remove " + replica.id());
  }

  private TaskState task(Replica r) {
    boolean failed = bad.contains(r.image());
    return new TaskState(
        r.id(),
        "web",
        Integer.parseInt(r.id().substring(1)),
        null,
        r.id(),
        failed ? TaskStatus.FAILED : TaskStatus.RUNNING,
        TaskStatus.RUNNING,
        failed ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY,
        applied != null && r.image().equals(image()),
        failed ? "exited (1)" : "running",
        failed ? "exit code 1" : null,
        Instant.now());
  }

  @Override
  public StackState status(String stack) {
    if (applied == null) {
      return new StackState(stack, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    ServiceSpec web = applied.services().get("web");
    return new StackState(
        stack,
        List.of(
            new ServiceState(
                "web",
                "web",
                web.image(),
                web.replicas(),
                0,
                null,
                Map.of(),
                replicas.stream().map(this::task).toList())),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  @Override
  public List<String> stacks() {
    return List.of();
  }

  @Override
  public void scale(String stack, String service, int count) {}

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {}

  @Override
  public Subscription watch(String stack, EventListener events) {
    return () -> {};
  }
}
