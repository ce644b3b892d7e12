package io.stackwright.benchmarks;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.Subscription;
import io.stackwright.core.Orchestrator;
import io.stackwright.loader.ComposeLoader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The deployment and supervision figures of issue 13, in one run:
 *
 * <ol>
 *   <li>10 different 3-service stacks deployed on Swarm through Stackwright all at once, the same
 *       10 one after another, and 10 {@code docker stack deploy} processes started at once (the
 *       reference), each timed from the start until {@code docker stack services} shows every
 *       replica of every stack running; Stackwright's deploys also wait for health;
 *   <li>one process supervising ({@code keep}) 100 one-service stacks on one engine: the JVM's
 *       resident memory ({@code VmRSS}) and its CPU time over 60 s idle, as per cent of one core.
 * </ol>
 *
 * Run with {@code scripts/bench-jobs.sh}. Stacks are named {@code swjb*}; everything is removed at
 * the end.
 */
public final class JobsBenchmark {
  private static final int STACKS = 10;
  private static final int ROUNDS = Integer.getInteger("stackwright.bench.rounds", 3);
  private static final int SUPERVISED = 100;
  private static final Duration IDLE = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofMinutes(5);

  private JobsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int supervised = args.length > 0 ? Integer.parseInt(args[0]) : SUPERVISED;
    if (args.length > 1 && args[1].equals("supervision-only")) {
      supervise(supervised);
      return;
    }
    boolean swarmOnly = args.length > 1 && args[1].equals("swarm-only");
    Path dir = Files.createTempDirectory("stackwright-bench-jobs");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < STACKS; i++) {
      Path file = dir.resolve("stack" + i + ".yml");
      Files.writeString(file, swarmStack(i));
      files.add(file);
    }
    List<Long> parallel = new ArrayList<>();
    List<Long> reference = new ArrayList<>();
    long sequential;
    try (Orchestrator swarm = Orchestrator.builder().platform("swarm").inMemoryStore().build()) {
      // Warm-up: the JVM's first deployment pays class loading; a host application pays it once.
      deploy(swarm, ComposeLoader.load(files.get(0), "swjbwarm"));
      removeSwarm(swarm, List.of("swjbwarm"));

      // Alternating rounds: the engine's speed drifts over minutes (overlay networks, the
      // raft log), so each Stackwright figure has a reference figure measured right beside it.
      for (int round = 0; round < ROUNDS; round++) {
        parallel.add(stackwrightAtOnce(swarm, files, names("swjbp")));
        System.out.printf(
            "round %d: stackwright, 10 at once:      %6d ms%n", round, last(parallel));
        reference.add(referenceAtOnce(dir, files, names("swjbd")));
        System.out.printf(
            "round %d: docker stack deploy, 10 at once: %6d ms%n", round, last(reference));
      }

      List<String> names = names("swjbs");
      long start = System.nanoTime();
      for (int i = 0; i < STACKS; i++) {
        deploy(swarm, ComposeLoader.load(files.get(i), names.get(i)));
      }
      waitAllRunning(names);
      sequential = millisSince(start);
      System.out.printf("stackwright, one after other: %6d ms%n", sequential);
      removeSwarm(swarm, names);
    }

    if (!swarmOnly) {
      supervise(supervised);
    }

    long p = median(parallel);
    long r = median(reference);
    System.out.printf(
        "%n10 stacks x 3 services on Swarm, until docker stack services shows every replica"
            + " (median of %d alternating rounds):%n",
        ROUNDS);
    System.out.printf(
        "  stackwright parallel %6d ms %s | sequential %6d ms | docker stack deploy parallel %6d ms"
            + " %s%n",
        p, parallel, sequential, r, reference);
    double ratio = (double) p / r;
    System.out.printf(
        "  parallel/reference %.2fx (goal <= 1.1x: %s); sequential/parallel %.2fx%n",
        ratio, ratio <= 1.1 ? "met" : "NOT met", (double) sequential / p);
  }

  /**
   * Ten deployments submitted at once, as ten callers of the host application would (one thread
   * each: loading, admission and planning run in the caller, applying and waiting in the jobs),
   * timed until {@code docker stack services} shows every replica running; then removed.
   */
  private static long stackwrightAtOnce(Orchestrator swarm, List<Path> files, List<String> names)
      throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(STACKS);
    try {
      long start = System.nanoTime();
      long cpuBefore = processCpuNanos();
      List<Future<DeploymentResult>> all = new ArrayList<>();
      for (int i = 0; i < STACKS; i++) {
        Path file = files.get(i);
        String name = names.get(i);
        all.add(
            callers.submit(
                () ->
                    swarm
                        .stack(name)
                        .deploy(ComposeLoader.load(file, name), DeployOptions.waitingUpTo(WAIT))
                        .await(WAIT)));
      }
      for (Future<DeploymentResult> d : all) {
        check(d.get());
      }
      long cpu = processCpuNanos() - cpuBefore; // before the polling by docker processes below
      waitAllRunning(names);
      long elapsed = millisSince(start);
      System.out.printf(
          "  (the JVM used %d ms of CPU until every deployment reported converged)%n",
          TimeUnit.NANOSECONDS.toMillis(cpu));
      removeSwarm(swarm, names);
      return elapsed;
    } finally {
      callers.shutdownNow();
    }
  }

  /** Ten {@code docker stack deploy} processes started at once, timed as Stackwright's are. */
  private static long referenceAtOnce(Path dir, List<Path> files, List<String> names)
      throws Exception {
    long start = System.nanoTime();
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < STACKS; i++) {
      processes.add(
          new ProcessBuilder(
                  "docker",
                  "stack",
                  "deploy",
                  "--resolve-image",
                  "never",
                  "-c",
                  files.get(i).toString(),
                  names.get(i))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("reference-" + i + ".log").toFile())
              .start());
    }
    for (int i = 0; i < STACKS; i++) {
      if (processes.get(i).waitFor() != 0) {
        throw new IllegalStateException(
            "docker stack deploy failed: "
                + Files.readString(dir.resolve("reference-" + i + ".log")));
      }
    }
    waitAllRunning(names);
    long elapsed = millisSince(start);
    for (String name : names) {
      run("docker", "stack", "rm", name);
    }
    waitGone(names);
    return elapsed;
  }

  private static long last(List<Long> figures) {
    return figures.get(figures.size() - 1);
  }

  private static long median(List<Long> figures) {
    List<Long> sorted = new ArrayList<>(figures);
    java.util.Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static final String SHARED_NETWORK = "swjb-shared";

  /**
   * Deploys {@code count} one-service stacks on one engine, keeps them, measures the idle JVM. They
   * share one external network: the engine's default address pools hold about 30 bridge networks,
   * not one per stack for 100 stacks.
   */
  private static void supervise(int count) throws Exception {
    List<String> names = new ArrayList<>();
    List<Subscription> keeps = new ArrayList<>();
    run("docker", "network", "create", SHARED_NETWORK);
    try (Orchestrator engine = Orchestrator.builder().platform("compose").inMemoryStore().build()) {
      try {
        long start = System.nanoTime();
        List<Deployment> all = new ArrayList<>();
        List<StackSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          String name = "swjbk" + i;
          names.add(name);
          StackSpec spec =
              StackSpec.builder(name)
                  .network(io.stackwright.api.NetworkSpec.external("shared", SHARED_NETWORK))
                  .service(
                      io.stackwright.api.ServiceSpec.builder("web", "stackwright/workload:test")
                          .env("VERSION", "k" + i)
                          .network("shared")
                          .build())
                  .build();
          specs.add(spec);
          all.add(engine.stack(name).deploy(spec, DeployOptions.waitingUpTo(WAIT)));
        }
        for (Deployment d : all) {
          check(d.await(WAIT));
        }
        System.out.printf(
            "%n%d one-service stacks deployed on one engine in %d ms%n", count, millisSince(start));
        for (StackSpec spec : specs) {
          keeps.add(engine.keep(spec));
        }
        Thread.sleep(10_000); // let supervision settle: its first full comparison is done
        System.gc();
        long cpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        Thread.sleep(IDLE.toMillis());
        long cpu = processCpuNanos() - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        long rssKb = rssKb();
        System.out.printf(
            "supervising %d stacks, idle %d s: RSS %d MB (goal < 512: %s), CPU %.2f %% of one core"
                + " (goal < 5: %s), heap used %d MB%n",
            count,
            IDLE.toSeconds(),
            rssKb / 1024,
            rssKb / 1024 < 512 ? "met" : "NOT met",
            100.0 * cpu / wall,
            100.0 * cpu / wall < 5 ? "met" : "NOT met",
            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
      } finally {
        for (Subscription keep : keeps) {
          keep.close();
        }
        List<io.stackwright.core.jobs.JobHandle> removals = new ArrayList<>();
        for (String name : names) {
          removals.add(engine.stack(name).remove(RemoveOptions.withVolumes()));
        }
        for (io.stackwright.core.jobs.JobHandle r : removals) {
          try {
            r.await(WAIT);
          } catch (RuntimeException e) {
            System.err.println("removing a supervised stack failed: " + e);
          }
        }
      }
    } finally {
      run("docker", "network", "rm", SHARED_NETWORK);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long rssKb() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1L);
  }

  private static List<String> names(String prefix) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < STACKS; i++) {
      names.add(prefix + i);
    }
    return names;
  }

  private static void deploy(Orchestrator orchestrator, StackSpec spec) {
    check(
        orchestrator.stack(spec.name()).deploy(spec, DeployOptions.waitingUpTo(WAIT)).await(WAIT));
  }

  private static void check(DeploymentResult result) {
    if (!result.succeeded()) {
      throw new IllegalStateException(
          "deployment of " + result.stack() + " failed: " + result.message());
    }
  }

  private static void removeSwarm(Orchestrator swarm, List<String> names) throws Exception {
    List<io.stackwright.core.jobs.JobHandle> removals = new ArrayList<>();
    for (String name : names) {
      removals.add(swarm.stack(name).remove(RemoveOptions.withVolumes()));
    }
    for (io.stackwright.core.jobs.JobHandle removal : removals) {
      removal.await(WAIT);
    }
    waitGone(names);
  }

  /** Until {@code docker stack services} shows every replica of every stack running. */
  private static void waitAllRunning(List<String> names) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> waiting = new ArrayList<>(names);
    while (!waiting.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not all replicas running: " + waiting);
      }
      waiting.removeIf(JobsBenchmark::allReplicasRunning);
      if (!waiting.isEmpty()) {
        Thread.sleep(200);
      }
    }
  }

  private static boolean allReplicasRunning(String stack) {
    String out = run("docker", "stack", "services", stack, "--format", "{{.Replicas}}");
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    return lines.size() == 3
        && lines.stream()
            .allMatch(
                l -> {
                  String[] parts = l.trim().split("[/ ]");
                  return parts.length >= 2 && parts[0].equals(parts[1]) && !parts[0].equals("0");
                });
  }

  /** Until no service, network or task of the stacks is left. */
  private static void waitGone(List<String> names) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (String name : names) {
      while (!run("docker", "ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + name)
              .isBlank()
          || !run(
                  "docker",
                  "network",
                  "ls",
                  "-q",
                  "--filter",
                  "label=com.docker.stack.namespace=" + name)
              .isBlank()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " is not gone");
        }
        Thread.sleep(250);
      }
    }
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** Three tiny services, each with a healthcheck, on an overlay network (dnsrr: no IPVS here). */
  private static String swarmStack(int i) {
    StringBuilder yaml = new StringBuilder("version: \"3.8\"\nservices:\n");
    for (String service : List.of("web", "api", "worker")) {
      yaml.append("  ")
          .append(service)
          .append(":\n")
          .append("    image: stackwright/workload:test\n")
          .append("    environment:\n      VERSION: bench-")
          .append(i)
          .append("\n")
          .append("    healthcheck:\n")
          .append("      test: [\"CMD\", \"/server\", \"--probe\"]\n")
          .append("      interval: 1s\n      timeout: 1s\n      retries: 30\n")
          .append("      start_period: 1s\n")
          .append("    deploy:\n      replicas: 1\n      endpoint_mode: dnsrr\n");
    }
    yaml.append("networks:\n  default:\n    driver: overlay\n");
    return yaml.toString();
  }
}
