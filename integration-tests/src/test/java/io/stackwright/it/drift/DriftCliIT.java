package io.stackwright.it.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stackwright diff} and {@code history}, run as bin/stackwright against the real engine (one
 * project on the single-engine platform): exit 0 equal, 1 different, 2 invalid input; the history
 * of the deploy and of a removed stack; {@code watch --drift repair} undoing a removed container.
 */
class DriftCliIT {
  private static final String PROJECT = "swd-cli";
  private static final String WATCHED = "swd-cliw";
  @TempDir Path dir;

  @AfterEach
  void remove() {
    Shell.stackwright("remove", "--platform", "compose", "-p", PROJECT);
    Shell.cli("remove", "--platform", "compose", "-p", WATCHED);
  }

  @Test
  void watchWithDriftRepairUndoesARemovedContainer() throws Exception {
    Path compose = dir.resolve("watched.yml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            deploy:
              replicas: 2
        """);
    Process watch =
        Shell.startCli(
            "watch",
            "--platform",
            "compose",
            "-f",
            compose.toString(),
            "-p",
            WATCHED,
            "--drift",
            "repair",
            "--json",
            "--for",
            "150s");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "watch-output");
    reader.setDaemon(true);
    reader.start();
    try {
      awaitLines(lines, "DEPLOYMENT_SUCCEEDED");
      // removed at once: before the watch has begun watching, it compares when it begins
      assertThat(Shell.docker("rm", "-f", WATCHED + "-web-2").exitCode()).isZero();
      awaitLines(lines, "DRIFT_DETECTED", "DRIFT_REPAIRED");
      Awaitility.await("both replicas run again")
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () ->
                  Shell.docker(
                              "ps", "-q", "--filter", "label=com.docker.compose.project=" + WATCHED)
                          .out()
                          .lines()
                          .filter(l -> !l.isBlank())
                          .count()
                      == 2);
    } finally {
      watch.destroy();
      if (!watch.waitFor(20, TimeUnit.SECONDS)) {
        watch.destroyForcibly();
      }
    }
    Result invalid =
        Shell.cli("watch", "--platform", "compose", "-f", compose.toString(), "--drift", "fix");
    assertThat(invalid.exitCode()).as(invalid.all()).isEqualTo(2);
    assertThat(invalid.all()).contains("must be off, warn or repair, not 'fix'");
  }

  /** Waits for an output line of each event type, failing with the output when one is missing. */
  private static void awaitLines(List<String> lines, String... types) {
    try {
      Awaitility.await("events " + String.join(", ", types))
          .atMost(java.time.Duration.ofMinutes(2))
          .until(
              () ->
                  java.util.Arrays.stream(types)
                      .allMatch(t -> lines.stream().anyMatch(l -> l.contains("\"" + t + "\""))));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no " + String.join("/", types) + " in the watch's output:\n" + String.join("\n", lines),
          e);
    }
  }

  @Test
  void diffExitCodesAndHistory() throws IOException {
    Path compose = dir.resolve("compose.yml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            deploy:
              replicas: 2
        """);
    Result deployed =
        Shell.stackwright(
            "deploy",
            "--platform",
            "compose",
            "-f",
            compose.toString(),
            "-p",
            PROJECT,
            "--timeout",
            "120s");
    assertThat(deployed.exitCode()).as(deployed.all()).isZero();

    Result equal =
        Shell.stackwright("diff", "--platform", "compose", "-f", compose.toString(), "-p", PROJECT);
    assertThat(equal.exitCode()).as(equal.all()).isZero();
    assertThat(equal.out()).contains("as the files declare");

    assertThat(Shell.docker("rm", "-f", PROJECT + "-web-2").exitCode()).isZero();
    Result different =
        Shell.stackwright(
            "diff", "--platform", "compose", "-f", compose.toString(), "-p", PROJECT, "--json");
    assertThat(different.exitCode()).as(different.all()).isEqualTo(1);
    assertThat(different.out())
        .contains("\"equal\" : false", "\"resource\" : \"web\"", "\"path\" : \"replicas\"");

    Path broken = dir.resolve("broken.yml");
    Files.writeString(broken, "services:\n  web:\n    imag: nope\n");
    Result invalid =
        Shell.stackwright("diff", "--platform", "compose", "-f", broken.toString(), "-p", PROJECT);
    assertThat(invalid.exitCode()).as(invalid.all()).isEqualTo(2);

    Shell.stackwright("remove", "--platform", "compose", "-p", PROJECT);
    Result history = Shell.stackwright("history", "--platform", "compose", "-p", PROJECT, "--json");
    assertThat(history.exitCode()).as(history.all()).isZero();
    assertThat(history.out())
        .contains(
            "\"jobKind\" : \"deploy\"", "\"jobKind\" : \"remove\"", "\"outcome\" : \"succeeded\"");
  }
}
