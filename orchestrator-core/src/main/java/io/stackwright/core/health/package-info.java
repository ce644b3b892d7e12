/**
 * Health monitoring: probes at three tiers, recovery, crash-loop detection and alerts, with the
 * state kept in a {@link io.stackwright.api.spi.StateStore}. Started by {@code
 * Orchestrator.monitor(stack)}, which returns a {@link io.stackwright.core.health.HealthWatch}.
 *
 * <h2>Semantics (Kubernetes')</h2>
 *
 * <ul>
 *   <li>A replica's <b>startup</b> probe runs first; liveness and readiness wait until it passes.
 *       Failing it {@code failureThreshold} times counts as a liveness failure.
 *   <li>A <b>liveness</b> failure ({@code failureThreshold} consecutive failed probes) gets the
 *       replica replaced through {@code Platform.replace}: on Swarm its container is removed and
 *       Swarm schedules a new task; on a single engine the container is recreated.
 *   <li>A <b>readiness</b> failure makes the replica unready ({@code REPLICA_UNREADY}, {@code
 *       Router.readinessChanged(false)}) without replacing it; passing {@code successThreshold}
 *       times makes it ready again.
 * </ul>
 *
 * <h2>Recovery and crash loops</h2>
 *
 * Replacements of one service's replicas are spaced by an exponential backoff (the {@link
 * io.stackwright.api.health.RecoveryPolicy}: 1 s doubling to 5 min by default). Every liveness
 * failure and every crash the platform reports (a task or container that ended in failure, seen in
 * the platform's event stream and, on Swarm, in the task history) is counted in a sliding window;
 * at {@code maxReplacements} failures the service is in a <b>crash loop</b>: a {@code CRASH_LOOP}
 * event and a critical alert are raised once, and Stackwright stops replacing its replicas until
 * the failures age out of the window. Stackwright does not restart crashed containers itself: the
 * platform's own restart delay keeps a crashing container from restarting in a tight loop (Swarm's
 * {@code restart_policy.delay}, 5 s by default; the engine's doubling restart delay for a container
 * with a restart policy on a single engine, or {@code Orchestrator.keep}'s backoff), and
 * Stackwright's part is to detect the loop and say so rather than hide it.
 *
 * <h2>Why one scheduler thread</h2>
 *
 * All probe state lives on one scheduler thread per monitored stack; no thread per replica. Probes
 * never block it: HTTP probes go through the JDK's asynchronous {@code HttpClient} (its selector
 * thread multiplexes every connection, kept alive between probes), TCP probes through asynchronous
 * socket channels, and results come back to the scheduler as tasks. Only calls that block by nature
 * (exec probes, reading the stack's replicas, replacing a replica, sending alerts) run on the
 * orchestrator's executor (virtual threads on Java 21+). Every {@code tick} (100 ms) the scheduler
 * starts the probes that are due, so hundreds of replicas probed every few seconds cost a few
 * wake-ups per second; {@code scripts/bench-probes.sh} measures it.
 *
 * <h2>Reaching replicas</h2>
 *
 * HTTP and TCP probes connect to {@code Platform.replicaAddress}: a Swarm task's address on {@code
 * docker_gwbridge}, which the host reaches for tasks on its own node (overlay addresses are not
 * reachable from the host), or a single-engine container's bridge address. A replica with no
 * reachable address (a task on another Swarm node) cannot be connected to from this process: its
 * probe falls back to the container's HEALTHCHECK verdict, which the engine reports for every node,
 * and a {@code WARNING} event says so; without a HEALTHCHECK the probe is skipped, not failed, so
 * an unreachable replica is never replaced for being unreachable. Exec probes run through the
 * engine and need no address. We chose this over a probe container attached to each stack network
 * (it would need an image and a port back to the host, and is one more thing that fails) and over
 * published ports (they change the stack the user declared).
 *
 * <h2>State that survives a restart</h2>
 *
 * The monitor saves, per stack, the failures in the window, the backoff, the crash loop, which
 * replicas started and were ready, and which failures and replacements it already counted ({@code
 * health/<stack>}), and appends every event to the history {@code health-events/<stack>}. A new
 * monitor on the same store resumes with that state: it does not alert twice for the same crash
 * loop, count the same crash twice, or hold a started replica behind its startup probe again.
 */
package io.stackwright.core.health;
