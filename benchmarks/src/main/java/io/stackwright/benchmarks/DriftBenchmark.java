package io.stackwright.benchmarks;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.drift.DriftWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of drift supervision's periodic full comparison of a 100-service Swarm stack: the
 * milliseconds of one pass and the Engine API calls it makes (counted from {@code
 * stackwright.engine.requests}), next to the docker CLI reading the same services ({@code docker
 * service inspect} of all of them, one process) in the same run.
 *
 * <p>Services run 0 replicas: a pass compares service specs (and the stack's networks, secrets,
 * configs), not tasks, so replicas change the engine's load, not the comparison's work. Run with
 * {@code scripts/bench-drift.sh [SERVICES] [PASSES]}.
 */
public final class DriftBenchmark {
  private DriftBenchmark() {}

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String name = "swd-bench";
    AtomicLong calls = new AtomicLong();
    MetricsRecorder counting =
        new MetricsRecorder() {
          @Override
          public void count(String metric, Map<String, String> tags, double amount) {}

          @Override
          public void gauge(String metric, Map<String, String> tags, double value) {}

          @Override
          public void timing(String metric, Map<String, String> tags, Duration duration) {
            if (metric.equals("stackwright.engine.requests")) {
              calls.incrementAndGet();
            }
          }
        };
    StackSpec.Builder b = StackSpec.builder(name);
    for (int i = 0; i < services; i++) {
      b.service(
          ServiceSpec.builder("s" + i, "stackwright/workload:test")
              .replicas(0)
              .env("INDEX", String.valueOf(i))
              .endpointMode(ServiceSpec.EndpointMode.DNSRR));
    }
    StackSpec stack = b.build();
    try (Orchestrator orchestrator =
        Orchestrator.builder().platform("swarm").inMemoryStore().metrics(counting).build()) {
      DeploymentResult deployed =
          orchestrator
              .stack(name)
              .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(5)))
              .await(Duration.ofMinutes(10));
      if (!deployed.succeeded()) {
        throw new IllegalStateException("deploy failed: " + deployed.message());
      }
      List<Long> millis = new ArrayList<>();
      List<Long> perPass = new ArrayList<>();
      List<Long> reference = new ArrayList<>();
      try (DriftWatch watch =
          orchestrator.watchDrift(
              stack,
              DriftPolicy.builder(DriftMode.WARN)
                  .interval(Duration.ofHours(1))
                  .jitter(Duration.ZERO)
                  .build())) {
        watch.compareNow(); // warm-up: class loading, connections
        for (int pass = 1; pass <= passes; pass++) {
          long before = calls.get();
          long start = System.nanoTime();
          int drifted = watch.compareNow().size();
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          if (drifted != 0) {
            throw new IllegalStateException("the benchmark stack drifted: " + watch.current());
          }
          millis.add(ms);
          perPass.add(calls.get() - before);
          reference.add(inspectAll(name, services));
          System.out.printf(
              "pass %d: %d ms, %d engine calls | docker service inspect (all): %d ms%n",
              pass, ms, perPass.get(pass - 1), reference.get(pass - 1));
        }
      } finally {
        orchestrator.remove(name, RemoveOptions.keepVolumes());
      }
      long median = median(millis);
      long referenceMedian = median(reference);
      System.out.printf(
          "drift comparison of %d services: median %d ms per pass (min %d, max %d), %d engine"
              + " calls per pass; docker CLI reading them: median %d ms; ratio %.2f%n",
          services,
          median,
          Collections.min(millis),
          Collections.max(millis),
          median(perPass),
          referenceMedian,
          referenceMedian == 0 ? 0.0 : (double) median / referenceMedian);
    }
  }

  private static long inspectAll(String stack, int services) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker", "service", "inspect"));
    for (int i = 0; i < services; i++) {
      command.add(stack + "_s" + i);
    }
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectErrorStream(true)
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("docker service inspect failed");
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
