package io.stackwright.api.spi;

import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.state.StackState;
import java.util.List;
import java.util.Set;

/**
 * Where stacks run: Docker Swarm, a single Docker engine, or a third party's platform. The contract
 * is stated by the adapter compatibility kit; in short:
 *
 * <ul>
 *   <li>{@link #plan} only reads; an unchanged stack gives an empty plan.
 *   <li>{@link #apply} writes exactly what the plan says, nothing for an empty plan, and fails with
 *       a {@link io.stackwright.api.ConflictException} when a resource changed since it was
 *       planned.
 *   <li>Resources carry labels naming their stack, so {@link #status} and {@link #remove} find
 *       them, including stacks the platform's own tools deployed.
 * </ul>
 */
public interface Platform extends AutoCloseable {

  String name();

  Set<Capability> capabilities();

  /**
   * Problems this platform has with a stack that is otherwise valid (a feature it lacks). Checked
   * before anything is written.
   */
  default List<SpecProblem> validate(StackSpec stack) {
    return List.of();
  }

  /** Compares the desired stack with what runs and lists the changes. Reads only. */
  Plan plan(StackSpec stack);

  /**
   * Writes the plan's changes in order, reporting each through {@code events}. Returns once the
   * changes are written; convergence is watched separately.
   */
  void apply(StackSpec stack, Plan plan, EventListener events);

  /** What runs for {@code stack}; an empty state when nothing does. */
  StackState status(String stack);

  /** Names of the stacks found on the platform. */
  List<String> stacks();

  /** Sets the replicas of one service. */
  void scale(String stack, String service, int replicas);

  /** Removes everything of the stack (volumes only when asked); waits until it is gone. */
  void remove(String stack, RemoveOptions options, EventListener events);

  /**
   * Reports changes of the stack's replicas ({@code TASK_STATE_CHANGED} events) as they happen,
   * from the platform's own event stream, until the subscription is closed.
   */
  Subscription watch(String stack, EventListener events);

  @Override
  default void close() {}
}
