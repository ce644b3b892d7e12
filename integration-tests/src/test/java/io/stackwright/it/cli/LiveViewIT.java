package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view on a real terminal: {@code deploy} runs in a tmux pane (a pseudo-terminal, so
 * {@code System.console()} is there), and the screen tmux renders is read back: one line per
 * service, redrawn in place, coloured unless NO_COLOR is set; plain lines when stdout is not a
 * terminal or {@code --progress=plain}.
 */
class LiveViewIT {
  private static final String PROJECT = "cl-liveview";
  // A tmux server per run: a new session right after kill-server on the same socket races with the
  // old server's exit ("server exited unexpectedly").
  private static final String SOCKET = "cl-liveview-" + ProcessHandle.current().pid() + "-";
  private int runs;
  private static final String ESC = "\u001b[";
  @TempDir Path dir;
  private Path compose;

  @BeforeEach
  void files() throws IOException {
    Shell.stackwright("remove", "--platform", "compose", "-p", PROJECT);
    compose = dir.resolve("compose.yml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            healthcheck:
              test: ["CMD", "/server", "--probe"]
              interval: 500ms
              timeout: 2s
              retries: 3
            deploy:
              replicas: 2
          worker:
            image: stackwright/workload:test
        """);
  }

  @AfterEach
  void cleanUp() {
    Shell.stackwright("remove", "--platform", "compose", "-p", PROJECT);
  }

  @Test
  void aTerminalShowsOneLinePerServiceRedrawnInPlace() {
    List<String> screens = runInTerminal("env -u NO_COLOR");
    String last = screens.get(screens.size() - 1);
    assertThat(plain(last)).contains("EXIT=0", "deploying " + PROJECT + " (2/2)", "SUCCEEDED");
    assertThat(lines(plain(last), " web ")).hasSize(1).allMatch(l -> l.contains("healthy"));
    assertThat(lines(plain(last), " worker ")).hasSize(1).allMatch(l -> l.contains("running"));
    assertThat(last).as("coloured on a terminal").contains(ESC + "32m");
    assertThat(screens.stream().map(LiveViewIT::plain))
        .as("a state in progress, with its elapsed time, was on the screen before the end")
        .anyMatch(
            s ->
                s.matches(
                    "(?s).* (web|worker) +(creating|starting|waiting for health)[^\\n]*\\d+\\.\\ds.*"));
    assertThat(plain(last)).doesNotContain("TASK_STATE_CHANGED");

    List<String> again = runInTerminal("env NO_COLOR=1");
    String unchanged = again.get(again.size() - 1);
    assertThat(plain(unchanged)).contains("EXIT=0");
    assertThat(lines(plain(unchanged), " web ")).hasSize(1).allMatch(l -> l.contains("up to date"));
    assertThat(unchanged)
        .as("NO_COLOR: no colour")
        .doesNotContain(ESC + "32m", ESC + "2m", ESC + "33m");

    List<String> plainMode = runInTerminal("env -u NO_COLOR", "--progress=plain");
    assertThat(plain(plainMode.get(plainMode.size() - 1))).contains("EXIT=0");
    assertThat(plainMode.stream().map(LiveViewIT::plain))
        .as("plain progress lines, on the screen while the deploy ran")
        .anyMatch(s -> s.contains("PLAN_COMPUTED"));
    assertThat(List.of(last, unchanged, plainMode.get(plainMode.size() - 1)))
        .as("nothing thrown on the way out (the CLI closes its store after its jobs)")
        .noneMatch(s -> s.contains("Exception"));
  }

  @Test
  void withoutATerminalProgressIsPlainLinesOrJson() {
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
    assertThat(deployed.out()).doesNotContain(ESC).contains("SERVICE_CONVERGED", "SUCCEEDED");
    Result json =
        Shell.stackwright(
            "deploy", "--platform", "compose", "-f", compose.toString(), "-p", PROJECT, "--json");
    assertThat(json.exitCode()).as(json.all()).isZero();
    assertThat(json.out().lines().filter(l -> !l.isBlank()))
        .isNotEmpty()
        .allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    assertThat(json.out())
        .contains("\"type\":\"event\"", "\"type\":\"result\"", "\"outcome\":\"SUCCEEDED\"");
  }

  /** Runs deploy in a fresh tmux pane until it ends; returns every screen read meanwhile. */
  private List<String> runInTerminal(String environment, String... extra) {
    String socket = SOCKET + runs++;
    String command =
        environment
            + " COLUMNS=110 "
            + Shell.distribution().resolve("bin/stackwright")
            + " deploy --platform compose -f "
            + compose
            + " -p "
            + PROJECT
            + " --timeout 120s "
            + String.join(" ", extra)
            + "; echo EXIT=$?; sleep 600";
    Result started =
        Shell.run(
            List.of(
                "tmux",
                "-L",
                socket,
                "new-session",
                "-d",
                "-x",
                "110",
                "-y",
                "40",
                "sh",
                "-c",
                command));
    assertThat(started.exitCode()).as(started.all()).isZero();
    List<String> screens = new ArrayList<>();
    try {
      Awaitility.await("the deploy in the terminal")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                String screen =
                    Shell.run(List.of("tmux", "-L", socket, "capture-pane", "-e", "-p")).out();
                screens.add(screen);
                return plain(screen).contains("EXIT=");
              });
    } finally {
      Shell.run(List.of("tmux", "-L", socket, "kill-server"));
    }
    return screens;
  }

  private static String plain(String screen) {
    return screen.replaceAll("\u001b\\[[0-9;]*[A-Za-z]", "");
  }

  private static List<String> lines(String screen, String containing) {
    return screen.lines().filter(l -> l.startsWith(containing)).toList();
  }
}
