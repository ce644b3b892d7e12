package io.stackwright.it.faults;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.core.Orchestrator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A three-manager Docker Swarm on this machine (one dockerd per network, PID, mount and UTS
 * namespace, driven by {@code src/test/lab/fault-lab.sh}), started once per test class with
 * {@code @RegisterExtension static final SwarmLab LAB = new SwarmLab();} and removed after it, also
 * when a test fails or the JVM is stopped. It has its own bridge ({@code flbr0}, 10.79.0.0/24),
 * sockets ({@code /run/fl-lab/node<N>.sock}) and data ({@code /var/lib/fl-lab}); the host engine
 * only lends its images.
 *
 * <p>When the lab cannot start here (not root, a tool or kernel feature missing), the class fails
 * with the reason under {@code CI=true} and is skipped with the reason elsewhere.
 */
final class SwarmLab implements BeforeAllCallback, AfterAllCallback {
  static final int NODES = 3;
  static final Duration SCRIPT_DEADLINE = Duration.ofSeconds(120);
  private static final Path SCRIPT = Path.of("src/test/lab/fault-lab.sh").toAbsolutePath();
  // One lab per machine: a second test JVM (another worktree's build) waits for the first.
  private static final Path LOCK = Path.of("/run/fl-lab.lock");

  private final CallLog calls = new CallLog();
  private FileChannel lockChannel;
  private FileLock lock;
  private Thread shutdownHook;
  private Duration startedIn;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String missing = missingPrerequisite();
    if (missing != null) {
      unavailable(missing);
    }
    lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.lock();
    shutdownHook = new Thread(this::down, "fault-lab-down");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    down(); // leftovers of a run that was killed
    long t0 = System.nanoTime();
    ScriptResult up = script("up", String.valueOf(NODES));
    startedIn = Duration.ofNanos(System.nanoTime() - t0);
    if (up.exitCode != 0) {
      String reason = "the fault lab did not start: " + up.output;
      down();
      release();
      unavailable(reason);
    }
    System.out.println("FAULTLAB lab of " + NODES + " managers up in " + millis(startedIn) + " ms");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      down();
    } finally {
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
          // the hook runs anyway
        }
      }
      release();
    }
  }

  /** The Engine API socket of node {@code n} (1-based). */
  String socket(int n) {
    return "unix:///run/fl-lab/node" + n + ".sock";
  }

  /** An orchestrator for the Swarm platform that talks to the engine at {@code dockerHost}. */
  Orchestrator orchestrator(String dockerHost, EventListener listener) {
    return orchestrator(dockerHost, listener, null);
  }

  /**
   * Likewise, with a deadline for each engine call ({@code docker.timeout.response}) when given.
   */
  Orchestrator orchestrator(String dockerHost, EventListener listener, Duration callDeadline) {
    Orchestrator.Builder builder =
        Orchestrator.builder()
            .platform("swarm")
            .property(PlatformContext.DOCKER_HOST, dockerHost)
            .listener(listener);
    if (callDeadline != null) {
      builder.property("docker.timeout.response", callDeadline.toSeconds() + "s");
    }
    return builder.build();
  }

  /** Power cut: SIGKILL of the node's PID-namespace init; every container of it dies. */
  void kill(int n) {
    check(script("kill", String.valueOf(n)));
  }

  /** Graceful stop of the node's dockerd (SIGTERM). */
  void stop(int n) {
    check(script("stop", String.valueOf(n)));
  }

  /** Starts a stopped or killed node again; it re-joins the Swarm from its own state. */
  void start(int n) {
    check(script("start", String.valueOf(n)));
  }

  /** dockerd stopped gracefully and started again. */
  void restartDaemon(int n) {
    stop(n);
    start(n);
  }

  /** Cuts node {@code n} off the lab network (its veth down); its containers keep running. */
  void partition(int n) {
    check(script("partition", String.valueOf(n)));
  }

  void heal(int n) {
    check(script("heal", String.valueOf(n)));
  }

  /** Restarts dead nodes and heals partitions (idempotent), then waits for all nodes Ready. */
  void converge() {
    check(script("up", String.valueOf(NODES)));
  }

  /** The node leading the Raft group. */
  int leader() {
    ScriptResult result = script("leader");
    check(result);
    return Integer.parseInt(
        result
            .output
            .lines()
            .filter(l -> l.matches("\\d+"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no leader in: " + result.output)));
  }

  /** The docker CLI against node {@code n}, with a deadline, timed in the lab's call log. */
  CallLog.Result docker(int n, Duration deadline, String... args) {
    List<String> command = new ArrayList<>(List.of("docker", "-H", socket(n)));
    command.addAll(List.of(args));
    return calls.run(
        String.join(" ", args.length > 2 ? List.of(args).subList(0, 2) : List.of(args)),
        command,
        deadline);
  }

  CallLog calls() {
    return calls;
  }

  private static String missingPrerequisite() {
    if (!"Linux".equals(System.getProperty("os.name"))) {
      return "the fault lab needs Linux namespaces";
    }
    if (!Files.isExecutable(SCRIPT)) {
      return SCRIPT + " is missing";
    }
    ScriptResult uid = exec(List.of("id", "-u"), Duration.ofSeconds(5));
    if (!"0".equals(uid.output.trim())) {
      return "the fault lab needs root (network namespaces, bridges, mounts); uid is "
          + uid.output.trim();
    }
    for (String tool : List.of("dockerd", "containerd", "ip", "iptables", "unshare", "nsenter")) {
      if (exec(List.of("sh", "-c", "command -v " + tool), Duration.ofSeconds(5)).exitCode != 0) {
        return tool + " is not installed (scripts/dev-env.sh installs it)";
      }
    }
    if (exec(
                List.of("sh", "-c", "command -v tini || command -v docker-init"),
                Duration.ofSeconds(5))
            .exitCode
        != 0) {
      return "neither tini nor docker-init is installed";
    }
    if (exec(
                List.of("docker", "image", "inspect", "stackwright/workload:test"),
                Duration.ofSeconds(20))
            .exitCode
        != 0) {
      return "image stackwright/workload:test is missing on the host engine: bash test-images/build.sh";
    }
    return null;
  }

  private static void unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("fault lab unavailable in CI: " + reason);
    }
    Assumptions.abort("fault lab unavailable: " + reason);
  }

  private void down() {
    ScriptResult result = script("down");
    if (result.exitCode != 0) {
      System.err.println("fault-lab down failed: " + result.output);
    }
  }

  private void release() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      System.err.println("could not release " + LOCK + ": " + e);
    } finally {
      lock = null;
      lockChannel = null;
    }
  }

  private static void check(ScriptResult result) {
    if (result.exitCode != 0) {
      throw new IllegalStateException(
          "fault-lab.sh failed (" + result.exitCode + "): " + result.output);
    }
  }

  private ScriptResult script(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    long t0 = System.nanoTime();
    ScriptResult result = exec(command, SCRIPT_DEADLINE);
    calls.record("lab " + args[0], Duration.ofNanos(System.nanoTime() - t0), result.exitCode == 0);
    return result;
  }

  record ScriptResult(int exitCode, String output) {}

  static ScriptResult exec(List<String> command, Duration deadline) {
    try {
      Path out = Files.createTempFile("fault-lab", ".txt");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          return new ScriptResult(124, "timed out after " + deadline + ": " + command);
        }
        return new ScriptResult(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return new ScriptResult(127, "could not run " + command + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ScriptResult(130, "interrupted: " + command);
    }
  }

  static long millis(Duration d) {
    return d.toMillis();
  }
}
