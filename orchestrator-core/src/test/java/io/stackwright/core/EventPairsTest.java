package io.stackwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.PlatformException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.testing.InMemoryPlatform;
import io.stackwright.testing.InMemoryPlatform.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every start event is matched by an end event, whichever step of the platform throws: a
 * deployment's, a job's (its attempts), a rollback's.
 */
class EventPairsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final InMemoryPlatform platform = InMemoryPlatform.create();
  private final Orchestrator orchestrator =
      Orchestrator.builder().platform(platform).listener(events::add).build();

  private final StackSpec stack =
      StackSpec.builder("pairs")
          .service(ServiceSpec.builder("web", "stackwright/workload:test").replicas(2).build())
          .build();

  @AfterEach
  void close() {
    platform.clearFailures();
    orchestrator.close();
  }

  /** The kinds of starts and ends, in order, of {@code stack}'s deployments. */
  private List<EventType> deployments() {
    return events.stream()
        .map(OrchestratorEvent::type)
        .filter(
            t ->
                EnumSet.of(
                        EventType.DEPLOYMENT_STARTED,
                        EventType.DEPLOYMENT_SUCCEEDED,
                        EventType.DEPLOYMENT_FAILED)
                    .contains(t))
        .toList();
  }

  /** Fails unless every start is followed by exactly one end before the next start. */
  private void assertPaired(Set<EventType> starts, Set<EventType> ends, String key) {
    Map<String, Boolean> open = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (OrchestratorEvent e : events) {
      String id = key.equals("subject") ? e.subject() : e.stack();
      if (starts.contains(e.type())) {
        if (Boolean.TRUE.equals(open.put(id, true))) {
          problems.add(e.type() + " of " + id + " while one was open: " + e);
        }
      } else if (ends.contains(e.type())) {
        if (!Boolean.TRUE.equals(open.put(id, false))) {
          problems.add(e.type() + " of " + id + " with nothing open: " + e);
        }
      }
    }
    open.forEach(
        (id, o) -> {
          if (o) {
            problems.add("no end for " + id);
          }
        });
    assertThat(problems).as(events.toString()).isEmpty();
  }

  private void assertEveryStartEnded() {
    assertPaired(
        EnumSet.of(EventType.DEPLOYMENT_STARTED),
        EnumSet.of(EventType.DEPLOYMENT_SUCCEEDED, EventType.DEPLOYMENT_FAILED),
        "stack");
    assertPaired(
        EnumSet.of(EventType.JOB_STARTED),
        EnumSet.of(EventType.JOB_FINISHED, EventType.JOB_RETRYING),
        "subject");
  }

  @Test
  @DisplayName("validation throws: the deploy call fails at admission, before any start")
  void aFailureInAdmissionStartsNoDeployment() {
    platform.failOn(Step.VALIDATE, new IllegalStateException("the engine is gone"));

    assertThatThrownBy(() -> orchestrator.deploy(stack, DeployOptions.defaults()))
        .hasMessageContaining("the engine is gone");

    assertThat(deployments()).as("admission comes before the deployment's start").isEmpty();
    assertEveryStartEnded();
  }

  @ParameterizedTest(name = "{0} throws before the job: the deploy call fails, and its start ends")
  @EnumSource(
      value = Step.class,
      names = {"PLAN"})
  void aFailureBeforeTheJobEndsTheDeployment(Step step) {
    platform.failOn(step, new IllegalStateException("the engine is gone"));

    assertThatThrownBy(() -> orchestrator.deploy(stack, DeployOptions.defaults()))
        .hasMessageContaining("the engine is gone");

    assertThat(deployments())
        .containsExactly(EventType.DEPLOYMENT_STARTED, EventType.DEPLOYMENT_FAILED);
    assertThat(events.get(events.size() - 1).detail())
        .isInstanceOfSatisfying(
            EventDetail.DeploymentFailed.class,
            f -> assertThat(f.reason()).contains("the engine is gone"));
    assertEveryStartEnded();
  }

  @Test
  @DisplayName("the apply throws in the job, every time: the deployment ends as failed")
  void anApplyThatAlwaysThrowsEndsTheDeployment() {
    platform.failOn(Step.APPLY, new IllegalStateException("the engine broke"));
    DeploymentResult result = orchestrator.deploy(stack, DeployOptions.defaults()).await(WAIT);

    assertThat(result.succeeded()).isFalse();
    await()
        .atMost(WAIT)
        .until(() -> events.stream().anyMatch(e -> e.type() == EventType.JOB_FINISHED));
    assertThat(deployments())
        .containsExactly(EventType.DEPLOYMENT_STARTED, EventType.DEPLOYMENT_FAILED);
    assertEveryStartEnded();
  }

  @Test
  @DisplayName("the status read throws while waiting: the deployment ends as failed")
  void aStatusThatThrowsEndsTheDeployment() {
    platform.failOn(Step.STATUS, new IllegalStateException("cannot read the engine"));
    DeploymentResult result = orchestrator.deploy(stack, DeployOptions.defaults()).await(WAIT);

    assertThat(result.succeeded()).isFalse();
    await()
        .atMost(WAIT)
        .until(() -> events.stream().anyMatch(e -> e.type() == EventType.JOB_FINISHED));
    assertThat(deployments())
        .containsExactly(EventType.DEPLOYMENT_STARTED, EventType.DEPLOYMENT_FAILED);
    assertEveryStartEnded();
  }

  @Test
  @DisplayName("a retryable engine error: each attempt starts and ends, the retry succeeds")
  void eachAttemptOfARetriedDeployStartsAndEnds() {
    platform.failOn(Step.APPLY, new PlatformException("engine busy", true));
    Deployment deployment = orchestrator.deploy(stack, DeployOptions.defaults());
    await()
        .atMost(WAIT)
        .until(() -> events.stream().anyMatch(e -> e.type() == EventType.JOB_RETRYING));
    platform.clearFailures();
    assertThat(deployment.await(WAIT).succeeded()).isTrue();

    assertThat(deployments())
        .containsExactly(
            EventType.DEPLOYMENT_STARTED,
            EventType.DEPLOYMENT_FAILED,
            EventType.DEPLOYMENT_STARTED,
            EventType.DEPLOYMENT_SUCCEEDED);
    assertEveryStartEnded();
  }

  /** A stack whose replicas never become healthy (a HEALTHCHECK that fails). */
  private final StackSpec unhealthy =
      StackSpec.builder("pairs")
          .service(
              ServiceSpec.builder("web", "stackwright/workload:sick")
                  .healthcheck(io.stackwright.api.HealthcheckSpec.cmd("/server", "--probe"))
                  .build())
          .build();

  @Test
  @DisplayName("a deployment that times out ends as failed (timed out)")
  void aTimeoutEndsTheDeployment() {
    platform.unhealthyImage("stackwright/workload:sick");
    DeploymentResult result =
        orchestrator
            .deploy(unhealthy, DeployOptions.waitingUpTo(Duration.ofMillis(300)))
            .await(WAIT);

    assertThat(result.succeeded()).isFalse();
    await()
        .atMost(WAIT)
        .until(() -> events.stream().anyMatch(e -> e.type() == EventType.JOB_FINISHED));
    assertThat(deployments())
        .containsExactly(EventType.DEPLOYMENT_STARTED, EventType.DEPLOYMENT_FAILED);
    assertEveryStartEnded();
  }

  @Test
  @DisplayName("a cancelled deployment ends as failed")
  void aCancelledDeploymentEnds() {
    platform.unhealthyImage("stackwright/workload:sick");
    Deployment deployment = orchestrator.deploy(unhealthy, DeployOptions.waitingUpTo(WAIT));
    await()
        .atMost(WAIT)
        .until(() -> events.stream().anyMatch(e -> e.type() == EventType.JOB_STARTED));
    orchestrator
        .jobs()
        .get(Long.parseLong(deployment.jobId().orElseThrow()))
        .orElseThrow()
        .cancel();

    assertThat(deployment.await(WAIT).succeeded()).isFalse();
    await()
        .atMost(WAIT)
        .until(() -> events.stream().anyMatch(e -> e.type() == EventType.JOB_FINISHED));
    assertThat(deployments())
        .containsExactly(EventType.DEPLOYMENT_STARTED, EventType.DEPLOYMENT_FAILED);
    assertEveryStartEnded();
  }

  @Test
  @DisplayName("remove: STACK_REMOVED once, after what the platform removed")
  void aRemoveReportsTheStackRemovedOnce() {
    orchestrator.deploy(stack, DeployOptions.defaults()).await(WAIT);
    orchestrator.remove("pairs", io.stackwright.api.RemoveOptions.keepVolumes());

    assertThat(events).filteredOn(e -> e.type() == EventType.STACK_REMOVED).hasSize(1);
    assertEveryStartEnded();
  }
}
