package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.cli.StackwrightCli;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy --strategy}, {@code rollback}, {@code promote} and {@code abort} on the Swarm. */
class RolloutCliIT {
  private static final String STACK = "rocli" + Long.toString(System.nanoTime() % 100_000, 36);

  @AfterEach
  void removeStack() {
    Shell.cli("remove", "-p", STACK);
  }

  private static Path compose(Path dir, String name, String image, String extraEnv)
      throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        services:
          web:
            image: %s
            environment:
              STAGE: cli
              %s
            healthcheck:
              test: ["CMD", "/server", "--probe"]
              interval: 500ms
              timeout: 2s
              retries: 2
            deploy:
              replicas: 2
              endpoint_mode: dnsrr
              update_config: {parallelism: 1, order: start-first, monitor: 2s}
        """
            .formatted(image, extraEnv));
    return file;
  }

  private static Result cli(Path stateDir, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "STACKWRIGHT_STATE_DIR=" + stateDir));
    command.addAll(Shell.cliCommand(List.of(), args));
    return Shell.run(command);
  }

  @Test
  void aFailedRollingDeployIsRolledBackAndRollbackRedeploysTheLastGoodFiles(@TempDir Path dir)
      throws IOException {
    Path state = dir.resolve("state");
    Path good = compose(dir, "good.yml", "stackwright/workload:test", "");
    Path bad = compose(dir, "bad.yml", "stackwright/workload:v2", "FAIL_HEALTH: '1'");

    Result first =
        cli(
            state,
            "deploy",
            "-f",
            good.toString(),
            "-p",
            STACK,
            "--strategy",
            "rolling",
            "--timeout",
            "180s");
    assertThat(first.exitCode()).as(first.all()).isZero();

    Result failed =
        cli(
            state,
            "deploy",
            "-f",
            bad.toString(),
            "-p",
            STACK,
            "--strategy",
            "rolling",
            "--timeout",
            "180s");
    assertThat(failed.exitCode()).as(failed.all()).isEqualTo(StackwrightCli.FAILED);
    assertThat(failed.out()).contains("ROLLED_BACK").contains("rolled back to revision");
    assertThat(
            Shell.docker(
                    "service",
                    "inspect",
                    STACK + "_web",
                    "--format",
                    "{{.Spec.TaskTemplate.ContainerSpec.Image}}")
                .out())
        .startsWith("stackwright/workload:test");

    Result rollback = cli(state, "rollback", "-p", STACK, "--timeout", "180s");
    assertThat(rollback.exitCode()).as(rollback.all()).isZero();
    assertThat(rollback.out()).contains("ROLLED BACK to the last successful deployment");

    Result promote = cli(state, "promote", "-p", STACK);
    assertThat(promote.exitCode()).isEqualTo(StackwrightCli.FAILED);
    assertThat(promote.err()).contains("no rollout of stack " + STACK + " is in progress");
  }

  /** The CLI with {@code VERSION} (and {@code FAIL_HEALTH}) set in its environment. */
  private static Result cliWith(Path stateDir, String version, String failHealth, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                "STACKWRIGHT_STATE_DIR=" + stateDir,
                "VERSION=" + version,
                "FAIL_HEALTH=" + failHealth));
    command.addAll(Shell.cliCommand(List.of(), args));
    return Shell.run(command);
  }

  @Test
  void rollbackDeploysTheRevisionAsItRanNotItsFileInterpolatedAgain(@TempDir Path dir)
      throws IOException {
    Path state = dir.resolve("state");
    String project = STACK + "-v";
    Path file = dir.resolve("versioned.yml");
    Files.writeString(
        file,
        """
        services:
          web:
            image: stackwright/workload:test
            environment:
              VERSION: "${VERSION}"
              FAIL_HEALTH: "${FAIL_HEALTH}"
            healthcheck:
              test: ["CMD", "/server", "--probe"]
              interval: 500ms
              timeout: 2s
              retries: 2
        """);
    String[] deploy = {
      "deploy", "--platform", "compose", "-f", file.toString(), "-p", project, "--timeout", "120s"
    };
    try {
      Result good = cliWith(state, "v10", "", deploy);
      assertThat(good.exitCode()).as(good.all()).isZero();
      Result bad = cliWith(state, "v11", "1", deploy);
      assertThat(bad.exitCode()).as(bad.all()).isEqualTo(StackwrightCli.FAILED);

      // today's environment says v77: the revision that ran says v10, and v10 is what comes back
      Result rollback =
          cliWith(
              state,
              "v77",
              "1",
              "rollback",
              "--platform",
              "compose",
              "-p",
              project,
              "--timeout",
              "120s");
      assertThat(rollback.exitCode()).as(rollback.all()).isZero();
      assertThat(rollback.out()).contains("ROLLED BACK");
      String env =
          Shell.docker("inspect", "--format", "{{json .Config.Env}}", project + "-web-1").out();
      assertThat(env).contains("VERSION=v10").doesNotContain("v77").doesNotContain("v11");
    } finally {
      Shell.cli("remove", "--platform", "compose", "-p", project);
    }
  }

  @Test
  void aCanaryWaitingForAnOperatorIsPromotedFromAnotherProcess(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state");
    Path v1 = compose(dir, "v1.yml", "stackwright/workload:test", "");
    Path v2 = dir.resolve("v2.yml");
    Files.writeString(
        v2,
        Files.readString(compose(dir, "v2base.yml", "stackwright/workload:v2", ""))
            + """
                x-stackwright:
                  rollout:
                    strategy: canary
                    canary:
                      auto_promote: false
                      steps:
                        - {replicas: 1, pause: 1s}
            """);
    assertThat(cli(state, "deploy", "-f", v1.toString(), "-p", STACK).exitCode()).isZero();

    // the promote below runs through Shell, in the store of this JVM's CLI processes
    List<String> deploy =
        new ArrayList<>(
            List.of(
                "env",
                "STACKWRIGHT_STATE_DIR=" + state,
                "STACKWRIGHT_STORE_DIR=" + Shell.cliStore()));
    deploy.addAll(
        Shell.cliCommand(
            List.of(), "deploy", "-f", v2.toString(), "-p", STACK, "--timeout", "180s"));
    Process running =
        new ProcessBuilder(deploy)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("deploy.log").toFile())
            .start();
    Awaitility.await("the deploy waiting for a promote")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.readString(dir.resolve("deploy.log")).contains("waiting for promote"));
    Result promote = cli(state, "promote", "-p", STACK);
    assertThat(promote.exitCode()).as(promote.all()).isZero();
    assertThat(running.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(dir.resolve("deploy.log"));
    assertThat(running.exitValue()).as(log).isZero();
    assertThat(log).contains("CANARY_PROMOTED").contains("SUCCEEDED");
    String promoteJob = promote.out().replaceAll("(?s).*\\(job (\\d+)\\).*", "$1");
    assertThat(promoteJob).as(promote.out()).matches("\\d+");
    Result recorded = cli(state, "jobs", "show", promoteJob);
    assertThat(recorded.exitCode()).as(recorded.all()).isZero();
    assertThat(recorded.out()).contains("promote").contains("succeeded");
    assertThat(
            Shell.docker(
                    "service",
                    "ls",
                    "--filter",
                    "name=" + STACK,
                    "--format",
                    "{{.Name}} {{.Image}}")
                .out())
        .contains(STACK + "_web stackwright/workload:v2")
        .doesNotContain("web-next");
  }

  @Test
  void anUnknownStrategyIsRejectedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
    Path good = compose(dir, "good.yml", "stackwright/workload:test", "");

    Result result =
        cli(
            dir.resolve("state"),
            "deploy",
            "-f",
            good.toString(),
            "-p",
            STACK,
            "--strategy",
            "big-bang");

    assertThat(result.exitCode()).isEqualTo(StackwrightCli.INVALID);
    assertThat(result.err()).contains("unknown rollout strategy 'big-bang'");
    assertThat(Shell.docker("service", "ls", "--filter", "name=" + STACK, "-q").out()).isBlank();
  }
}
