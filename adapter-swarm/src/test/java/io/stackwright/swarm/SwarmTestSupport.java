package io.stackwright.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.RemoveOptions;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.testing.SecretGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
final class SwarmTestSupport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmTestSupport.class);

  static final String IMAGE = "stackwright/workload:test";
  static final String IMAGE_V2 = "stackwright/workload:v2";

  final ExecutorService executor = Executors.newCachedThreadPool();
  final PlatformContext context = new PlatformContext(Clock.systemUTC(), executor, Map.of());
  final SwarmPlatform platform = new SwarmPlatform(context);
  private final List<String> stacks = new ArrayList<>();

  /** A stack name unique to this run, remembered for cleanup. */
  String stack(String what) {
    String name = "swtest-" + what + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    stacks.add(name);
    return name;
  }

  /** Removes every stack this test used, even when the test failed. */
  @Override
  public void close() {
    for (String stack : stacks) {
      try {
        platform.remove(stack, RemoveOptions.withVolumes(), EventListener.none());
      } catch (RuntimeException e) {
        LOG.warn("Removing {} failed, falling back to the CLI", stack, e);
        docker("stack", "rm", stack);
      }
    }
    platform.close();
    executor.shutdownNow();
  }

  record Result(int exitCode, String output) {}

  /**
   * Runs the docker CLI and returns its exit code and combined output, which must hold none of the
   * secrets this JVM's tests registered ({@link SecretGuard}).
   */
  static Result docker(String... args) {
    Result result = dockerUnchecked(args);
    SecretGuard.assertNoSecretIn(result.output(), "the output of docker " + args[0]);
    return result;
  }

  /**
   * What a container reads in one of its files: the one docker command whose output may hold a
   * secret, since the test reads one back. Compare with {@link SecretGuard#describe}.
   */
  static String readInContainer(String containerId, String path) {
    Result result = dockerUnchecked("exec", containerId, "cat", path);
    if (result.exitCode() != 0) {
      throw new AssertionError("could not read " + path + " in " + containerId);
    }
    return result.output();
  }

  private static Result dockerUnchecked(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(Arrays.asList(args));
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

  /** Runs the docker CLI and expects success. */
  static String dockerOk(String... args) {
    Result result = docker(args);
    assertThat(result.exitCode())
        .as("docker %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }
}
