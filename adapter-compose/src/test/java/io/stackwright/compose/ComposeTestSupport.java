package io.stackwright.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.testing.SecretGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shared plumbing of the integration tests: a platform, the docker CLI, cleanup. */
final class ComposeTestSupport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ComposeTestSupport.class);

  static final String IMAGE = "stackwright/workload:test";
  static final String IMAGE_V2 = "stackwright/workload:v2";
  static final Duration CONVERGE = Duration.ofSeconds(60);

  final ExecutorService executor = Executors.newCachedThreadPool();
  final Path stateDir;
  final PlatformContext context;
  final ComposePlatform platform;
  private final List<String> stacks = new ArrayList<>();

  ComposeTestSupport() {
    try {
      stateDir = Files.createTempDirectory("cptest-state");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    context =
        new PlatformContext(
            Clock.systemUTC(), executor, Map.of(ComposePlatform.STATE_DIR, stateDir.toString()));
    platform = new ComposePlatform(context);
  }

  /** A project name unique to this run, remembered for cleanup. */
  String stack(String what) {
    String name = "cptest-" + what + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    stacks.add(name);
    return name;
  }

  /**
   * The workload's own probe every 500 ms; failures in the first 10 s do not count (a container
   * becomes healthy with its first success, and a slow start is not unhealthy).
   */
  static HealthcheckSpec probe() {
    return HealthcheckSpec.cmd("/server", "--probe")
        .withTimings(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10), 3);
  }

  static ServiceSpec.Builder service(String name) {
    return ServiceSpec.builder(name, IMAGE).stopGracePeriod(Duration.ofSeconds(2));
  }

  /** Every declared replica runs the current spec and is ready. */
  static boolean converged(StackState state, StackSpec stack) {
    for (ServiceSpec service : stack.services().values()) {
      ServiceState s = state.service(service.name()).orElse(null);
      if (s == null
          || s.readyReplicas() != service.replicas()
          || s.currentTasks().size() != service.replicas()
          || s.tasks().size() != service.replicas()) {
        return false;
      }
    }
    return true;
  }

  /** Removes every stack this test used, even when the test failed. */
  @Override
  public void close() {
    for (String stack : stacks) {
      try {
        platform.remove(stack, RemoveOptions.withVolumes(), EventListener.none());
      } catch (RuntimeException e) {
        LOG.warn("Removing {} failed, falling back to the CLI", stack, e);
        String ids =
            docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + stack).output();
        for (String id : ids.split("\\s+")) {
          if (!id.isBlank()) {
            docker("rm", "-f", "-v", id);
          }
        }
        docker("network", "prune", "-f", "--filter", "label=com.docker.compose.project=" + stack);
        docker("volume", "prune", "-f", "--filter", "label=com.docker.compose.project=" + stack);
      }
    }
    platform.close();
    executor.shutdownNow();
    try (var walk = Files.walk(stateDir)) {
      walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("Cannot delete {}", stateDir, e);
    }
  }

  record Result(int exitCode, String output) {}

  /** Runs a command and returns its exit code and combined output. */
  static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + command);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + command, e);
    }
  }

  /**
   * Runs the docker CLI; its output must hold none of the secrets this JVM's tests registered
   * ({@link SecretGuard}).
   */
  static Result docker(String... args) {
    Result result = dockerUnchecked(args);
    SecretGuard.assertNoSecretIn(result.output(), "the output of docker " + args[0]);
    return result;
  }

  /**
   * What a container reads in one of its files (trimmed): the one docker command whose output may
   * hold a secret, since the test reads one back. Compare with {@link SecretGuard#describe}.
   */
  static String readInContainer(String container, String path) {
    Result result = dockerUnchecked("exec", container, "cat", path);
    if (result.exitCode() != 0) {
      throw new AssertionError("could not read " + path + " in " + container);
    }
    return result.output().trim();
  }

  private static Result dockerUnchecked(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  /** Runs the docker CLI and expects success. */
  static String dockerOk(String... args) {
    Result result = docker(args);
    assertThat(result.exitCode())
        .as("docker %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output().trim();
  }

  /** {@code docker inspect -f <format> <container>}. */
  static String inspect(String container, String format) {
    return dockerOk("inspect", "-f", format, container);
  }

  /** Names of the containers, networks or volumes with the project label. */
  static List<String> labelled(String kind, String stack) {
    String out =
        switch (kind) {
          case "container" ->
              dockerOk(
                  "ps",
                  "-a",
                  "--format",
                  "{{.Names}}",
                  "--filter",
                  "label=com.docker.compose.project=" + stack);
          case "network" ->
              dockerOk(
                  "network",
                  "ls",
                  "--format",
                  "{{.Name}}",
                  "--filter",
                  "label=com.docker.compose.project=" + stack);
          default ->
              dockerOk(
                  "volume",
                  "ls",
                  "--format",
                  "{{.Name}}",
                  "--filter",
                  "label=com.docker.compose.project=" + stack);
        };
    return Arrays.stream(out.split("\\s+")).filter(s -> !s.isBlank()).sorted().toList();
  }
}
