package io.stackwright.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class StoreRecordsTest {
  @Test
  void aNewJobListsEveryProblemAtOnce() {
    assertThatThrownBy(
            () -> new NewJob("bad name!", null, null, " ", null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stack: 'bad name!'")
        .hasMessageContaining("kind: missing")
        .hasMessageContaining("idempotencyKey");
  }

  @Test
  void aNewJobTakesDockerStackNames() {
    NewJob job = NewJob.builder("shop_2-prod.eu", JobKind.DEPLOY).idempotencyKey("k").build();
    assertThat(job.stack()).isEqualTo("shop_2-prod.eu");
    assertThat(job.notBefore()).isNull();
  }

  @Test
  void progressStaysWithinItsTotal() {
    assertThat(new JobProgress(2, 5, "x").step()).isEqualTo(2);
    assertThat(new JobProgress(7, 0, "unknown total").step()).isEqualTo(7);
    assertThatThrownBy(() -> new JobProgress(6, 5, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JobProgress(-1, 5, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statesAndKindsRoundTripThroughTheirStoredIds() {
    for (JobState state : JobState.values()) {
      assertThat(JobState.fromId(state.id())).isEqualTo(state);
    }
    for (JobKind kind : JobKind.values()) {
      assertThat(JobKind.fromId(kind.id())).isEqualTo(kind);
    }
    assertThat(JobState.ROLLED_BACK.id()).isEqualTo("rolled_back");
    assertThat(JobState.QUEUED.finished()).isFalse();
    assertThat(JobState.RUNNING.finished()).isFalse();
    assertThat(JobState.CANCELLED.finished()).isTrue();
  }

  @Test
  void aQueryCopiesItsStates() {
    JobQuery query = JobQuery.ofStack("shop", 5).inStates(JobState.QUEUED, JobState.RUNNING);
    assertThat(query.states()).isEqualTo(Set.of(JobState.QUEUED, JobState.RUNNING));
    assertThatThrownBy(() -> JobQuery.all(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
