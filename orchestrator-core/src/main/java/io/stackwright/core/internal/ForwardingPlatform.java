package io.stackwright.core.internal;

import io.stackwright.api.LogLine;
import io.stackwright.api.LogOptions;
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
import java.util.function.Consumer;

/**
 * A platform that forwards every call to another; views of the platform override what they change.
 */
public abstract class ForwardingPlatform implements Platform {
  protected final Platform platform;

  protected ForwardingPlatform(Platform platform) {
    this.platform = platform;
  }

  /** Called before every call that writes the platform. */
  protected void beforeWrite(String stack) {}

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
    return platform.validate(stack);
  }

  @Override
  public Plan plan(StackSpec stack) {
    return platform.plan(stack);
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {
    beforeWrite(stack.name());
    platform.apply(stack, plan, events);
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
    beforeWrite(stack);
    platform.scale(stack, service, replicas);
  }

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {
    beforeWrite(stack);
    platform.remove(stack, options, events);
  }

  @Override
  public Subscription logs(String stack, LogOptions options, Consumer<LogLine> lines) {
    return platform.logs(stack, options, lines);
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
    beforeWrite(stack);
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
    beforeWrite(stack.name());
    return platform.startReplica(stack, service, events);
  }

  @Override
  public void removeReplica(String stack, TaskState replica, EventListener events) {
    beforeWrite(stack);
    platform.removeReplica(stack, replica, events);
  }

  /** The orchestrator closes the platform itself. */
  @Override
  public void close() {}
}
