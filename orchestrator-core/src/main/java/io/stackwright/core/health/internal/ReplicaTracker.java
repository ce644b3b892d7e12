package io.stackwright.core.health.internal;

import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.ProbeTier;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.api.state.TaskState;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The probe state of one replica: its counters per tier, when each tier is due next, which probes
 * are in flight. Touched by the monitor's scheduler thread only.
 */
final class ReplicaTracker {
  final String service;
  final HealthPolicy policy;
  final Instant startedAt;
  TaskState task;
  String address;
  boolean addressKnown;
  boolean started;
  Instant startedProbesAt;
  final Map<ProbeTier, ProbeCounter> counters = new EnumMap<>(ProbeTier.class);
  final Map<ProbeTier, Instant> due = new EnumMap<>(ProbeTier.class);
  final Set<ProbeTier> inFlight = EnumSet.noneOf(ProbeTier.class);

  /** Liveness (or startup) failed and the replica waits for its replacement. */
  boolean replacementPending;

  /** Replaced: no more probes; the platform's new replica gets a tracker of its own. */
  boolean replaced;

  boolean fallbackWarned;
  String lastDetail = "";
  Instant lastProbeAt;

  ReplicaTracker(String service, HealthPolicy policy, TaskState task, Instant startedAt) {
    this.service = service;
    this.policy = policy;
    this.task = task;
    this.startedAt = startedAt;
    policy
        .probe(ProbeTier.STARTUP)
        .ifPresentOrElse(
            p -> {
              counters.put(ProbeTier.STARTUP, new ProbeCounter(p, null));
              due.put(ProbeTier.STARTUP, startedAt.plus(p.initialDelay()));
            },
            () -> startProbes(startedAt));
  }

  /** The startup probe passed (or there is none): liveness and readiness begin. */
  void startProbes(Instant at) {
    started = true;
    startedProbesAt = at;
    // Kubernetes: liveness counts as passing until it fails; readiness as failing until it passes.
    policy
        .probe(ProbeTier.LIVENESS)
        .ifPresent(
            p -> {
              counters.put(ProbeTier.LIVENESS, new ProbeCounter(p, true));
              due.put(ProbeTier.LIVENESS, at.plus(p.initialDelay()));
            });
    policy
        .probe(ProbeTier.READINESS)
        .ifPresent(
            p -> {
              counters.put(ProbeTier.READINESS, new ProbeCounter(p, null));
              due.put(ProbeTier.READINESS, at.plus(p.initialDelay()));
            });
    due.remove(ProbeTier.STARTUP);
  }

  ProbeSpec spec(ProbeTier tier) {
    return policy.probe(tier).orElseThrow();
  }

  boolean live() {
    ProbeCounter liveness = counters.get(ProbeTier.LIVENESS);
    return !replacementPending && (liveness == null || !Boolean.FALSE.equals(liveness.passing()));
  }

  boolean ready() {
    if (!started || replacementPending) {
      return false;
    }
    ProbeCounter readiness = counters.get(ProbeTier.READINESS);
    return readiness == null || Boolean.TRUE.equals(readiness.passing());
  }

  ReplicaHealth snapshot() {
    return new ReplicaHealth(
        service,
        task.id(),
        task.slot(),
        address,
        started,
        live(),
        ready(),
        lastDetail,
        lastProbeAt);
  }
}
