package io.stackwright.core.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Store;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.StackHandle;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The stack controller through the Orchestrator facade, on an in-memory engine and store. */
class StackControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofSeconds(10));

  private final FakeEngine engine = new FakeEngine();
  private final Store store = Stores.inMemory();
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final Orchestrator orchestrator =
      Orchestrator.builder()
          .platform(engine)
          .store(store)
          .metrics(metrics)
          .listener(events::add)
          .jobRetries(4, Duration.ofMillis(20), Duration.ofMillis(50))
          .build();

  @AfterEach
  void close() {
    orchestrator.close();
    store.close();
  }

  private static StackSpec shop(String image) {
    return StackSpec.builder("shop").service(ServiceSpec.builder("web", image).build()).build();
  }

  @Test
  @DisplayName("keep repairs towards the current desired state: it never undoes a newer deploy")
  void keepFollowsTheNewestDeploy() {
    StackHandle shop = orchestrator.stack("shop");
    assertThat(shop.deploy(shop("app:v1"), OPTIONS).await(WAIT).outcome())
        .isEqualTo(Outcome.SUCCEEDED);
    try (Subscription keep = orchestrator.keep(shop("app:v1"))) {
      assertThat(shop.deploy(shop("app:v2"), OPTIONS).await(WAIT).outcome())
          .isEqualTo(Outcome.SUCCEEDED);
      engine.kill("shop", "web");

      await().atMost(WAIT).until(() -> orchestrator.plan(shop("app:v2")).isEmpty());
      assertThat(engine.image("shop")).isEqualTo("app:v2");
      assertThat(engine.applied).last().isEqualTo("shop:app:v2");
      assertThat(shop.jobs())
          .filteredOn(j -> j.kind() == JobKind.RECONCILE)
          .extracting(Job::state)
          .contains(JobState.SUCCEEDED);
      assertThat(shop.desired().orElseThrow().revision()).isEqualTo(2);
    }
    assertThat(engine.applied.stream().filter("shop:app:v1"::equals).count()).isEqualTo(1);
  }

  @Test
  @DisplayName("deploys of one stack submitted at once run one at a time; the last one runs")
  void manyDeploysAtOnce() {
    engine.applyMillis = 20;
    StackHandle shop = orchestrator.stack("shop");
    List<Deployment> deployments = new ArrayList<>();
    for (int v = 1; v <= 20; v++) {
      deployments.add(shop.deploy(shop("app:v" + v), OPTIONS));
    }
    Deployment last = deployments.get(19);
    assertThat(last.await(WAIT).outcome()).isEqualTo(Outcome.SUCCEEDED);
    for (Deployment d : deployments) {
      d.await(WAIT);
    }

    assertThat(engine.maxConcurrentApplies.get()).isEqualTo(1);
    assertThat(engine.image("shop")).isEqualTo("app:v20");
    assertThat(engine.applied).last().isEqualTo("shop:app:v20");
    List<Job> jobs = shop.jobs();
    assertThat(jobs).hasSize(20).allMatch(Job::finished);
    assertThat(jobs)
        .filteredOn(j -> j.state() == JobState.CANCELLED)
        .allMatch(j -> j.error().startsWith("superseded by deploy"));
    // the applied versions only grow: no older version ran after a newer one
    List<Integer> versions =
        engine.applied.stream()
            .map(a -> Integer.parseInt(a.substring(a.indexOf(":v") + 2)))
            .toList();
    assertThat(versions).isSorted();
    assertThat(metrics.counter("stackwright.jobs.submitted", Map.of("kind", "deploy")))
        .isEqualTo(20);
  }

  @Test
  @DisplayName("a failed first deploy removes what it created and leaves no store rows")
  void failedFirstDeployLeavesNothing() {
    engine.refusedImages.add("app:refused");
    StackHandle shop = orchestrator.stack("shop");
    Deployment bad = shop.deploy(shop("app:refused"), OPTIONS);

    var result = bad.await(WAIT);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.message())
        .contains("invalid reference format")
        .contains("removed what the failed first deploy created [network:default]");
    assertThat(engine.removed).containsExactly("shop");
    assertThat(engine.running).doesNotContainKey("shop");
    assertThat(store.desiredStates().current("shop")).isEmpty();
    assertThat(store.jobs().list(JobQuery.ofStack("shop", 10)))
        .allMatch(j -> j.kind() == JobKind.DEPLOY && j.state() == JobState.RUNNING || j.finished());
  }

  @Test
  @DisplayName("a failed first deploy told to keep what it created keeps it")
  void failedFirstDeployKept() {
    engine.refusedImages.add("app:bad");
    var result =
        orchestrator
            .stack("shop")
            .deploy(shop("app:bad"), OPTIONS.keepingFailedFirstDeploy())
            .await(WAIT);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(engine.removed).isEmpty();
    assertThat(engine.networks).contains("shop");
  }

  @Test
  @DisplayName("the engine unreachable during a job: the job retries, then succeeds")
  void retriesWhileTheEngineIsUnreachable() {
    StackHandle shop = orchestrator.stack("shop");
    assertThat(shop.deploy(shop("app:v1"), OPTIONS).await(WAIT).outcome())
        .isEqualTo(Outcome.SUCCEEDED);
    engine.unreachableCalls.set(2);
    Job job = shop.scale("web", 2).await(WAIT);
    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.attempts()).isEqualTo(3);
    assertThat(events)
        .filteredOn(e -> e.type() == EventType.JOB_RETRYING)
        .isNotEmpty()
        .allMatch(e -> e.message().contains("cannot reach the engine"));
  }

  @Test
  @DisplayName("remove cancels what is queued and leaves no state of the stack in the store")
  void removeLeavesNothing() {
    StackHandle shop = orchestrator.stack("shop");
    shop.deploy(shop("app:v1"), OPTIONS).await(WAIT);
    store.documents().put("health", "shop", "{\"failures\":3}");
    try (Subscription keep = orchestrator.keep(shop("app:v1"))) {
      Job removed = shop.remove().await(WAIT);
      assertThat(removed.state()).isEqualTo(JobState.SUCCEEDED);

      assertThat(engine.running).doesNotContainKey("shop");
      assertThat(store.desiredStates().current("shop")).isEmpty();
      assertThat(store.documents().get("health", "shop")).isEmpty();
      assertThat(store.jobs().list(JobQuery.ofStack("shop", 10)))
          .extracting(Job::kind)
          .containsOnly(JobKind.REMOVE);
      // keep forgot the stack: nothing brings it back
      engine
          .watchers
          .getOrDefault("shop", List.of())
          .forEach(
              l ->
                  l.onEvent(
                      new OrchestratorEvent(
                          java.time.Instant.now(),
                          "shop",
                          "web",
                          "gone",
                          new io.stackwright.api.event.EventDetail.TaskStateChanged(
                              "web",
                              "web.1",
                              1,
                              io.stackwright.api.state.TaskStatus.REMOVE,
                              null,
                              null,
                              null,
                              null,
                              null,
                              null))));
      await()
          .during(Duration.ofMillis(500))
          .atMost(WAIT)
          .until(() -> !engine.running.containsKey("shop"));
    }
  }

  @Test
  @DisplayName("scale is a job and the desired state keeps the count; promote needs a rollout")
  void scaleAndPromote() {
    StackHandle shop = orchestrator.stack("shop");
    shop.deploy(shop("app:v1"), OPTIONS).await(WAIT);
    assertThat(shop.scale("web", 3).await(WAIT).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(shop.desired().orElseThrow().spec()).contains("\"replicas\":{\"web\":3}");
    assertThatThrownBy(shop::promote)
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no rollout of stack shop is in progress");
    assertThat(metrics.prometheusText())
        .contains(
            "stackwright_jobs_finished_seconds_count{kind=\"scale\",outcome=\"succeeded\",stack=\"shop\"} 1")
        .contains("stackwright_jobs_running{kind=\"deploy\"} 0");
  }
}
