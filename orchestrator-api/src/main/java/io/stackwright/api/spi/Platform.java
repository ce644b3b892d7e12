package io.stackwright.api.spi;

import io.stackwright.api.LogLine;
import io.stackwright.api.LogOptions;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UnsupportedFeatureException;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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

  /**
   * An address (IP or host name) at which this process reaches the replica's container ports, or
   * empty when it cannot (the replica runs on a node whose network this process cannot reach, or
   * has no container yet). Probes and metric scrapes connect here.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link
   *     Capability#REPLICA_ADDRESS}
   */
  default Optional<String> replicaAddress(String stack, TaskState replica) {
    throw new UnsupportedFeatureException(name() + " cannot tell replica addresses");
  }

  /**
   * Runs {@code command} inside the replica's container and waits for it, at most {@code timeout}.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link Capability#EXEC}
   */
  default ExecResult exec(String stack, TaskState replica, List<String> command, Duration timeout) {
    throw new UnsupportedFeatureException(name() + " cannot run commands in replicas");
  }

  /**
   * Replaces one replica with a fresh one of the same spec (a Swarm task by removing its container
   * so that Swarm schedules a new task; a Compose container by recreating it), reporting {@code
   * REPLICA_REPLACED}. Returns once the old replica is gone; the new one is watched separately.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link
   *     Capability#REPLACE_REPLICA}
   */
  default void replace(String stack, TaskState replica, EventListener events) {
    throw new UnsupportedFeatureException(name() + " cannot replace single replicas");
  }

  /**
   * The replica's cumulative CPU time and current memory, read as cheaply as the platform allows.
   * Rates come from the difference of two readings.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link
   *     Capability#RESOURCE_USAGE}
   */
  default ResourceUsage usage(String stack, TaskState replica) {
    throw new UnsupportedFeatureException(name() + " cannot read resource usage");
  }

  /**
   * Takes or renews the lease {@code name} of {@code stack} for {@code holder}, to last {@code ttl}
   * from now, unless another holder's lease has not expired yet; atomically, even against other
   * processes (the engine's optimistic concurrency or create-if-absent decides between racers).
   * Returns the lease as it stands after the attempt: {@code holder}'s when it succeeded.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link Capability#LEASE}
   */
  default Lease lease(String stack, String name, String holder, Duration ttl) {
    throw new UnsupportedFeatureException(name() + " cannot keep leases");
  }

  /**
   * Gives up {@code holder}'s lease {@code name} of {@code stack} so that another instance can take
   * it at once; does nothing when another holder has it.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link Capability#LEASE}
   */
  default void releaseLease(String stack, String name, String holder) {
    throw new UnsupportedFeatureException(name() + " cannot keep leases");
  }

  /**
   * Starts one more replica of {@code service} as {@code stack} declares it (typically a new
   * version), beside the replicas already running, and returns it once its container started;
   * readiness is watched separately. Core's rolling update calls it, then {@link #removeReplica}
   * for an old replica, and finally {@link #apply} of the new spec, which adopts the new replicas.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link
   *     Capability#REPLICA_CONTROL}
   */
  default TaskState startReplica(StackSpec stack, String service, EventListener events) {
    throw new UnsupportedFeatureException(name() + " cannot start single replicas");
  }

  /**
   * Stops and removes one replica, reporting {@code RESOURCE_DELETED}. Nothing replaces it.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link
   *     Capability#REPLICA_CONTROL}
   */
  default void removeReplica(String stack, TaskState replica, EventListener events) {
    throw new UnsupportedFeatureException(name() + " cannot remove single replicas");
  }

  /**
   * Reads the log lines of every replica of {@code stack} (old and new ones that the engine still
   * has), calling {@code lines} with each; calls from different replicas may come from different
   * threads at once. Without {@link LogOptions#follow()} it returns once every line written so far
   * was delivered (the subscription it returns is then already done); with it, it returns at once
   * and delivers lines as they are written until the subscription is closed.
   *
   * @throws UnsupportedFeatureException unless the platform declares {@link Capability#LOGS}
   */
  default Subscription logs(String stack, LogOptions options, Consumer<LogLine> lines) {
    throw new UnsupportedFeatureException(name() + " cannot read logs");
  }

  /**
   * How many replicas a global service ({@code mode: global}) with {@code service}'s placement runs
   * here: one per node it may run on. Quotas count a global service by it. The default is one (a
   * single engine is one node); a cluster counts its nodes that take tasks and match the placement,
   * and may answer from a short-lived cache. Where it cannot tell which nodes a constraint allows,
   * it counts the node (a quota is better over-counted than exceeded).
   */
  default int globalReplicas(io.stackwright.api.ServiceSpec service) {
    return 1;
  }

  @Override
  default void close() {}
}
