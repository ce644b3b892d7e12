package io.stackwright.benchmarks;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.core.Orchestrator;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What reading the CPU and memory of 50 replicas costs, three ways, in the same run: the kernel's
 * cgroup files, the engine's one-shot stats endpoint (one request per replica, in parallel), and
 * {@code docker stats --no-stream} for the same containers (the reference). Prints per-round times,
 * the medians, and the ratios against the reference.
 *
 * <p>Run with {@code scripts/bench-metrics.sh [REPLICAS] [ROUNDS] [PLATFORM]} (default 50, 5,
 * compose).
 */
public final class MetricsBenchmark {
  private MetricsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String platformName = args.length > 2 ? args[2] : "compose";
    String stackName = "benchmetrics";
    StackSpec stack =
        StackSpec.builder(stackName)
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .replicas(replicas)
                    .build())
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(replicas, 32));
    try (Orchestrator cgroups = open(platformName, "cgroup");
        Orchestrator stats = open(platformName, "stats")) {
      System.out.printf("deploying %d replicas on %s ...%n", replicas, platformName);
      DeploymentResult result =
          cgroups
              .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(5)))
              .await(Duration.ofMinutes(6));
      if (!result.succeeded()) {
        throw new IllegalStateException("deployment failed: " + result.message());
      }
      try {
        List<TaskState> tasks =
            cgroups.status(stackName).service("web").orElseThrow().currentTasks().stream()
                .filter(t -> t.status() == TaskStatus.RUNNING && t.containerId() != null)
                .toList();
        List<String> containers = tasks.stream().map(TaskState::containerId).toList();
        System.out.printf("%d running replicas%n", tasks.size());
        // Warm-up: connections, class loading and JIT, as a long-running autoscaler has them.
        readAll(cgroups.platform(), stackName, tasks, pool);
        readAll(stats.platform(), stackName, tasks, pool);
        List<Long> cgroupTimes = new ArrayList<>();
        List<Long> statsTimes = new ArrayList<>();
        List<Long> cliTimes = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          cgroupTimes.add(readAll(cgroups.platform(), stackName, tasks, pool));
          statsTimes.add(readAll(stats.platform(), stackName, tasks, pool));
          cliTimes.add(dockerStats(containers));
          System.out.printf(
              "round %d: cgroup files %8.2f ms | one-shot stats (parallel) %8.2f ms | docker stats"
                  + " --no-stream %8.2f ms%n",
              round, ms(last(cgroupTimes)), ms(last(statsTimes)), ms(last(cliTimes)));
        }
        double reference = ms(median(cliTimes));
        System.out.printf(
            "median for %d replicas: cgroup files %.2f ms (%.1fx faster than docker stats),"
                + " one-shot stats %.2f ms (%.1fx faster), docker stats --no-stream %.2f ms%n",
            tasks.size(),
            ms(median(cgroupTimes)),
            reference / ms(median(cgroupTimes)),
            ms(median(statsTimes)),
            reference / ms(median(statsTimes)),
            reference);
      } finally {
        cgroups.remove(stackName, RemoveOptions.withVolumes());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Orchestrator open(String platform, String source) {
    return Orchestrator.builder()
        .platform(platform)
        .property("stackwright.usage.source", source)
        .build();
  }

  /** Reads every replica once, in parallel; returns the wall time in nanoseconds. */
  private static long readAll(
      Platform platform, String stack, List<TaskState> tasks, ExecutorService pool)
      throws Exception {
    long start = System.nanoTime();
    List<Future<?>> reads = new ArrayList<>();
    for (TaskState t : tasks) {
      reads.add(pool.submit(() -> platform.usage(stack, t)));
    }
    for (Future<?> f : reads) {
      f.get();
    }
    return System.nanoTime() - start;
  }

  private static long dockerStats(List<String> containers) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker", "stats", "--no-stream"));
    command.addAll(containers);
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
            .start();
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("docker stats --no-stream failed");
    }
    return System.nanoTime() - start;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static long last(List<Long> values) {
    return values.get(values.size() - 1);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
