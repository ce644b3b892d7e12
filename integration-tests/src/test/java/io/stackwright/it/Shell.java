package io.stackwright.it;

import io.stackwright.testing.SecretGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands (the CLI jar, the docker CLI) the way a person would from a shell. */
public final class Shell {
  /**
   * The store of the CLI processes this test JVM starts (STACKWRIGHT_STORE_DIR): one per test JVM,
   * so that the CLI processes of test classes running in parallel JVMs do not share jobs (the CLI
   * processes one test starts do share it, as a person's would). Sharing one store between
   * processes is tested where it is the point.
   */
  private static final Path CLI_STORE = newCliStore();

  private Shell() {}

  /** The store directory the CLI processes of this test JVM share (see {@link #CLI_STORE}). */
  public static Path cliStore() {
    return CLI_STORE;
  }

  private static Path newCliStore() {
    try {
      return Files.createTempDirectory("stackwright-it-store");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  public static Result run(List<String> command) {
    return run(command, java.util.Map.of());
  }

  /**
   * Runs {@code command} with these variables added to (or, mapped to null, removed from) its
   * environment.
   */
  public static Result run(List<String> command, java.util.Map<String, String> environment) {
    // every command line, and its output as it is captured: the CLI and docker never print a
    // secret (SecretGuard knows the values this JVM's tests deployed)
    SecretGuard.assertNoSecretIn(String.join(" ", command), "the command line " + what(command));
    Result result = runUnchecked(command, environment);
    SecretGuard.assertNoSecretIn(result.out(), "the output of " + what(command));
    SecretGuard.assertNoSecretIn(result.err(), "the errors of " + what(command));
    return result;
  }

  /**
   * What a container reads in one of its files ({@code docker exec ID cat PATH}, trimmed): the one
   * command whose output may hold a secret, since the test reads one back to compare it. Compare
   * with {@link SecretGuard#describe} so that a failing assertion prints no value.
   */
  public static String readInContainer(String containerId, String path) {
    Result result = runUnchecked(List.of("docker", "exec", containerId, "cat", path), Map.of());
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "could not read " + path + " in " + containerId + ": " + result.err());
    }
    return result.out().trim();
  }

  /** The command's first words (the CLI's subcommand), for a message. */
  private static String what(List<String> command) {
    List<String> words = new ArrayList<>();
    boolean jar = false;
    for (String word : command) {
      if (jar) {
        words.add(Path.of(word).getFileName().toString());
        jar = false;
      } else if (word.equals("-jar")) {
        jar = true;
      } else if (!word.startsWith("-") && words.size() < 3) {
        words.add(words.isEmpty() ? Path.of(word).getFileName().toString() : word);
      }
    }
    return "'" + String.join(" ", words) + " ...'";
  }

  private static Result runUnchecked(List<String> command, Map<String, String> environment) {
    try {
      Path out = Files.createTempFile("stackwright-out", ".txt");
      Path err = Files.createTempFile("stackwright-err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("STACKWRIGHT_STORE_DIR", CLI_STORE.toString());
      environment.forEach(
          (name, value) -> {
            if (value == null) {
              builder.environment().remove(name);
            } else {
              builder.environment().put(name, value);
            }
          });
      Process process =
          builder
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return result;
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }

  public static Result docker(String... args) {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  /**
   * The CLI jar ({@code stackwright-cli/target/stackwright-cli.jar}, named by the {@code
   * stackwright.cli.jar} property the build sets).
   */
  public static Path cliJar() {
    Path jar =
        Path.of(
                System.getProperty(
                    "stackwright.cli.jar", "../stackwright-cli/target/stackwright-cli.jar"))
            .toAbsolutePath()
            .normalize();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build with ./mvnw verify");
    }
    return jar;
  }

  /**
   * The java launcher of the JVM running the tests, with the options a short-lived JVM starts
   * fastest with (C1 only and the serial collector, as {@code bin/stackwright} runs the CLI: a
   * {@code deploy} took 4.2 s of CPU without them, 2.3 s with them), then {@code options}.
   */
  public static List<String> java(String... options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.addAll(Arrays.asList(options));
    return command;
  }

  /**
   * The CLI as a person on the PATH runs it: the distribution's {@code bin/stackwright} (C1, the
   * serial collector and the class-data-sharing archive the build made: a {@code deploy} took 1.7 s
   * of CPU, against 2.3 s for {@code java -jar} with the same options and 4.2 s without them), on
   * the JVM running the tests, with these JVM options ({@code STACKWRIGHT_OPTS}), then {@code
   * args}. {@code DistributionIT} is about the distribution and the runnable jar themselves.
   */
  public static List<String> cliCommand(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add("env");
    command.add("JAVA_HOME=" + System.getProperty("java.home"));
    if (!jvmOptions.isEmpty()) {
      command.add("STACKWRIGHT_OPTS=" + String.join(" ", jvmOptions));
    }
    command.add(distribution().resolve("bin/stackwright").toString());
    command.addAll(Arrays.asList(args));
    return command;
  }

  /**
   * Starts the CLI ({@link #cliCommand}) without waiting for it, with the environment {@link #run}
   * gives (its output and errors merged on the process's input stream).
   */
  public static Process startCli(String... args) {
    List<String> command = cliCommand(List.of(), args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("STACKWRIGHT_STORE_DIR", CLI_STORE.toString());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + command, e);
    }
  }

  /** Runs the CLI ({@link #cliCommand}) and waits for it. */
  public static Result cli(String... args) {
    return run(cliCommand(List.of(), args));
  }

  /**
   * The unpacked distribution the build makes ({@code stackwright-cli/target/stackwright-VERSION},
   * named by the {@code stackwright.cli.dist} property).
   */
  public static Path distribution() {
    String dir = System.getProperty("stackwright.cli.dist");
    if (dir == null) {
      throw new IllegalStateException("stackwright.cli.dist is not set: run through Failsafe");
    }
    Path path = Path.of(dir).toAbsolutePath().normalize();
    if (!Files.isExecutable(path.resolve("bin/stackwright"))) {
      throw new IllegalStateException(
          path + "/bin/stackwright is missing: build with ./mvnw verify");
    }
    return path;
  }

  /** Runs the distribution's {@code bin/stackwright}, as a person on the PATH would. */
  public static Result stackwright(String... args) {
    return stackwright(java.util.Map.of(), args);
  }

  public static Result stackwright(java.util.Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(distribution().resolve("bin/stackwright").toString());
    command.addAll(Arrays.asList(args));
    return run(command, environment);
  }

  /** The names of the stack's resources of one kind, as the docker CLI lists them. */
  public static List<String> stackResources(String kind, String stack) {
    Result result =
        docker(
            kind,
            "ls",
            "--filter",
            "label=com.docker.stack.namespace=" + stack,
            "--format",
            "{{.Name}}");
    return result.out().lines().filter(line -> !line.isBlank()).toList();
  }
}
