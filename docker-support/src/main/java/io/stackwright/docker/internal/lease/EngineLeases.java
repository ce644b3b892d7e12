package io.stackwright.docker.internal.lease;

import io.stackwright.api.spi.Lease;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.time.Duration;

/**
 * Leases kept in the engine itself, so that every process talking to it sees the same holder
 * without a store of its own. Each platform keeps them in the objects it has (Swarm: config objects
 * with a version index; a single engine: created containers with unique names), with the same
 * labels ({@link LeaseLabels}) and the same rule of who may take one.
 */
public abstract class EngineLeases {
  protected final Engine engine;
  protected final Clock clock;

  protected EngineLeases(Engine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  /**
   * Takes or renews the lease {@code name} of {@code stack} for {@code holder}; returns the lease
   * as it is now (another holder's when it is taken).
   */
  public abstract Lease acquire(String stack, String name, String holder, Duration ttl);

  /** Gives the lease up if {@code holder} holds it; never removes another holder's lease. */
  public abstract void release(String stack, String name, String holder);
}
