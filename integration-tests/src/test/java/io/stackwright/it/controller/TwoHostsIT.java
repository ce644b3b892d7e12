package io.stackwright.it.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.FileContent;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import io.stackwright.testing.SecretGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two host JVMs (this one and {@link HostProcess}) share one PostgreSQL store and one engine: their
 * deploys of one stack end serialised with the last accepted one running, and a deploy whose JVM is
 * killed with SIGKILL mid-job is finished by the other once its lease lapsed. Skipped without a
 * PostgreSQL unless {@code CI=true} (then it fails): start one with {@code
 * scripts/dev-postgres.sh}.
 */
class TwoHostsIT {
  private static final String IMAGE = "stackwright/workload:test";
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofMinutes(4);
  private static final String URL =
      setting("stackwright.test.postgres.url", "jdbc:postgresql://127.0.0.1:55432/stackwright");
  private static final String USER = setting("stackwright.test.postgres.user", "stackwright");
  private static final String PASSWORD =
      setting("stackwright.test.postgres.password", "stackwright");

  private final List<String> stacks = new ArrayList<>();
  private final List<Process> children = new CopyOnWriteArrayList<>();
  private String schema;
  private String url;
  private Orchestrator parent;

  private static String setting(String property, String fallback) {
    String env = property.toUpperCase(Locale.ROOT).replace('.', '_');
    return System.getProperty(property, System.getenv().getOrDefault(env, fallback));
  }

  /** The stack both hosts deploy: one service whose health waits {@code startupDelayMs}. */
  static StackSpec spec(String stack, String version, int startupDelayMs, Path secretFile) {
    ServiceSpec.Builder web =
        ServiceSpec.builder("web", IMAGE)
            .env("VERSION", version)
            .env("STARTUP_DELAY_MS", String.valueOf(startupDelayMs))
            .healthcheck(
                HealthcheckSpec.cmd("/server", "--probe")
                    .withTimings(
                        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 60));
    StackSpec.Builder builder = StackSpec.builder(stack);
    if (secretFile != null) {
      web.secret("token");
      try {
        builder.secret(
            SecretSpec.of(
                "token",
                FileContent.secret(Files.readAllBytes(secretFile))
                    .withOrigin(FileContent.Origin.file(secretFile))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return builder.service(web.build()).build();
  }

  @BeforeEach
  void schema() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
      schema = "swj_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort(
          "no PostgreSQL at " + URL + " (" + e.getMessage() + "); run scripts/dev-postgres.sh");
    }
    url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    parent =
        Orchestrator.builder()
            .platform("compose")
            .postgres(url, USER, PASSWORD)
            .jobLease(LEASE)
            .jobRetries(8, Duration.ofMillis(500), Duration.ofSeconds(3))
            .build();
  }

  @AfterEach
  void cleanUp() throws SQLException {
    for (Process child : children) {
      child.destroyForcibly();
    }
    if (parent != null) {
      for (String stack : stacks) {
        try {
          parent.stack(stack).remove(RemoveOptions.withVolumes()).await(Duration.ofMinutes(1));
        } catch (RuntimeException e) {
          // best effort; the docker clean-up below takes what is left
        }
      }
      parent.close();
    }
    for (String stack : stacks) {
      for (String container : containers(stack)) {
        Shell.docker("rm", "-f", container);
      }
      Shell.docker("network", "rm", stack + "_default");
    }
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  /** The other host: a JVM on this test's classpath running {@link HostProcess}. */
  private final class Child implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final PrintStream in;

    Child() throws IOException {
      List<String> command =
          Shell.java("-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(HostProcess.class.getName());
      command.add(url);
      command.add(USER);
      command.add(PASSWORD);
      command.add(String.valueOf(LEASE.toMillis()));
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      children.add(process);
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      String ready = out.readLine();
      assertThat(ready).as("the other host starts").isEqualTo("ready");
    }

    /** Submits a deploy there; its job id. */
    long deploy(String stack, String version, int delayMs) throws IOException {
      in.println("deploy " + stack + " " + version + " " + delayMs);
      String answer = out.readLine();
      assertThat(answer).as("the other host's answer").startsWith("job ");
      return Long.parseLong(answer.split(" ")[1]);
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        in.println("quit");
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  private static List<String> containers(String stack) {
    return Shell.docker(
            "ps",
            "-a",
            "--filter",
            "label=com.docker.compose.project=" + stack,
            "--format",
            "{{.Names}}")
        .out()
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  private static String env(String container, String name) {
    return Shell.docker("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", container)
        .out()
        .lines()
        .filter(l -> l.startsWith(name + "="))
        .map(l -> l.substring(name.length() + 1))
        .findFirst()
        .orElse("");
  }

  private static String state(String container) {
    return Shell.docker("inspect", "-f", "{{.State.Status}}", container).out().trim();
  }

  private Job job(long id) {
    return parent.store().jobs().get(id).orElseThrow();
  }

  @Test
  void twentyDeploysFromTwoHostsEndSerialisedWithTheLastOneRunning() throws Exception {
    String stack = "swj-twenty";
    stacks.add(stack);
    Map<Long, String> versionByJob = new ConcurrentHashMap<>();
    try (Child child = new Child()) {
      List<Thread> submitters = new ArrayList<>();
      for (int v = 1; v <= 20; v += 2) {
        String version = String.valueOf(v);
        submitters.add(
            new Thread(
                () -> {
                  Deployment d =
                      parent
                          .stack(stack)
                          .deploy(
                              spec(stack, version, 0, null),
                              DeployOptions.waitingUpTo(Duration.ofMinutes(2)));
                  versionByJob.put(Long.parseLong(d.jobId().orElseThrow()), version);
                }));
      }
      submitters.forEach(Thread::start);
      for (int v = 2; v <= 20; v += 2) {
        versionByJob.put(child.deploy(stack, String.valueOf(v), 0), String.valueOf(v));
      }
      for (Thread t : submitters) {
        t.join();
      }
      assertThat(versionByJob).hasSize(20);

      await("all 20 jobs finish")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> versionByJob.keySet().stream().allMatch(id -> job(id).finished()));

      List<Job> jobs = parent.store().jobs().list(JobQuery.ofStack(stack, 50));
      assertThat(jobs).hasSize(20);
      long last = versionByJob.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(job(last).state()).as(job(last).error()).isEqualTo(JobState.SUCCEEDED);
      // no job was failed by the other host as an orphan: each ran where it was submitted or was
      // superseded before it ran
      assertThat(jobs)
          .allSatisfy(
              j ->
                  assertThat(j.state())
                      .as("job " + j.id() + ": " + j.error())
                      .isIn(JobState.SUCCEEDED, JobState.CANCELLED));
      assertThat(jobs)
          .filteredOn(j -> j.state() == JobState.CANCELLED)
          .allSatisfy(j -> assertThat(j.error()).startsWith("superseded by deploy"));
      assertThat(jobs)
          .filteredOn(j -> j.state() == JobState.SUCCEEDED)
          .allSatisfy(j -> assertThat(j.attempts()).as("job " + j.id()).isEqualTo(1));
      // one at a time, across both hosts
      List<Job> ran =
          jobs.stream()
              .filter(j -> j.startedAt() != null)
              .sorted(java.util.Comparator.comparing(Job::startedAt))
              .toList();
      for (int i = 1; i < ran.size(); i++) {
        assertThat(ran.get(i).startedAt()).isAfterOrEqualTo(ran.get(i - 1).finishedAt());
      }
      assertThat(ran).extracting(Job::claimedBy).hasSizeGreaterThanOrEqualTo(1);

      List<String> running = containers(stack);
      assertThat(running).as("no duplicate, no orphan container").hasSize(1);
      assertThat(env(running.get(0), "VERSION")).isEqualTo(versionByJob.get(last));
      assertThat(state(running.get(0))).isEqualTo("running");
    }
  }

  @Test
  void aDeployWhoseHostIsKilledIsFinishedByTheOtherAfterTheLease(@TempDir Path dir)
      throws Exception {
    String stack = "swj-kill";
    stacks.add(stack);
    Path secret = dir.resolve("token");
    Files.writeString(secret, SecretGuard.secret("two-hosts-token"));
    Child child = new Child();
    long id = deployWithSecret(child, stack, "7", secret);

    await("the other host runs the deploy")
        .atMost(Duration.ofMinutes(1))
        .until(() -> job(id).state() == JobState.RUNNING && !containers(stack).isEmpty());
    String killedOwner = job(id).claimedBy();
    child.process.destroyForcibly(); // SIGKILL: no shutdown hook, no release
    assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    await("this host takes the job over once the lease lapsed and finishes it")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> job(id).finished());
    Job done = job(id);
    assertThat(done.state()).as(done.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.claimedBy()).isNotEqualTo(killedOwner);
    assertThat(done.attempts()).isEqualTo(2);
    List<String> running = containers(stack);
    assertThat(running).as("no duplicate, no orphan container").hasSize(1);
    assertThat(env(running.get(0), "VERSION")).isEqualTo("7");
    assertThat(state(running.get(0))).isEqualTo("running");
    // the store never held the secret
    String stored = parent.store().desiredStates().current(stack).orElseThrow().spec();
    assertThat(stored).doesNotContain(Files.readString(secret)).contains(secret.toString());
  }

  private static long deployWithSecret(Child child, String stack, String version, Path secret)
      throws IOException {
    child.in.println(
        "deploy " + stack + " " + version + " 15000 " + secret.toAbsolutePath().toString());
    String answer = child.out.readLine();
    assertThat(answer).as("the other host's answer").startsWith("job ");
    return Long.parseLong(answer.split(" ")[1]);
  }
}
