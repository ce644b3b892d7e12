package io.stackwright.core.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PortSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.spi.Store;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.NewJob;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.controller.internal.DesiredDocument;
import io.stackwright.core.controller.internal.ResumableSpecs;
import io.stackwright.store.Stores;
import io.stackwright.testing.SecretGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploy jobs another process can resume: the store holds the spec with secret contents replaced by
 * where to read them again and a keyed hash, never the values.
 */
class ResumableDeployTest {
  private static final String SECRET = "s3cr3t-pa55word-do-not-leak";

  static {
    SecretGuard.register("resumable-deploy-secret", SECRET);
  }

  @TempDir Path dir;

  private final Store store = Stores.inMemory();
  private final FakeEngine engine = new FakeEngine();

  @AfterEach
  void close() {
    store.close();
  }

  private StackSpec shop(Path secretFile, String version) throws Exception {
    Files.writeString(secretFile, SECRET);
    FileContent secret =
        FileContent.secret(Files.readAllBytes(secretFile))
            .withOrigin(FileContent.Origin.file(secretFile));
    return StackSpec.builder("shop")
        .service(
            ServiceSpec.builder("web", "app:" + version)
                .env("VERSION", version)
                .port(PortSpec.of(8080))
                .secret("db_password")
                .config("web_conf", "/etc/web.conf")
                .healthcheck(HealthcheckSpec.cmd("/bin/true"))
                // probes by tier: a map keyed by an enum, which must come back keyed by it
                .health(
                    io.stackwright.api.health.HealthPolicy.builder()
                        .liveness(io.stackwright.api.health.ProbeSpec.http(8080, "/health"))
                        .readiness(io.stackwright.api.health.ProbeSpec.tcp(8080))
                        .build())
                .updatePolicy(UpdatePolicy.defaults())
                .scaling(ScalingPolicy.builder(1, 3).cpu(70).build())
                .rollout(RolloutPolicy.rolling(Duration.ZERO))
                .stopGracePeriod(Duration.ofSeconds(3))
                .extension("x-team", Map.of("name", "shop", "size", 3, "tags", List.of("a", "b")))
                .build())
        .secret(SecretSpec.of("db_password", secret))
        .config(ConfigSpec.of("web_conf", FileContent.plain("listen 8080\n")))
        .build();
  }

  @Test
  @DisplayName(
      "the stored spec rebuilds to the same spec, and holds neither a secret nor its bare hash")
  void roundTrip() throws Exception {
    ResumableSpecs specs = ResumableSpecs.open(store, "test");
    StackSpec spec = shop(dir.resolve("db_password"), "1");
    String stored = specs.encode(spec);

    String bareHash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(SECRET.getBytes(StandardCharsets.UTF_8)));
    assertThat(stored).doesNotContain(SECRET).doesNotContain(bareHash);
    assertThat(stored).contains(dir.resolve("db_password").toString());
    assertThat(specs.decode(stored)).isEqualTo(spec);
    assertThat(specs.hash(specs.decode(stored))).isEqualTo(specs.hash(spec));
    assertThat(ResumableSpecs.open(store, "other").hash(spec))
        .as("one key per store")
        .isEqualTo(specs.hash(spec));
  }

  @Test
  @DisplayName(
      "a secret whose file is gone or changed, or that was given inline, is refused by name,"
          + " never by value")
  void refusals() throws Exception {
    ResumableSpecs specs = ResumableSpecs.open(store, "test");
    Path file = dir.resolve("db_password");
    String stored = specs.encode(shop(file, "1"));

    Files.writeString(file, "another-value");
    assertThatThrownBy(() -> specs.decode(stored))
        .isInstanceOf(OrchestratorException.class)
        .hasMessage(
            "secret db_password: file "
                + file
                + " differs from the content the deploy was submitted with");

    Files.delete(file);
    assertThatThrownBy(() -> specs.decode(stored))
        .hasMessage("secret db_password: file " + file + " is gone");

    StackSpec inline =
        StackSpec.builder("blog")
            .service(ServiceSpec.builder("web", "app:1").secret("token").build())
            .secret(SecretSpec.of("token", FileContent.secret(SECRET)))
            .build();
    String storedInline = specs.encode(inline);
    assertThat(storedInline).doesNotContain(SECRET);
    assertThatThrownBy(() -> specs.decode(storedInline))
        .hasMessage(
            "secret token was given inline, not read from a file or an environment variable, so"
                + " no other process can read it again")
        .message()
        .doesNotContain(SECRET);
  }

  private Job awaitFinished(Job job) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.jobs().get(job.id()).orElseThrow().finished());
    return store.jobs().get(job.id()).orElseThrow();
  }

  /** What a process that died after submitting left in the store: a queued deploy, no heartbeat. */
  private Job submittedByDeadProcess(StackSpec spec) {
    return submittedByDeadProcess(spec, null);
  }

  /** As above, with the options line a submitter of this version writes, when {@code options}. */
  private Job submittedByDeadProcess(StackSpec spec, String options) {
    ResumableSpecs specs = ResumableSpecs.open(store, "dead");
    String hash = specs.hash(spec);
    return store
        .jobs()
        .submit(
            NewJob.builder("shop", JobKind.DEPLOY)
                .submittedBy("dead-process")
                .payload(options == null ? hash : hash + "\noptions " + options)
                .desiredSpec(
                    DesiredDocument.of(spec, Optional.empty(), hash, specs.encode(spec)).toJson())
                .build())
        .job();
  }

  @Test
  @DisplayName("another process resumes a deploy whose submitter died, reading its secret again")
  void resumesADeadSubmittersDeploy() throws Exception {
    Job job = submittedByDeadProcess(shop(dir.resolve("db_password"), "7"));
    try (Orchestrator survivor = Orchestrator.builder().platform(engine).store(store).build()) {
      Job done = awaitFinished(job);
      assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.claimedBy()).isNotEqualTo("dead-process");
      assertThat(engine.image("shop")).isEqualTo("app:7");
      assertThat(survivor.stack("shop").desired().orElseThrow().revision()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "a resumed deploy runs with the options it was submitted with: a failed first deploy told to"
          + " keep what it created keeps it")
  void resumesWithTheSubmittedOptions() throws Exception {
    engine.refusedImages.add("app:9");
    Job job =
        submittedByDeadProcess(
            shop(dir.resolve("db_password"), "9"), "wait=true timeout=PT1M keep-failed-first=true");
    try (Orchestrator survivor = Orchestrator.builder().platform(engine).store(store).build()) {
      Job done = awaitFinished(job);
      assertThat(done.state()).isEqualTo(JobState.FAILED);
      assertThat(done.error()).contains("invalid reference format").doesNotContain("removed");
      assertThat(engine.removed).as("kept, as the submitter asked").isEmpty();
      assertThat(engine.networks).contains("shop");
    }
  }

  @Test
  @DisplayName(
      "a resumed deploy submitted without options (an older submitter) removes a failed first"
          + " deploy, as the defaults say")
  void resumesAnOlderJobWithTheDefaults() throws Exception {
    engine.refusedImages.add("app:9");
    Job job = submittedByDeadProcess(shop(dir.resolve("db_password"), "9"));
    try (Orchestrator survivor = Orchestrator.builder().platform(engine).store(store).build()) {
      assertThat(awaitFinished(job).error())
          .contains("removed what the failed first deploy created");
      assertThat(engine.removed).containsExactly("shop");
    }
  }

  @Test
  @DisplayName("a deploy whose secret changed since is failed, naming the secret, not its value")
  void refusesAChangedSecret() throws Exception {
    Path file = dir.resolve("db_password");
    Job job = submittedByDeadProcess(shop(file, "7"));
    Files.writeString(file, "rotated-" + SECRET);
    try (Orchestrator survivor = Orchestrator.builder().platform(engine).store(store).build()) {
      Job done = awaitFinished(job);
      assertThat(done.state()).isEqualTo(JobState.FAILED);
      assertThat(done.error())
          .isEqualTo(
              "its submitter dead-process is gone (its heartbeat lapsed) and this process cannot"
                  + " rebuild the deploy job: secret db_password: file "
                  + file
                  + " differs from the content the deploy was submitted with; submit it again")
          .doesNotContain(SECRET);
      assertThat(engine.image("shop")).isNull();
    }
  }
}
