package io.stackwright.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.core.state.InMemoryStateStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How much Stackwright's HTTP probing costs, measured on the real monitor ({@code
 * Orchestrator.monitor}) against replicas played by local HTTP servers, one port per replica:
 *
 * <ol>
 *   <li><b>Throughput</b>: {@code N} replicas probed as fast as the monitor allows (10 ms period, 5
 *       ms tick); probes completed per second, and per second of the prober's CPU time (probes per
 *       second one core sustains).
 *   <li><b>Steady cost</b>: 200 replicas probed every 5 s (the case): the prober's CPU time
 *       over wall time.
 * </ol>
 *
 * The local servers run in this process, so the prober's CPU is counted per thread (ThreadMXBean)
 * leaving out the servers' threads; the whole process's CPU is printed too.
 *
 * <p>Run with {@code scripts/bench-probes.sh [SECONDS]}.
 */
public final class ProbeBenchmark {
  private ProbeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    System.out.println("cores available: " + Runtime.getRuntime().availableProcessors());
    run(
        "throughput",
        50,
        Duration.ofMillis(10),
        Duration.ofMillis(5),
        Duration.ofSeconds(seconds / 2));
    run("steady", 200, Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(seconds));
  }

  private static void run(
      String name, int replicas, Duration period, Duration tick, Duration length) throws Exception {
    AtomicInteger served = new AtomicInteger();
    ExecutorService serverThreads =
        Executors.newFixedThreadPool(2, r -> new Thread(r, "bench-server"));
    List<HttpServer> servers = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
      server.setExecutor(serverThreads);
      server.createContext(
          "/health",
          exchange -> {
            served.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      servers.add(server);
      ports.add(server.getAddress().getPort());
    }
    StackSpec.Builder stack = StackSpec.builder("bench");
    for (int i = 0; i < replicas; i++) {
      stack.service(
          ServiceSpec.builder("s" + i, "bench")
              .health(
                  HealthPolicy.builder()
                      .liveness(
                          ProbeSpec.http(ports.get(i), "/health")
                              .period(period)
                              .timeout(Duration.ofSeconds(2)))
                      .build())
              .build());
    }
    InMemoryMetrics metrics = new InMemoryMetrics();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Orchestrator orchestrator =
            Orchestrator.builder()
                .platform(new LocalReplicas(replicas))
                .metrics(metrics)
                .stateStore(new InMemoryStateStore())
                .healthPacing(tick, Duration.ofSeconds(1))
                .build();
        HealthWatch watch = orchestrator.monitor(stack.build())) {
      // warm up: every replica probed once, the JIT settled
      long warm = System.nanoTime();
      while (metrics.counter("stackwright.probe.results", Map.of()) < replicas * 2
          && System.nanoTime() - warm < Duration.ofSeconds(30).toNanos()) {
        Thread.sleep(100);
      }
      Thread.sleep(Math.min(period.toMillis(), 2000));
      double probesBefore = metrics.counter("stackwright.probe.results", Map.of());
      long proberBefore = proberCpu(threads);
      long processBefore = os.getProcessCpuTime();
      long wallBefore = System.nanoTime();
      Thread.sleep(length.toMillis());
      long wall = System.nanoTime() - wallBefore;
      long prober = proberCpu(threads) - proberBefore;
      long process = os.getProcessCpuTime() - processBefore;
      double probes = metrics.counter("stackwright.probe.results", Map.of()) - probesBefore;
      double failed = metrics.counter("stackwright.probe.results", Map.of("outcome", "failed"));
      System.out.printf(
          "%s: %d replicas, period %d ms, %.1f s: %.0f probes (%.0f/s, %.0f failed in total);"
              + " prober CPU %.1f%% of one core (%.0f probes per CPU-second);"
              + " whole process incl. servers %.1f%%%n",
          name,
          replicas,
          period.toMillis(),
          wall / 1e9,
          probes,
          probes / (wall / 1e9),
          failed,
          100.0 * prober / wall,
          probes / Math.max(prober / 1e9, 1e-9),
          100.0 * process / wall);
    } finally {
      servers.forEach(s -> s.stop(0));
      serverThreads.shutdownNow();
    }
  }

  /** CPU time of every live thread except the local servers' (their dispatchers and handlers). */
  private static long proberCpu(ThreadMXBean threads) {
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      String name = info.getThreadName();
      if (name.startsWith("HTTP-Dispatcher") || name.startsWith("bench-server")) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        total += cpu;
      }
    }
    return total;
  }

  /** One running replica per service, all reachable on 127.0.0.1. */
  private static final class LocalReplicas implements Platform {
    private final StackState state;

    LocalReplicas(int services) {
      List<ServiceState> list = new ArrayList<>();
      Instant started = Instant.now();
      for (int i = 0; i < services; i++) {
        TaskState task =
            new TaskState(
                "task" + i,
                "s" + i,
                1,
                null,
                "c" + i,
                TaskStatus.RUNNING,
                TaskStatus.RUNNING,
                HealthStatus.NONE,
                true,
                "",
                null,
                started);
        list.add(new ServiceState("s" + i, "s" + i, "bench", 1, 1, null, Map.of(), List.of(task)));
      }
      state = new StackState("bench", list, List.of(), List.of(), List.of(), List.of());
    }

    @Override
    public String name() {
      return "local-replicas";
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.REPLICA_ADDRESS);
    }

    @Override
    public Plan plan(StackSpec stack) {
      return new Plan(stack.name(), List.of());
    }

    @Override
    public void apply(StackSpec stack, Plan plan, EventListener events) {}

    @Override
    public StackState status(String stack) {
      return state;
    }

    @Override
    public List<String> stacks() {
      return List.of("bench");
    }

    @Override
    public void scale(String stack, String service, int replicas) {}

    @Override
    public void remove(String stack, RemoveOptions options, EventListener events) {}

    @Override
    public Subscription watch(String stack, EventListener events) {
      return () -> {};
    }

    @Override
    public Optional<String> replicaAddress(String stack, TaskState replica) {
      return Optional.of("127.0.0.1");
    }
  }
}
