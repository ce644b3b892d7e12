package io.stackwright.it.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.core.Orchestrator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling update verified by the service's own probe ({@code x-stackwright.health}), not only by
 * its container healthcheck: the new version passes its HEALTHCHECK but fails the readiness probe,
 * so the rollout is rolled back and says why, and the old version keeps serving.
 */
class ProbeVerifiedRolloutIT {
  private static final Duration WAIT = Duration.ofMinutes(4);
  private final String stack = RolloutStacks.name("probe");
  private final Orchestrator orchestrator = Orchestrator.builder().platform("compose").build();

  @AfterEach
  void remove() {
    orchestrator.remove(stack, RemoveOptions.withVolumes());
    orchestrator.close();
  }

  private StackSpec version(String image) {
    return RolloutStacks.stack(
        stack,
        RolloutStacks.web(image, 2)
            .health(
                HealthPolicy.builder()
                    // Only v1 answers with its version: v2 fails this probe, never its healthcheck.
                    .readiness(
                        ProbeSpec.http(8080, "/")
                            .bodyContains("version=v1")
                            .period(Duration.ofMillis(500))
                            .failureThreshold(2))
                    .build())
            .rollout(
                RolloutPolicy.builder(RolloutPolicy.Strategy.ROLLING)
                    .verifyFor(Duration.ofSeconds(5))
                    .build())
            .build());
  }

  private void watchForV2(AtomicReference<Instant> seen) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    while (!Thread.currentThread().isInterrupted() && seen.get() == null) {
      try {
        for (var task : orchestrator.status(stack).service("web").orElseThrow().tasks()) {
          var address = orchestrator.platform().replicaAddress(stack, task);
          if (address.isEmpty()) {
            continue;
          }
          String body =
              http.send(
                      HttpRequest.newBuilder(URI.create("http://" + address.get() + ":8080/"))
                          .timeout(Duration.ofMillis(300))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          if (body.contains("version=v2")) {
            seen.compareAndSet(null, Instant.now());
          }
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // a replica starting or going away: look again
      }
    }
  }

  @Test
  void aVersionFailingItsReadinessProbeIsRolledBack() throws Exception {
    DeploymentResult v1 =
        orchestrator
            .deploy(version(RolloutStacks.IMAGE_V1), DeployOptions.waitingUpTo(WAIT))
            .await(WAIT);
    assertThat(v1.succeeded()).as(v1.message()).isTrue();

    // The bad version's first failed probe is (within one probe period, 500 ms) the first moment
    // one of its replicas answers: a watcher looks for it every 50 ms.
    AtomicReference<Instant> firstBadAnswer = new AtomicReference<>();
    Thread watcher = new Thread(() -> watchForV2(firstBadAnswer), "v2-watcher");
    watcher.setDaemon(true);
    watcher.start();
    Deployment v2 =
        orchestrator.deploy(version(RolloutStacks.IMAGE_V2), DeployOptions.waitingUpTo(WAIT));
    DeploymentResult result = v2.await(WAIT);
    watcher.interrupt();
    OrchestratorEvent completed =
        v2.events().stream()
            .filter(e -> e.type() == EventType.ROLLBACK_COMPLETED)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no rollback: " + result.message()));
    assertThat(firstBadAnswer.get()).as("the bad version answered at some point").isNotNull();
    System.out.printf(
        "BENCH compose probe-verified rollback: duration=%d ms, first failed probe (+0..500 ms)"
            + " to rollback complete=%d ms%n",
        result.elapsed().toMillis(),
        Duration.between(firstBadAnswer.get(), completed.timestamp()).toMillis());

    assertThat(result.outcome())
        .as(result.message())
        .isEqualTo(DeploymentResult.Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("probe");
    assertThat(v2.events().stream().map(OrchestratorEvent::type))
        .contains(EventType.ROLLBACK_STARTED, EventType.ROLLBACK_COMPLETED);
    HttpClient http = HttpClient.newHttpClient();
    for (var task : orchestrator.status(stack).service("web").orElseThrow().currentTasks()) {
      String address = orchestrator.platform().replicaAddress(stack, task).orElseThrow();
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + address + ":8080/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).as("the old version keeps serving").contains("version=v1");
    }
  }
}
