package io.stackwright.api.state;

/** The life-cycle state of one replica (a Swarm task or a container), in the engine's order. */
public enum TaskStatus {
  NEW,
  PENDING,
  ASSIGNED,
  ACCEPTED,
  PREPARING,
  READY,
  STARTING,
  RUNNING,
  COMPLETE,
  SHUTDOWN,
  FAILED,
  REJECTED,
  REMOVE,
  ORPHANED;

  /** The replica will not run again: it ended, failed or was stopped. */
  public boolean isTerminal() {
    return ordinal() >= COMPLETE.ordinal();
  }

  /** The replica ended in error. */
  public boolean isFailure() {
    return this == FAILED || this == REJECTED;
  }
}
