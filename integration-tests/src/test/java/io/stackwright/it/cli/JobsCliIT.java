package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stackwright jobs list|show|cancel} and {@code deploy --no-wait}, as separate CLI processes
 * sharing one store, against the real single engine.
 */
class JobsCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STACK = "clijobs";

  @TempDir Path dir;

  @AfterEach
  void remove() {
    Shell.cli("remove", "--platform", "compose", "-p", STACK);
  }

  @Test
  void aDeployWithoutWaitingPrintsItsJobWhichListAndShowDescribe() throws IOException {
    Path compose = compose("v1", false);
    Result deployed =
        Shell.cli(
            "deploy", "--platform", "compose", "-f", compose.toString(), "-p", STACK, "--no-wait");
    assertThat(deployed.exitCode()).as(deployed.all()).isZero();
    String jobLine =
        deployed.out().lines().filter(l -> l.startsWith("job ")).findFirst().orElseThrow();
    long id = Long.parseLong(jobLine.substring(4).trim());

    Result list = Shell.cli("jobs", "list", "-p", STACK, "--json");
    assertThat(list.exitCode()).as(list.all()).isZero();
    JsonNode job = job(JSON.readTree(list.out()), id);
    assertThat(job.path("kind").asText()).isEqualTo("deploy");
    assertThat(job.path("stack").asText()).isEqualTo(STACK);
    assertThat(job.path("state").asText()).isEqualTo("succeeded");
    assertThat(job.path("attempts").asInt()).isEqualTo(1);

    Result show = Shell.cli("jobs", "show", Long.toString(id));
    assertThat(show.exitCode()).as(show.all()).isZero();
    assertThat(show.out()).contains(Long.toString(id), STACK, "deploy", "succeeded");

    Result missing = Shell.cli("jobs", "show", "987654321");
    assertThat(missing.exitCode()).as(missing.all()).isEqualTo(1);
    assertThat(missing.all()).contains("no job 987654321");
  }

  @Test
  void aQueuedJobCancelledFromAnotherProcessNeverRunsAndARunningOneStops() throws Exception {
    // v1 never gets healthy within the deploy: its job runs for a long while.
    Process slow =
        Shell.startCli(
            "deploy",
            "--platform",
            "compose",
            "-f",
            compose("v1", true).toString(),
            "-p",
            STACK,
            "--timeout",
            "120s",
            "--progress",
            "plain");
    long running = awaitJob("running");
    Process queued =
        Shell.startCli(
            "deploy",
            "--platform",
            "compose",
            "-f",
            compose("v2", false).toString(),
            "-p",
            STACK,
            "--progress",
            "plain");
    long waiting = awaitJob("queued");
    assertThat(waiting).isGreaterThan(running);

    Result cancelQueued = Shell.cli("jobs", "cancel", Long.toString(waiting));
    assertThat(cancelQueued.exitCode()).as(cancelQueued.all()).isZero();
    assertThat(cancelQueued.out()).contains("cancelled");
    assertThat(queued.waitFor(60, TimeUnit.SECONDS)).as("the queued deploy's CLI ended").isTrue();
    String queuedOutput =
        new String(queued.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(queued.exitValue()).as(queuedOutput).isEqualTo(1);

    Result cancelRunning = Shell.cli("jobs", "cancel", Long.toString(running));
    assertThat(cancelRunning.exitCode()).as(cancelRunning.all()).isZero();
    assertThat(cancelRunning.out()).contains("asked to stop");
    assertThat(slow.waitFor(60, TimeUnit.SECONDS)).as("the running deploy's CLI ended").isTrue();
    String slowOutput = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(slow.exitValue()).as(slowOutput).isEqualTo(1);

    JsonNode jobs = JSON.readTree(Shell.cli("jobs", "list", "-p", STACK, "--json").out());
    assertThat(job(jobs, waiting).path("state").asText()).isEqualTo("cancelled");
    assertThat(job(jobs, waiting).path("attempts").asInt()).as("it never ran").isZero();
    assertThat(job(jobs, running).path("state").asText()).isIn("cancelled", "failed");
    for (String container :
        Shell.docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + STACK)
            .out()
            .lines()
            .filter(l -> !l.isBlank())
            .toList()) {
      assertThat(Shell.docker("inspect", "--format", "{{json .Config.Env}}", container).out())
          .as("the cancelled v2 never ran")
          .doesNotContain("VERSION=v2");
    }
  }

  /** The id of the stack's newest job in {@code state}, once there is one. */
  private long awaitJob(String state) {
    return await("a " + state + " job of " + STACK)
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Result list = Shell.cli("jobs", "list", "-p", STACK, "--json");
              if (list.exitCode() != 0) {
                return -1L;
              }
              return StreamSupport.stream(JSON.readTree(list.out()).spliterator(), false)
                  .filter(j -> j.path("state").asText().equals(state))
                  .mapToLong(j -> j.path("id").asLong())
                  .max()
                  .orElse(-1L);
            },
            id -> id > 0);
  }

  private static JsonNode job(JsonNode jobs, long id) {
    return StreamSupport.stream(jobs.spliterator(), false)
        .filter(j -> j.path("id").asLong() == id)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no job " + id + " in " + jobs));
  }

  private Path compose(String version, boolean neverHealthy) throws IOException {
    Path file = dir.resolve(version + ".yml");
    Files.writeString(
        file,
        """
        services:
          web:
            image: stackwright/workload:test
            environment:
              VERSION: "%s"
              FAIL_HEALTH: "%s"
            healthcheck:
              test: ["CMD", "/server", "--probe"]
              interval: 1s
              timeout: 1s
              retries: 100
        """
            .formatted(version, neverHealthy ? "1" : ""));
    return file;
  }
}
