package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobClaim;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobProgress;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.LeaseLostException;
import io.stackwright.api.store.NewJob;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two host JVMs claiming from one real PostgreSQL: this one and a {@link ClaimWorker} started with
 * the test classpath.
 */
@DisplayName("two processes sharing one PostgreSQL store")
class TwoProcessClaimIT {
  private PostgresTestDatabase database;
  private String schema;
  private Store store;
  private Process worker;
  private final BlockingQueue<String> workerLines = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() {
    database = PostgresTestDatabase.require();
    schema = database.createSchema();
    store =
        Stores.postgres(
            database.urlFor(schema), database.user, database.password, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    if (worker != null && worker.isAlive()) {
      worker.destroyForcibly();
    }
    if (store != null) {
      store.close();
    }
    if (schema != null) {
      database.dropSchema(schema);
    }
  }

  @Test
  @DisplayName("jobs claimed by two JVMs at once: every job claimed exactly once, by one of them")
  void everyJobClaimedOnce() throws Exception {
    int stacks = 20;
    int perStack = 15;
    for (int i = 0; i < perStack; i++) {
      for (int s = 0; s < stacks; s++) {
        store.jobs().submit(NewJob.builder("st-two-" + s, JobKind.DEPLOY).build());
      }
    }
    int total = stacks * perStack;
    worker = startWorker("drain", "jvm-b", "3");
    assertThat(workerLines.poll(60, TimeUnit.SECONDS)).isEqualTo("READY");
    try (Writer go = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8)) {
      go.write("GO\n");
    }
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(ours, true, StandardCharsets.UTF_8)) {
      ClaimWorker.drain(store, "jvm-a", 3, out);
    }
    assertThat(worker.waitFor(2, TimeUnit.MINUTES)).as("the worker exits").isTrue();
    assertThat(worker.exitValue()).isZero();

    List<Long> claimedByA = claims(ours.toString(StandardCharsets.UTF_8).lines().toList());
    List<String> theirs = new ArrayList<>();
    workerLines.drainTo(theirs);
    assertThat(theirs).contains("DONE");
    List<Long> claimedByB = claims(theirs);

    assertThat(claimedByA).as("claims in this JVM").isNotEmpty();
    assertThat(claimedByB).as("claims in the other JVM").isNotEmpty();
    List<Long> all = new ArrayList<>(claimedByA);
    all.addAll(claimedByB);
    assertThat(all).hasSize(total).doesNotHaveDuplicates();

    List<Job> jobs = store.jobs().list(JobQuery.all(total + 10));
    assertThat(jobs).hasSize(total);
    assertThat(jobs)
        .allSatisfy(
            job -> {
              assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
              assertThat(job.attempts()).isEqualTo(1);
              assertThat(job.result()).isEqualTo(claimedByA.contains(job.id()) ? "jvm-a" : "jvm-b");
            });
    // Per stack, jobs ran one after another in submission order.
    Map<String, List<Job>> byStack = new HashMap<>();
    jobs.forEach(j -> byStack.computeIfAbsent(j.stack(), s -> new ArrayList<>()).add(j));
    for (List<Job> ofStack : byStack.values()) {
      ofStack.sort((x, y) -> Long.compare(x.id(), y.id()));
      for (int i = 1; i < ofStack.size(); i++) {
        Job before = ofStack.get(i - 1);
        Job after = ofStack.get(i);
        assertThat(after.startedAt()).isAfterOrEqualTo(before.finishedAt());
        assertThat(after.fencingToken()).isGreaterThan(before.fencingToken());
      }
    }
  }

  @Test
  @DisplayName(
      "kill -9 of a holder: the other JVM takes over after the lease expires, the dead one's token is refused")
  void takeoverAfterKill() throws Exception {
    Job job =
        store
            .jobs()
            .submit(NewJob.builder("st-kill", JobKind.DEPLOY).desiredSpec("{\"v\":2}").build())
            .job();
    worker = startWorker("hold", "jvm-doomed");
    String claimed = workerLines.poll(60, TimeUnit.SECONDS);
    assertThat(claimed).startsWith("CLAIM " + job.id() + " ");
    long deadToken = Long.parseLong(claimed.split(" ")[2]);
    // It renews: while it lives, nobody else gets the job, even past one lease time.
    assertThat(workerLines.poll(30, TimeUnit.SECONDS)).startsWith("RENEWED");
    Instant renewedPastFirstLease = Instant.now().plus(ClaimWorker.HOLD_TTL);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Instant.now().isAfter(renewedPastFirstLease));
    assertThat(store.jobs().claimNext("jvm-a", Duration.ofSeconds(30))).isEmpty();
    assertThat(store.jobs().get(job.id()).orElseThrow().claimedBy()).isEqualTo("jvm-doomed");

    worker.destroyForcibly(); // SIGKILL: no shutdown hook, no release
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Instant killedAt = Instant.now();

    JobClaim takeover =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> store.jobs().claimNext("jvm-a", Duration.ofSeconds(30)).orElse(null),
                c -> c != null);
    assertThat(Duration.between(killedAt, Instant.now()))
        .as("taken over within about one lease time")
        .isLessThanOrEqualTo(ClaimWorker.HOLD_TTL.plusSeconds(5));
    assertThat(takeover.jobId()).isEqualTo(job.id());
    assertThat(takeover.fencingToken()).isGreaterThan(deadToken);
    assertThat(takeover.job().attempts()).isEqualTo(2);
    assertThat(takeover.job().progress().message()).isEqualTo("holding");

    // The dead holder, had it come back, holds a stale token: its writes are refused.
    Job asTheDeadSawIt = store.jobs().get(job.id()).orElseThrow();
    JobClaim stale =
        new JobClaim(asTheDeadSawIt, "jvm-doomed", deadToken, Instant.now().plusSeconds(60));
    assertThatThrownBy(() -> store.jobs().progress(stale, new JobProgress(3, 3, "zombie")))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("taken over with token " + takeover.fencingToken());
    assertThatThrownBy(() -> store.jobs().finish(stale, JobState.SUCCEEDED, "zombie", null))
        .isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> store.documents().put("rollout", "st-kill", "zombie", stale))
        .isInstanceOf(LeaseLostException.class);

    Job done = store.jobs().finish(takeover, JobState.SUCCEEDED, "finished by jvm-a", null);
    assertThat(done.claimedBy()).isEqualTo("jvm-a");
    assertThat(done.result()).isEqualTo("finished by jvm-a");
    assertThat(done.progress().message()).isEqualTo("holding");
  }

  @Test
  @DisplayName(
      "deploys of one stack submitted at once from two JVMs: revisions follow job ids, the newest supersedes the rest")
  void concurrentDeploysSerialised() throws Exception {
    int each = 10;
    worker = startWorker("submit", "jvm-b", String.valueOf(each));
    assertThat(workerLines.poll(60, TimeUnit.SECONDS)).isEqualTo("READY");
    try (Writer go = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8)) {
      go.write("GO\n");
    }
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(ours, true, StandardCharsets.UTF_8)) {
      ClaimWorker.submitDeploys(store, "jvm-a", each, out);
    }
    assertThat(worker.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(worker.exitValue()).isZero();

    List<Job> jobs =
        new ArrayList<>(store.jobs().list(JobQuery.ofStack(ClaimWorker.SERIAL_STACK, 100)));
    jobs.sort((x, y) -> Long.compare(x.id(), y.id()));
    assertThat(jobs).hasSize(2 * each);
    // One order for ids and revisions, whichever JVM submitted: 1, 2, ..., 20.
    assertThat(jobs)
        .extracting(Job::revision)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2L * each).boxed().toList());
    Job newest = jobs.get(jobs.size() - 1);
    DesiredState desired = store.desiredStates().current(ClaimWorker.SERIAL_STACK).orElseThrow();
    assertThat(desired.revision()).isEqualTo(newest.revision());

    List<Long> superseded =
        store
            .jobs()
            .cancelQueuedOlderThan(
                ClaimWorker.SERIAL_STACK, JobKind.DEPLOY, newest.id(), "superseded");
    assertThat(superseded).hasSize(2 * each - 1);
    JobClaim claim = store.jobs().claimNext("jvm-a", Duration.ofSeconds(30)).orElseThrow();
    assertThat(claim.jobId()).isEqualTo(newest.id());
    assertThat(store.desiredStates().revision(ClaimWorker.SERIAL_STACK, claim.job().revision()))
        .contains(desired);
  }

  private static List<Long> claims(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("CLAIM "))
        .map(l -> Long.parseLong(l.split(" ")[1]))
        .toList();
  }

  private Process startWorker(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-XX:TieredStopAtLevel=1"); // a short-lived child: C1 and the serial collector
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClaimWorker.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("ST_STORE_URL", database.urlFor(schema));
    builder.environment().put("STACKWRIGHT_TEST_POSTGRES_USER", database.user);
    builder.environment().put("STACKWRIGHT_TEST_POSTGRES_PASSWORD", database.password);
    Process process = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  workerLines.add(line);
                }
              } catch (IOException e) {
                workerLines.add("READ FAILED " + e.getMessage());
              }
            },
            "st-worker-stdout");
    reader.setDaemon(true);
    reader.start();
    return process;
  }
}
