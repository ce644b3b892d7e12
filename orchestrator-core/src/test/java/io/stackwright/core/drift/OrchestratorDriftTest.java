package io.stackwright.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.drift.DriftReport;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Store;
import io.stackwright.api.store.AuditEntry;
import io.stackwright.core.Orchestrator;
import io.stackwright.store.Stores;
import io.stackwright.testing.InMemoryPlatform;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Drift through the Orchestrator facade on the in-memory platform: a change applied to the platform
 * directly (not through a job) is what {@code docker service update} is to Swarm.
 */
class OrchestratorDriftTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final InMemoryPlatform platform = InMemoryPlatform.create();
  private final Store store = Stores.inMemory();
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final Orchestrator orchestrator =
      Orchestrator.builder()
          .platform(platform)
          .store(store)
          .principal("alice")
          .listener(events::add)
          .build();

  @AfterEach
  void close() {
    orchestrator.close();
    store.close();
  }

  private static StackSpec shop(String level) {
    return StackSpec.builder("shop")
        .service(ServiceSpec.builder("web", "stackwright/workload:test").env("LEVEL", level))
        .build();
  }

  private void deploy(StackSpec spec) {
    orchestrator
        .stack("shop")
        .deploy(spec, DeployOptions.waitingUpTo(Duration.ofSeconds(10)))
        .await(WAIT);
  }

  /** Behind Stackwright's back: straight to the platform, as a person with the docker CLI. */
  private void tamper(StackSpec spec) {
    platform.apply(spec, platform.plan(spec), EventListener.none());
  }

  @Test
  @DisplayName("warn reports the changed field, and writes nothing")
  void warn() {
    deploy(shop("info"));
    try (DriftWatch watch =
        orchestrator.watchDrift(shop("info"), DriftPolicy.builder(DriftMode.WARN).build())) {
      tamper(shop("debug"));
      int writes = platform.writes().size();

      List<DriftReport> drift = watch.compareNow();

      assertThat(drift).extracting(DriftReport::field).containsExactly("environment");
      assertThat(drift.get(0).live()).isEqualTo("(redacted)");
      assertThat(platform.writes()).hasSize(writes);
      assertThat(events).filteredOn(e -> e.type() == EventType.DRIFT_DETECTED).hasSize(1);
    }
  }

  @Test
  @DisplayName(
      "repair restores the desired state by a reconcile job; the history shows it all, after removal too")
  void repairAndHistory() {
    Instant from = Instant.now().minusSeconds(1);
    deploy(shop("info"));
    try (DriftWatch watch =
        orchestrator.watchDrift(shop("info"), DriftPolicy.builder(DriftMode.REPAIR).build())) {
      tamper(shop("debug"));
      watch.compareNow();

      await().atMost(WAIT).until(() -> orchestrator.plan(shop("info")).isEmpty());
      await()
          .atMost(WAIT)
          .until(() -> events.stream().anyMatch(e -> e.type() == EventType.DRIFT_REPAIRED));
    }
    orchestrator.stack("shop").remove().await(WAIT);

    List<AuditEntry> history =
        orchestrator.stack("shop").history(from, Instant.now().plusSeconds(1));
    assertThat(history)
        .extracting(a -> a.kind() + " " + a.jobKind())
        .contains(
            "JOB deploy",
            "DRIFT_DETECTED null",
            "JOB reconcile",
            "DRIFT_REPAIRED reconcile",
            "JOB remove");
    AuditEntry deploy = history.get(0);
    assertThat(deploy.principal()).isEqualTo("alice");
    assertThat(deploy.revisionBefore()).isEqualTo(0);
    assertThat(deploy.revisionAfter()).isEqualTo(1);
    assertThat(deploy.outcome()).isEqualTo("succeeded");
    assertThat(deploy.host()).isNotBlank();
  }

  @Test
  @DisplayName("a deploy through Stackwright is never drift")
  void ownDeployIsNotDrift() {
    deploy(shop("info"));
    try (DriftWatch watch =
        orchestrator.watchDrift(shop("info"), DriftPolicy.builder(DriftMode.REPAIR).build())) {
      deploy(shop("debug"));
      assertThat(watch.compareNow()).isEmpty();
      assertThat(events).noneMatch(e -> e.type() == EventType.DRIFT_DETECTED);
    }
  }
}
