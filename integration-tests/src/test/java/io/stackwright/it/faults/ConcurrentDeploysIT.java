package io.stackwright.it.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency from outside: two CLI processes deploying different versions of one stack at the same
 * moment, 20 trials per platform. Each trial must end as exactly one of the two files (the image
 * and the environment of every container), with no duplicate or orphan container, and a plan of
 * that file empty afterwards; a process that does not win may fail, but only cleanly (a conflict),
 * never with SUCCEEDED over a state that is not its own at the time it verified.
 *
 * <p>Each CLI process keeps its jobs in a store of its own ({@code -Dstackwright.store=memory}; an
 * H2 store per process works too but adds seconds to every JVM on this shared machine) and its own
 * CLI state directory ({@code STACKWRIGHT_STATE_DIR}), so only the engine is shared between them,
 * as between two hosts.
 */
class ConcurrentDeploysIT {
  static final int TRIALS = Integer.getInteger("stackwright.it.concurrent.trials", 20);
  static final String STACK_PREFIX = "swh-race";

  @TempDir Path dir;
  private final List<String[]> cleanups = new ArrayList<>();

  @AfterEach
  void remove() {
    for (String[] c : cleanups) {
      cli(dir.resolve("cleanup"), "remove", "-p", c[0], "--platform", c[1]);
    }
  }

  @Test
  void twoDeploysAtOnceOnTheSingleEngineEndAsExactlyOneFile() throws Exception {
    trials("compose", STACK_PREFIX + "-c");
  }

  @Test
  void twoDeploysAtOnceOnSwarmEndAsExactlyOneFile() throws Exception {
    trials("swarm", STACK_PREFIX + "-s");
  }

  private void trials(String platform, String stack) throws Exception {
    deployFirst(platform, stack, "base");

    int matched = 0;
    int bothSucceeded = 0;
    int oneConflicted = 0;
    List<String> failures = new ArrayList<>();
    for (int trial = 1; trial <= TRIALS; trial++) {
      Path a = write("a" + trial + ".yml", "test", "a" + trial);
      Path b = write("b" + trial + ".yml", "v2", "b" + trial);
      CountDownLatch start = new CountDownLatch(1);
      CompletableFuture<Result> ra = deployAt(start, "pa", a, stack, platform);
      CompletableFuture<Result> rb = deployAt(start, "pb", b, stack, platform);
      start.countDown();
      Result resultA = ra.get();
      Result resultB = rb.get();

      String outcome = settle(stack, platform, "a" + trial, "b" + trial);
      Path winner = outcome.equals("a" + trial) ? a : outcome.equals("b" + trial) ? b : null;
      String problem = null;
      if (winner == null) {
        problem = "state matches neither file: " + outcome;
      } else {
        problem = planNotEmpty(winner, stack, platform);
      }
      for (Result r : List.of(resultA, resultB)) {
        if (r.exitCode() != 0 && !cleanFailure(r)) {
          problem = "a deploy failed uncleanly: " + r.all();
        }
      }
      if (resultA.exitCode() == 0 && resultB.exitCode() == 0) {
        bothSucceeded++;
      } else if (resultA.exitCode() == 0 || resultB.exitCode() == 0) {
        oneConflicted++;
      } else {
        problem = problem == null ? "both deploys failed" : problem;
      }
      if (problem == null) {
        matched++;
      } else {
        failures.add("trial " + trial + ": " + problem);
      }
    }
    System.out.printf(
        "ConcurrentDeploysIT %s: %d/%d trials ended as exactly one file with an empty plan"
            + " (both succeeded, serialised: %d; one failed cleanly: %d)%n",
        platform, matched, TRIALS, bothSucceeded, oneConflicted);
    assertThat(failures).as(platform).isEmpty();
  }

  @Test
  void aDeployKilledAtARandomPointOnTheSingleEngineEndsAsItsFileWhenRunAgain() throws Exception {
    killedTrials("compose", STACK_PREFIX + "-kc");
  }

  @Test
  void aDeployKilledAtARandomPointOnSwarmEndsAsItsFileWhenRunAgain() throws Exception {
    killedTrials("swarm", STACK_PREFIX + "-ks");
  }

  /**
   * A CLI deploy killed with SIGKILL at a random point (0 to 2.5 s in: planning, creating,
   * replacing, waiting for health), then the same deploy run again: it must succeed and the state
   * be exactly its file, with an empty plan and no duplicate or orphan container.
   */
  private void killedTrials(String platform, String stack) throws Exception {
    deployFirst(platform, stack, "kbase");
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    List<String> failures = new ArrayList<>();
    List<String> points = new ArrayList<>();
    for (int trial = 1; trial <= TRIALS; trial++) {
      String run = "k" + trial;
      Path file = write(run + ".yml", "test", run);
      String[] deploy = {
        "deploy", "-f", file.toString(), "-p", stack, "--platform", platform, "--timeout", "120s"
      };
      Process killed = start(dir.resolve("kk"), deploy);
      int at = random.nextInt(2500);
      // the kill point: the deploy runs until then, unless it ends first
      boolean ended = killed.waitFor(at, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (!ended) {
        killed.destroyForcibly(); // SIGKILL: no shutdown hook runs
        killed.waitFor();
      }
      points.add(at + " ms" + (ended ? " (ended first)" : ""));
      Result again = cli(dir.resolve("kk"), deploy);
      String problem = null;
      if (again.exitCode() != 0) {
        problem = "the deploy run again failed: " + again.all();
      } else {
        String outcome = settle(stack, platform, run, run);
        if (!outcome.equals(run)) {
          problem = "state is not the file's: " + outcome;
        } else {
          problem = planNotEmpty(file, stack, platform);
        }
      }
      if (problem != null) {
        failures.add("trial " + trial + " (killed at " + points.get(trial - 1) + "): " + problem);
      }
    }
    System.out.printf(
        "ConcurrentDeploysIT %s killed: %d/%d trials ended as the file, run again (seed %d; kill"
            + " points %s)%n",
        platform, TRIALS - failures.size(), TRIALS, seed, points);
    assertThat(failures).as(platform).isEmpty();
  }

  /** The stack's first deploy, of a file whose containers carry {@code run}. */
  private void deployFirst(String platform, String stack, String run) throws IOException {
    cleanups.add(new String[] {stack, platform});
    Path base = write(run + ".yml", "test", run);
    Result first =
        cli(
            dir.resolve(run),
            "deploy",
            "-f",
            base.toString(),
            "-p",
            stack,
            "--platform",
            platform,
            "--timeout",
            "120s");
    assertThat(first.exitCode()).as(first.all()).isZero();
  }

  /** What is wrong when {@code plan} of {@code file} is not empty, or {@code null}. */
  private String planNotEmpty(Path file, String stack, String platform) {
    Result plan =
        cli(
            dir.resolve("plan"),
            "plan",
            "-f",
            file.toString(),
            "-p",
            stack,
            "--platform",
            platform,
            "--json");
    return plan.out().contains("\"empty\" : true")
        ? null
        : "plan of " + file.getFileName() + " not empty afterwards: " + plan.all();
  }

  /** {@link #cli}, started and left running (its output discarded). */
  static Process start(Path home, String... args) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command(args))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("STACKWRIGHT_STATE_DIR", home.resolve("state").toString());
    return builder.start();
  }

  private CompletableFuture<Result> deployAt(
      CountDownLatch start, String who, Path file, String stack, String platform) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return cli(
              dir.resolve(who),
              "deploy",
              "-f",
              file.toString(),
              "-p",
              stack,
              "--platform",
              platform,
              "--timeout",
              "120s");
        });
  }

  /** A failure that names a conflict (another process writing) and printed no SUCCEEDED. */
  static boolean cleanFailure(Result r) {
    String all = r.all().toLowerCase(java.util.Locale.ROOT);
    return !r.out().contains("SUCCEEDED")
        && (all.contains("conflict")
            || all.contains("changed by someone else")
            || all.contains("another process"))
        && !all.contains("exception in thread");
  }

  /**
   * The run value every container of the stack carries once the engine settled ("a3", "b3"), or a
   * description of a mixed state. Swarm stops replaced tasks asynchronously, so the state is read
   * until it is one file's (at most 60 s); the single engine has nothing pending.
   */
  private String settle(String stack, String platform, String runA, String runB) {
    String[] last = {""};
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(platform.equals("swarm") ? 60 : 10))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                last[0] = state(stack, platform, runA, runB);
                return last[0].equals(runA) || last[0].equals(runB);
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return last[0];
    }
    return last[0];
  }

  /** Which file the running containers match, exactly: images, environment and counts. */
  static String state(String stack, String platform, String runA, String runB) {
    String label =
        platform.equals("swarm")
            ? "label=com.docker.stack.namespace=" + stack
            : "label=com.docker.compose.project=" + stack;
    List<String> ids =
        Arrays.stream(Shell.docker("ps", "-aq", "--filter", label).out().split("\\s+"))
            .filter(s -> !s.isBlank())
            .toList();
    Map<String, List<String>> byService = new TreeMap<>();
    for (String id : ids) {
      String serviceLabel =
          platform.equals("swarm") ? "com.docker.swarm.service.name" : "com.docker.compose.service";
      String line =
          Shell.docker(
                  "inspect",
                  "--format",
                  "{{index .Config.Labels \""
                      + serviceLabel
                      + "\"}}|{{.State.Status}}|{{.Config.Image}}|{{range .Config.Env}}{{.}};{{end}}|{{.Name}}",
                  id)
              .out()
              .strip();
      String[] f = line.split("\\|", -1);
      if (f.length < 5) {
        continue; // removed between ps and inspect
      }
      if (platform.equals("swarm") && !f[1].equals("running")) {
        continue; // a replaced task that Swarm keeps in its history
      }
      String service = f[0].replaceFirst("^" + stack + "_", "");
      String run =
          Arrays.stream(f[3].split(";"))
              .filter(e -> e.startsWith("RUN="))
              .map(e -> e.substring(4))
              .findFirst()
              .orElse("?");
      String image = f[2].replaceFirst("@.*$", "");
      byService
          .computeIfAbsent(service, k -> new ArrayList<>())
          .add(run + "@" + image + "(" + f[1] + ")");
    }
    for (String run : List.of(runA, runB)) {
      String image = "stackwright/workload:" + (run.equals(runA) ? "test" : "v2");
      String one = run + "@" + image + "(running)";
      if (byService.equals(Map.of("a", List.of(one), "b", List.of(one, one)))) {
        return run;
      }
    }
    return byService.toString();
  }

  private Path write(String name, String tag, String run) throws IOException {
    String yaml =
        """
        services:
          a:
            image: stackwright/workload:%1$s
            environment: {RUN: "%2$s"}
            stop_grace_period: 1s
            deploy: {endpoint_mode: dnsrr}
          b:
            image: stackwright/workload:%1$s
            environment: {RUN: "%2$s"}
            stop_grace_period: 1s
            deploy: {replicas: 2, endpoint_mode: dnsrr, update_config: {parallelism: 2}}
        """
            .formatted(tag, run);
    return Files.writeString(dir.resolve(name), yaml);
  }

  /**
   * The CLI jar in a JVM of its own, with its own in-memory store and CLI state under {@code home}.
   */
  static Result cli(Path home, String... args) {
    return Shell.run(
        command(args), Map.of("STACKWRIGHT_STATE_DIR", home.resolve("state").toString()));
  }

  private static List<String> command(String... args) {
    return Shell.cliCommand(List.of("-Dstackwright.store=memory"), args);
  }
}
