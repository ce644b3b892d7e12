package io.stackwright.benchmarks;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.core.Orchestrator;
import io.stackwright.loader.ComposeLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Brings a 10-service project up on one engine with Stackwright (embedded, as a host application
 * uses it) and with Debian's {@code docker-compose} (the reference), in the same run, and prints
 * the median times and their ratio for {@code up} from nothing and for an unchanged re-{@code up}.
 *
 * <p>Run with {@code scripts/bench-compose-up.sh}. Both sides start the same containers from the
 * same local image and wait until they run (the services have no healthcheck, so running is ready;
 * {@code docker-compose up -d} returns once its containers are started).
 */
public final class ComposeUpBenchmark {
  private static final int SERVICES = 10;

  private ComposeUpBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = Files.createTempDirectory("stackwright-bench");
    Path file = dir.resolve("compose.yml");
    Files.writeString(file, composeFile());

    List<Long> referenceUp = new ArrayList<>();
    List<Long> referenceReUp = new ArrayList<>();
    List<Long> stackwrightUp = new ArrayList<>();
    List<Long> stackwrightReUp = new ArrayList<>();

    try (Orchestrator orchestrator = Orchestrator.builder().platform("compose").build()) {
      StackSpec stack = ComposeLoader.load(file, "benchsw");
      // Warm-up: the JVM's first deployment pays class loading; a host application pays it once.
      deploy(orchestrator, stack);
      orchestrator.remove("benchsw", RemoveOptions.withVolumes());
      for (int round = 1; round <= rounds; round++) {
        referenceUp.add(
            timeProcess(dir, "docker-compose", "-p", "benchdc", "-f", file.toString(), "up", "-d"));
        referenceReUp.add(
            timeProcess(dir, "docker-compose", "-p", "benchdc", "-f", file.toString(), "up", "-d"));
        timeProcess(
            dir, "docker-compose", "-p", "benchdc", "-f", file.toString(), "down", "-t", "1");

        stackwrightUp.add(deploy(orchestrator, ComposeLoader.load(file, "benchsw")));
        stackwrightReUp.add(deploy(orchestrator, ComposeLoader.load(file, "benchsw")));
        orchestrator.remove("benchsw", RemoveOptions.withVolumes());
        System.out.printf(
            "round %d: up  compose %5d ms  stackwright %5d ms | re-up  compose %5d ms  stackwright %5d ms%n",
            round,
            last(referenceUp),
            last(stackwrightUp),
            last(referenceReUp),
            last(stackwrightReUp));
      }
    }
    report("up from nothing  ", median(stackwrightUp), median(referenceUp), 0.5);
    report("unchanged re-up  ", median(stackwrightReUp), median(referenceReUp), 0.2);
  }

  private static long deploy(Orchestrator orchestrator, StackSpec stack) {
    long start = System.nanoTime();
    DeploymentResult result =
        orchestrator
            .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(3)))
            .await(Duration.ofMinutes(4));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (!result.succeeded()) {
      throw new IllegalStateException("deployment failed: " + result.message());
    }
    return millis;
  }

  private static long timeProcess(Path dir, String... command)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("reference.log").toFile())
            .start();
    int exit = process.waitFor();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (exit != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited "
              + exit
              + ": "
              + Files.readString(dir.resolve("reference.log")));
    }
    return millis;
  }

  private static String composeFile() {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 1; i <= SERVICES; i++) {
      yaml.append("  svc")
          .append(i)
          .append(":\n")
          .append("    image: stackwright/workload:test\n")
          .append("    environment:\n      VERSION: bench-")
          .append(i)
          .append('\n');
    }
    return yaml.toString();
  }

  private static void report(String what, long stackwright, long reference, double target) {
    double ratio = (double) stackwright / reference;
    System.out.printf(
        "%s stackwright %5d ms   docker-compose %5d ms   ratio %.2fx (target <= %.1fx: %s)%n",
        what, stackwright, reference, ratio, target, ratio <= target ? "met" : "NOT met");
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static long last(List<Long> values) {
    return values.get(values.size() - 1);
  }
}
