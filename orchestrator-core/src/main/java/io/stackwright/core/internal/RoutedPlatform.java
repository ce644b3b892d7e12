package io.stackwright.core.internal;

import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.spi.Lease;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A platform that sees every stack the way the router prepared it. Rollout strategies deploy
 * intermediate stacks (the live version beside the new one, the last healthy revision); through
 * this view each of them carries what the router needs (Traefik's labels), exactly as a plain
 * deployment does, while the strategies work on the stack as declared.
 */
public final class RoutedPlatform implements Platform {
  private final Platform platform;
  private final Routing routing;

  public RoutedPlatform(Platform platform, Routing routing) {
    this.platform = platform;
    this.routing = routing;
  }

  @Override
  public String name() {
    return platform.name();
  }

  @Override
  public Set<Capability> capabilities() {
    return platform.capabilities();
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack) {
    return platform.validate(routing.prepare(stack));
  }

  @Override
  public Plan plan(StackSpec stack) {
    return platform.plan(routing.prepare(stack));
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {
    platform.apply(routing.prepare(stack), plan, events);
  }

  @Override
  public StackState status(String stack) {
    return platform.status(stack);
  }

  @Override
  public List<String> stacks() {
    return platform.stacks();
  }

  @Override
  public void scale(String stack, String service, int replicas) {
    platform.scale(stack, service, replicas);
  }

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {
    platform.remove(stack, options, events);
  }

  @Override
  public Subscription watch(String stack, EventListener events) {
    return platform.watch(stack, events);
  }

  @Override
  public Optional<String> replicaAddress(String stack, TaskState replica) {
    return platform.replicaAddress(stack, replica);
  }

  @Override
  public ExecResult exec(String stack, TaskState replica, List<String> command, Duration timeout) {
    return platform.exec(stack, replica, command, timeout);
  }

  @Override
  public void replace(String stack, TaskState replica, EventListener events) {
    platform.replace(stack, replica, events);
  }

  @Override
  public ResourceUsage usage(String stack, TaskState replica) {
    return platform.usage(stack, replica);
  }

  @Override
  public Lease lease(String stack, String name, String holder, Duration ttl) {
    return platform.lease(stack, name, holder, ttl);
  }

  @Override
  public void releaseLease(String stack, String name, String holder) {
    platform.releaseLease(stack, name, holder);
  }

  @Override
  public TaskState startReplica(StackSpec stack, String service, EventListener events) {
    return platform.startReplica(routing.prepare(stack), service, events);
  }

  @Override
  public void removeReplica(String stack, TaskState replica, EventListener events) {
    platform.removeReplica(stack, replica, events);
  }

  /** The orchestrator closes the platform itself. */
  @Override
  public void close() {}
}
