package io.stackwright.core.controller;

import io.stackwright.api.PlatformException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A single-engine-like platform in memory: not self-healing, so {@code keep} has work; replicas run
 * healthy once applied; a test can kill a service, refuse images, or make the engine unreachable
 * for a number of calls.
 */
final class FakeEngine implements Platform {
  final Map<String, StackSpec> running = new ConcurrentHashMap<>();
  final Set<String> networks = ConcurrentHashMap.newKeySet();
  final List<String> applied = new CopyOnWriteArrayList<>();
  final List<String> removed = new CopyOnWriteArrayList<>();
  final Set<String> refusedImages = ConcurrentHashMap.newKeySet();
  final AtomicInteger unreachableCalls = new AtomicInteger();
  final AtomicInteger concurrentApplies = new AtomicInteger();
  final AtomicInteger maxConcurrentApplies = new AtomicInteger();
  final Map<String, List<EventListener>> watchers = new ConcurrentHashMap<>();
  volatile long applyMillis;

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  private void maybeUnreachable() {
    if (unreachableCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new PlatformException("cannot reach the engine at unix:///fake.sock", true);
    }
  }

  @Override
  public Plan plan(StackSpec stack) {
    maybeUnreachable();
    StackSpec now = running.get(stack.name());
    List<Change> changes = new ArrayList<>();
    if (!networks.contains(stack.name())) {
      changes.add(new Change.Create(ResourceKind.NETWORK, "default"));
    }
    for (ServiceSpec service : stack.services().values()) {
      ServiceSpec old = now == null ? null : now.services().get(service.name());
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
    maybeUnreachable();
    int now = concurrentApplies.incrementAndGet();
    maxConcurrentApplies.accumulateAndGet(now, Math::max);
    try {
      if (networks.add(stack.name())) {
        events.onEvent(
            new OrchestratorEvent(
                Instant.now(),
                stack.name(),
                "network:default",
                "network default created",
                new EventDetail.ResourceCreated(
                    EventDetail.Resource.NETWORK, stack.name() + "_default", null)));
      }
      for (ServiceSpec service : stack.services().values()) {
        if (refusedImages.contains(service.image())) {
          throw new PlatformException(
              "the engine refused image " + service.image() + ": invalid reference format", false);
        }
      }
      if (applyMillis > 0) {
        Thread.sleep(applyMillis);
      }
      applied.add(stack.name() + ":" + stack.services().values().iterator().next().image());
      running.put(stack.name(), stack);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted", false);
    } finally {
      concurrentApplies.decrementAndGet();
    }
  }

  /** A replica of the stack's only service exits: the service is gone until repaired. */
  void kill(String stack, String service) {
    StackSpec now = running.get(stack);
    Map<String, ServiceSpec> services = new java.util.LinkedHashMap<>(now.services());
    // the replica exited: the service runs with one replica fewer (here: a different spec)
    ServiceSpec dead = services.get(service);
    services.put(service, dead.toBuilder().replicas(dead.replicas() + 100).build());
    running.put(
        stack,
        new StackSpec(
            stack,
            services,
            now.networks(),
            now.volumes(),
            now.secrets(),
            now.configs(),
            now.extensions()));
    for (EventListener l : watchers.getOrDefault(stack, List.of())) {
      l.onEvent(
          new OrchestratorEvent(
              Instant.now(),
              stack,
              service,
              "replica of " + service + " exited",
              new EventDetail.TaskStateChanged(
                  service, service + ".1", 1, TaskStatus.FAILED, null, null, null, 1, null, null)));
    }
  }

  @Override
  public StackState status(String stack) {
    maybeUnreachable();
    StackSpec spec = running.get(stack);
    if (spec == null) {
      return new StackState(stack, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    List<ServiceState> services = new ArrayList<>();
    for (ServiceSpec service : spec.services().values()) {
      List<TaskState> tasks = new ArrayList<>();
      for (int slot = 1; slot <= service.replicas(); slot++) {
        tasks.add(
            new TaskState(
                service.name() + "." + slot,
                service.name(),
                slot,
                "node",
                "c" + slot,
                TaskStatus.RUNNING,
                TaskStatus.RUNNING,
                HealthStatus.HEALTHY,
                true,
                "running",
                null,
                Instant.now()));
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
    return List.copyOf(running.keySet());
  }

  @Override
  public void scale(String stack, String service, int replicas) {
    maybeUnreachable();
  }

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {
    maybeUnreachable();
    removed.add(stack);
    running.remove(stack);
    networks.remove(stack);
  }

  @Override
  public Subscription watch(String stack, EventListener events) {
    watchers.computeIfAbsent(stack, k -> new CopyOnWriteArrayList<>()).add(events);
    return () -> watchers.getOrDefault(stack, List.of()).remove(events);
  }

  String image(String stack) {
    StackSpec spec = running.get(stack);
    return spec == null || spec.services().isEmpty()
        ? null
        : spec.services().values().iterator().next().image();
  }
}
