package io.stackwright.core.health;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.api.spi.Subscription;
import java.util.List;
import java.util.Set;

/**
 * A running health monitor of one stack (from {@code Orchestrator.monitor}); closing it stops the
 * probes. Its state is also kept in the orchestrator's {@code StateStore}, so a new monitor of the
 * same stack resumes where this one stopped.
 */
public interface HealthWatch extends Subscription {

  /** The stack watched. */
  String stack();

  /** The current health of every probed replica, by service then slot. */
  List<ReplicaHealth> replicas();

  /** The services in a crash loop: Stackwright stopped replacing their replicas and alerted. */
  Set<String> crashLoops();

  /**
   * Sends {@code listener} this watch's events (probes, readiness, replacements, crash loops,
   * alerts) from now on, until the subscription or the watch is closed.
   */
  Subscription subscribe(EventListener listener);
}
