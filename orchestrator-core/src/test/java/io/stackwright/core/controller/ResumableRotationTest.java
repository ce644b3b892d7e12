package io.stackwright.core.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.FileContent;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotate job whose submitter died is resumed by another process from the store, which holds the
 * new content's file path and keyed hash, never the content.
 */
class ResumableRotationTest {
  private static final String NEW_VALUE = "rotated-pa55word-do-not-leak";

  static {
    SecretGuard.register("resumable-rotation-value", NEW_VALUE);
  }

  @TempDir Path dir;

  private final Store store = Stores.inMemory();
  private final FakeEngine engine = new FakeEngine();

  @AfterEach
  void close() {
    store.close();
  }

  private StackSpec rotated(Path file) throws Exception {
    Files.writeString(file, NEW_VALUE);
    FileContent secret =
        FileContent.secret(Files.readAllBytes(file)).withOrigin(FileContent.Origin.file(file));
    return StackSpec.builder("shop")
        .service(ServiceSpec.builder("web", "app:1").secret("db_password").build())
        .secret(SecretSpec.of("db_password", secret))
        .build();
  }

  private Job submittedByDeadProcess(StackSpec spec) {
    ResumableSpecs specs = ResumableSpecs.open(store, "dead");
    String hash = specs.hash(spec);
    String stored = specs.encode(spec);
    assertThat(stored).doesNotContain(NEW_VALUE);
    return store
        .jobs()
        .submit(
            NewJob.builder("shop", JobKind.ROTATE)
                .submittedBy("dead-process")
                .payload(hash + " secret db_password")
                .desiredSpec(DesiredDocument.of(spec, Optional.empty(), hash, stored).toJson())
                .build())
        .job();
  }

  @Test
  void anotherProcessResumesARotationReadingTheNewContentAgain() throws Exception {
    Job job = submittedByDeadProcess(rotated(dir.resolve("db_password")));
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    try (Orchestrator survivor =
        Orchestrator.builder().platform(engine).store(store).listener(events::add).build()) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> store.jobs().get(job.id()).orElseThrow().finished());
      Job done = store.jobs().get(job.id()).orElseThrow();
      assertThat(done.state()).as(String.valueOf(done.error())).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.claimedBy()).isNotEqualTo("dead-process");
      assertThat(events)
          .map(OrchestratorEvent::detail)
          .anySatisfy(
              d -> {
                assertThat(d).isInstanceOf(EventDetail.ContentRotated.class);
                assertThat(((EventDetail.ContentRotated) d).key()).isEqualTo("db_password");
                assertThat(((EventDetail.ContentRotated) d).services()).containsExactly("web");
              });
      assertThat(events).noneMatch(e -> e.toString().contains(NEW_VALUE));
    }
  }
}
