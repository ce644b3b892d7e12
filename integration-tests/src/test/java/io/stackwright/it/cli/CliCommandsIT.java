package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ps}, {@code logs}, {@code version}, {@code completion}, the help of every command and the
 * error format, run as bin/stackwright against the real engine (one project on the single-engine
 * platform, one stack on the Swarm).
 */
class CliCommandsIT {
  private static final String PROJECT = "cl-cmds";
  private static final String STACK = "cl-cmdsw";
  @TempDir static Path dir;
  private static Path compose;
  private static Path swarm;

  @BeforeAll
  static void deploy() throws IOException {
    compose = dir.resolve("compose.yml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            ports: ["18471:8080"]
            healthcheck:
              test: ["CMD", "/server", "--probe"]
              interval: 500ms
              timeout: 2s
              retries: 3
          worker:
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
    swarm = dir.resolve("swarm.yml");
    Files.writeString(
        swarm,
        """
        services:
          api:
            image: stackwright/workload:test
            deploy:
              replicas: 2
              endpoint_mode: dnsrr
        """);
    Result stacked =
        Shell.stackwright(
            "deploy",
            "--platform",
            "swarm",
            "-f",
            swarm.toString(),
            "-p",
            STACK,
            "--timeout",
            "120s");
    assertThat(stacked.exitCode()).as(stacked.all()).isZero();
  }

  @AfterAll
  static void remove() {
    Shell.stackwright("remove", "--platform", "compose", "-p", PROJECT);
    Shell.stackwright("remove", "--platform", "swarm", "-p", STACK);
  }

  @Test
  void psListsEveryReplicaWithStateHealthNodeAndPorts() {
    Result ps =
        Shell.stackwright("ps", "--platform", "compose", "-f", compose.toString(), "-p", PROJECT);
    assertThat(ps.exitCode()).as(ps.all()).isZero();
    assertThat(ps.out().lines().filter(l -> l.startsWith("web.") || l.startsWith("worker.")))
        .hasSize(3);
    assertThat(ps.out())
        .contains("REPLICA", "STATE", "HEALTH", "NODE", "PORTS")
        .containsPattern("web\\.1\\s+running\\s+healthy\\s+\\S+\\s+18471:8080/tcp")
        .containsPattern("worker\\.2\\s+running\\s+none");

    Result swarmPs = Shell.stackwright("ps", "--platform", "swarm", "-p", STACK, "--json");
    assertThat(swarmPs.exitCode()).as(swarmPs.all()).isZero();
    String node = Shell.docker("info", "--format", "{{.Swarm.NodeID}}").out().trim();
    assertThat(swarmPs.out()).contains("\"replica\" : \"api.1\"", "\"replica\" : \"api.2\"", node);

    Result missing = Shell.stackwright("ps", "--platform", "compose", "-p", "cl-nothing-here");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("error: ps failed:").contains("cl-nothing-here not found");
  }

  @Test
  void logsMergeEveryReplicaPrefixedWithItsName() {
    Result logs = Shell.stackwright("logs", "--platform", "compose", "-p", PROJECT);
    assertThat(logs.exitCode()).as(logs.all()).isZero();
    assertThat(logs.out()).contains("web.1", "worker.1", "worker.2");
    assertThat(
            logs.out()
                .lines()
                .filter(l -> l.contains("| "))
                .filter(l -> l.contains("listening on")))
        .hasSizeGreaterThanOrEqualTo(3);

    Result tail =
        Shell.stackwright("logs", "--platform", "compose", "-p", PROJECT, "--tail", "1", "worker");
    assertThat(tail.out().lines().filter(l -> !l.isBlank()))
        .hasSize(2)
        .allMatch(l -> l.startsWith("worker."));

    Result since =
        Shell.stackwright(
            "logs", "--platform", "compose", "-p", PROJECT, "--since", "2999-01-01T00:00:00Z");
    assertThat(since.exitCode()).isZero();
    assertThat(since.out()).isBlank();

    Result swarmLogs = Shell.stackwright("logs", "--platform", "swarm", "-p", STACK, "-t");
    assertThat(swarmLogs.exitCode()).as(swarmLogs.all()).isZero();
    assertThat(swarmLogs.out())
        .contains("api.1", "api.2")
        .containsPattern("api\\.1\\s+\\| \\d{4}-\\d\\d-\\d\\dT");

    Result bad =
        Shell.stackwright("logs", "--platform", "compose", "-p", PROJECT, "--since", "yesterday");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--since takes");
  }

  @Test
  void logsFollowPrintsLinesAsTheyComeUntilStopped() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Shell.distribution().resolve("bin/stackwright").toString());
    command.addAll(
        List.of("logs", "--platform", "compose", "-p", PROJECT, "--follow", "--tail", "0"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    reader.start();
    try {
      // --tail 0: nothing until a replica writes; the workload writes a line when it is stopped
      // (SIGTERM). The follower may not be attached yet at the first stop, so stop (and start
      // again) until the line comes.
      long[] lastStop = {0};
      Awaitility.await("a new line while following")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (System.nanoTime() - lastStop[0] > TimeUnit.SECONDS.toNanos(8)) {
                  Shell.docker("stop", "-t", "5", PROJECT + "-worker-1");
                  Shell.docker("start", PROJECT + "-worker-1");
                  lastStop[0] = System.nanoTime();
                }
                return lines.stream()
                    .anyMatch(l -> l.startsWith("worker.1") && l.contains("SIGTERM received"));
              });
      assertThat(process.isAlive()).as("still following").isTrue();
    } finally {
      process.destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS))
          .as("logs --follow stops on SIGTERM")
          .isTrue();
    }
  }

  @Test
  void versionNamesTheCliLibraryJvmAndEngine() {
    Result version = Shell.stackwright("version");
    assertThat(version.exitCode()).as(version.all()).isZero();
    String engine =
        Shell.docker("version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}})")
            .out()
            .trim();
    assertThat(version.out()).contains("stackwright CLI 0.1.0", "library", "JVM", engine);

    Result unreachable =
        Shell.stackwright(Map.of("DOCKER_HOST", "unix:///nonexistent.sock"), "version", "--json");
    assertThat(unreachable.exitCode()).isZero();
    assertThat(unreachable.out()).contains("\"engine\" : null", "engineError");
  }

  @Test
  void completionScriptsForBashAndZsh() {
    Result bash = Shell.stackwright("completion", "bash");
    assertThat(bash.exitCode()).as(bash.all()).isZero();
    assertThat(bash.out()).contains("complete -F", "deploy", "logs", "--follow", "--platform");
    Result check = Shell.run(List.of("bash", "-n", "-c", bash.out()));
    assertThat(check.exitCode()).as(check.all()).isZero();
    Result zsh = Shell.stackwright("completion", "zsh");
    assertThat(zsh.out())
        .startsWith("autoload -U +X compinit")
        .contains("bashcompinit", "complete -F");
    assertThat(Shell.stackwright("completion", "fish").exitCode()).isEqualTo(2);
  }

  @Test
  void everyCommandIsDocumentedInItsHelpWithTheSameCommonOptions() {
    Result top = Shell.stackwright("--help");
    assertThat(top.exitCode()).isZero();
    for (String command :
        List.of(
            "plan",
            "deploy",
            "status",
            "remove",
            "ps",
            "logs",
            "rollback",
            "promote",
            "abort",
            "watch",
            "diff",
            "history")) {
      assertThat(top.out()).contains("  " + command);
      Result help = Shell.stackwright(command, "--help");
      assertThat(help.exitCode()).as(command + ": " + help.all()).isZero();
      assertThat(help.out())
          .as(command)
          .contains("Usage: stackwright " + command, "--platform", "--project-name", "--json");
    }
    for (String command : List.of("config", "routes", "version", "completion")) {
      Result help = Shell.stackwright(command, "--help");
      assertThat(help.exitCode()).as(command).isZero();
      assertThat(help.out()).contains("Usage: stackwright " + command);
    }
    // Pre-rendered help is picocli's own text.
    Result rendered = Shell.cli("deploy", "--help");
    assertThat(Shell.stackwright("deploy", "--help").out()).isEqualTo(rendered.out());
  }

  @Test
  void errorsSayWhatFailedAndWhatToDoWithConsistentExitCodes() {
    Result usage = Shell.stackwright("logs", "--tail");
    assertThat(usage.exitCode()).isEqualTo(2);
    Result unknown = Shell.stackwright("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    Result noEngine =
        Shell.stackwright(
            Map.of("DOCKER_HOST", "unix:///nonexistent.sock"), "status", "-p", PROJECT);
    assertThat(noEngine.exitCode()).as(noEngine.all()).isEqualTo(1);
    assertThat(noEngine.err().lines().findFirst().orElse(""))
        .startsWith("error: status failed: ")
        .contains("start Docker");
    assertThat(noEngine.err()).doesNotContain("\tat ", "Exception in thread");
    Result invalid =
        Shell.stackwright(
            "deploy",
            "--platform",
            "compose",
            "-f",
            Path.of("src/test/resources/stacks/invalid.yml").toAbsolutePath().toString(),
            "-p",
            PROJECT);
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(invalid.err())
        .startsWith("error: the stack is invalid")
        .contains("nothing was written");
  }
}
