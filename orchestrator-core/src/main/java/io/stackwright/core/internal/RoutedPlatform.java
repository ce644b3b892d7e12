package io.stackwright.core.internal;

import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.state.TaskState;
import java.util.List;

/**
 * A platform that sees every stack the way the router prepared it. Rollout strategies deploy
 * intermediate stacks (the live version beside the new one, the last healthy revision); through
 * this view each of them carries what the router needs (Traefik's labels), exactly as a plain
 * deployment does, while the strategies work on the stack as declared.
 */
public final class RoutedPlatform extends ForwardingPlatform {
  private final Routing routing;

  public RoutedPlatform(Platform platform, Routing routing) {
    super(platform);
    this.routing = routing;
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack) {
    return super.validate(routing.prepare(stack));
  }

  @Override
  public Plan plan(StackSpec stack) {
    return super.plan(routing.prepare(stack));
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {
    super.apply(routing.prepare(stack), plan, events);
  }

  @Override
  public TaskState startReplica(StackSpec stack, String service, EventListener events) {
    return super.startReplica(routing.prepare(stack), service, events);
  }
}
