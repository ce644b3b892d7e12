package io.stackwright.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands (the CLI jar, the docker CLI) the way a person would from a shell. */
public final class Shell {
  private Shell() {}

  /** What a command printed and how it ended. */
  public record Result(int exitCode, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  public static Result run(List<String> command) {
    try {
      Path out = Files.createTempFile("stackwright-out", ".txt");
      Path err = Files.createTempFile("stackwright-err", ".txt");
      Process process =
          new ProcessBuilder(command)
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

  /** Runs {@code examples/target/stackwright-cli.jar} with the JVM running the tests. */
  public static Result cli(String... args) {
    Path jar = Path.of("target", "stackwright-cli.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: build with ./mvnw verify");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(Arrays.asList(args));
    return run(command);
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
