package io.stackwright.core.health.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.health.ProbeCheck;
import io.stackwright.api.health.ProbeResult;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.ProbeTier;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.ProbeTarget;
import io.stackwright.api.spi.RolloutCheck;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A rollout's verification by the services' own probes ({@code x-stackwright.health}), beside the
 * container healthchecks the platform reports: while a strategy verifies a new version, every
 * running replica of the new spec of a service with a readiness (else liveness) probe is probed,
 * all replicas at once, and a replica that fails the probe {@code failureThreshold} times in a row
 * fails the rollout. A replica whose startup probe has not passed yet is given its startup probe
 * instead, and counts as failing only when that probe exhausts its own threshold, as in Kubernetes.
 */
public final class ProbeVerification implements RolloutCheck, AutoCloseable {
  private final Platform platform;
  private final ScheduledExecutorService scheduler;
  private final ProbeRunner runner;
  private final boolean addressable;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Map<String, Boolean> started = new ConcurrentHashMap<>();

  public ProbeVerification(Platform platform, ExecutorService blocking, HealthConfig health) {
    this.platform = platform;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stackwright-rollout-probes");
              t.setDaemon(true);
              return t;
            });
    this.runner = new ProbeRunner(scheduler, blocking, health.customProbes());
    this.addressable = platform.capabilities().contains(Capability.REPLICA_ADDRESS);
  }

  @Override
  public Optional<String> problem(StackSpec stack, StackState state) {
    List<CompletableFuture<Optional<String>>> verdicts = new ArrayList<>();
    for (ServiceSpec service : stack.services().values()) {
      Map<ProbeTier, ProbeSpec> probes = service.health().probes();
      ProbeSpec steady = probes.getOrDefault(ProbeTier.READINESS, probes.get(ProbeTier.LIVENESS));
      if (steady == null) {
        continue;
      }
      ProbeSpec startup = probes.get(ProbeTier.STARTUP);
      Optional<ServiceState> observed = state.service(service.name());
      if (observed.isEmpty()) {
        continue;
      }
      for (TaskState task : observed.get().currentTasks()) {
        if (task.status() != TaskStatus.RUNNING) {
          continue;
        }
        boolean inStartup = startup != null && !started.getOrDefault(task.id(), false);
        ProbeSpec spec = inStartup ? startup : steady;
        verdicts.add(probe(stack.name(), service.name(), task, spec, inStartup));
      }
    }
    CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new)).join();
    return verdicts.stream().map(CompletableFuture::join).flatMap(Optional::stream).findFirst();
  }

  private CompletableFuture<Optional<String>> probe(
      String stack, String service, TaskState task, ProbeSpec spec, boolean startup) {
    String address = addressable ? platform.replicaAddress(stack, task).orElse(null) : null;
    ProbeCheck check = spec.check();
    if (address == null && (check instanceof ProbeCheck.Http || check instanceof ProbeCheck.Tcp)) {
      // Out of this process's reach (a task on another node): the container's own healthcheck
      // judges, as the health monitor does.
      if (task.health() == io.stackwright.api.state.HealthStatus.NONE) {
        return CompletableFuture.completedFuture(Optional.empty()); // nothing can judge it
      }
      check = new ProbeCheck.Engine();
    }
    ProbeTarget target = new ProbeTarget(stack, task, address, platform);
    return runner
        .run(check, target, task.health(), spec.timeout())
        .thenApply(result -> judge(service, task, spec, startup, result));
  }

  private Optional<String> judge(
      String service, TaskState task, ProbeSpec spec, boolean startup, ProbeResult result) {
    String key = task.id() + (startup ? "/startup" : "");
    if (result.passed()) {
      failures.remove(key);
      if (startup) {
        started.put(task.id(), true);
      }
      return Optional.empty();
    }
    int inARow = failures.merge(key, 1, Integer::sum);
    if (inARow < spec.failureThreshold()) {
      return Optional.empty();
    }
    return Optional.of(
        "replica "
            + task.id()
            + " of "
            + service
            + " failed its "
            + (startup ? "startup" : "readiness or liveness")
            + " probe "
            + inARow
            + " times in a row: "
            + result.detail());
  }

  @Override
  public void close() {
    runner.close();
    scheduler.shutdownNow();
  }
}
