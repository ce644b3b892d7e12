package io.stackwright.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build's training run for the class-data-sharing archive ({@code bin/stackwright} runs it with
 * {@code -XX:ArchiveClassesAtExit} when {@code STACKWRIGHT_CDS_DUMP} is set): runs the commands
 * people start most, read-only ones only ({@code --help}, {@code version}, {@code config} of a
 * Compose file, {@code plan} and {@code status} of a stack that does not exist), so the classes
 * they load are archived, and records the JVM's version beside the archive, for the launcher to
 * compare. Never fails the build: a command that fails (no engine here) has still loaded its
 * classes.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    String archive = System.getProperty("stackwright.cds.archive");
    Path dir = Files.createTempDirectory("stackwright-cds");
    Path compose = dir.resolve("compose.yaml");
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 0; i < 3; i++) {
      yaml.append("  s")
          .append(i)
          .append(":\n    image: stackwright/workload:test\n    environment:\n      N: '")
          .append(i)
          .append("'\n    ports: ['80")
          .append(i)
          .append(":8080']\n    healthcheck:\n      test: ['CMD', '/server', '--probe']\n")
          .append("      interval: 1s\n    deploy:\n      replicas: 1\n");
    }
    Files.writeString(compose, yaml);
    String file = compose.toString();
    String stack = "stackwright-cds-training-nonexistent";
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    System.setOut(quiet);
    System.setErr(quiet);
    try {
      String[][] runs = {
        {"--help"},
        {"deploy", "--help"},
        {"config", "-f", file},
        {"config", "-f", file, "--format", "json"},
        {"plan", "-f", file, "-p", stack, "--platform", "swarm"},
        {"status", "-p", stack, "--platform", "swarm"},
        {"status", "-p", stack, "--platform", "compose"},
        {"status", "-p", stack, "--json"},
      };
      for (String[] run : runs) {
        try {
          StackwrightCli.run(run);
        } catch (RuntimeException | LinkageError e) {
          // Classes loaded before the failure are archived all the same.
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      Files.deleteIfExists(compose);
      Files.deleteIfExists(dir);
    }
    String home = System.getProperty("stackwright.home");
    if (home != null) {
      HelpTexts.write(Path.of(home, "lib", "help"));
    }
    if (archive != null) {
      // What bin/stackwright compares before it uses the archive: this JVM, and this place.
      Files.writeString(
          Path.of(archive + ".jvm"),
          System.getProperty("java.runtime.version")
              + " "
              + System.getProperty("stackwright.home")
              + "\n");
    }
    System.out.println(
        "stackwright: class-data-sharing archive trained on "
            + System.getProperty("java.runtime.version"));
  }
}
