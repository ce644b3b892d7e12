package io.stackwright.it.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rolling updates on a real platform under steady load through HAProxy: a 4-replica update must
 * fail no request, and a version that fails its healthcheck must be rolled back to the last healthy
 * revision while the old version keeps serving. On Swarm the platform replaces the replicas itself
 * and Stackwright watches and verifies; on a single engine core replaces them one by one.
 */
abstract class RollingUnderLoadContract {
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofMinutes(3));
  private static final int RATE = 40;

  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private Orchestrator orchestrator;
  private String stack;

  @BeforeEach
  void start() {
    orchestrator = Orchestrator.builder().platform(platform()).build();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : cleanup) {
      resource.close();
    }
    if (stack != null) {
      orchestrator.remove(stack, RemoveOptions.withVolumes());
    }
    orchestrator.close();
  }

  /** The platform's name. */
  abstract String platform();

  /** The DNS name under which the replicas of service {@code web} are found on its network. */
  abstract String replicasDnsName();

  private HaproxyProxy proxy() {
    HaproxyProxy proxy = HaproxyProxy.start(stack + "-haproxy", stack + "_net", replicasDnsName());
    cleanup.add(0, proxy);
    return proxy;
  }

  private LoadGenerator load(HaproxyProxy proxy) {
    LoadGenerator load = LoadGenerator.start(proxy.uri("/"), RATE);
    cleanup.add(0, load);
    return load;
  }

  @Test
  void aRollingUpdateOfFourReplicasUnderLoadFailsNoRequest() {
    stack = RolloutStacks.name(platform().charAt(0) + "roll");
    DeploymentResult first =
        orchestrator
            .deploy(
                RolloutStacks.stack(stack, RolloutStacks.web(RolloutStacks.IMAGE_V1, 4).build()),
                OPTIONS)
            .await(Duration.ofMinutes(4));
    assertThat(first.outcome()).as(first.message()).isEqualTo(Outcome.SUCCEEDED);
    HaproxyProxy proxy = proxy();
    LoadGenerator load = load(proxy);

    Deployment update =
        orchestrator.deploy(
            RolloutStacks.stack(stack, RolloutStacks.web(RolloutStacks.IMAGE_V2, 4).build()),
            OPTIONS);
    DeploymentResult result = update.await(Duration.ofMinutes(4));
    load.resetVersions();
    sleep(Duration.ofSeconds(2));
    LoadGenerator.Stats stats = load.stop();

    System.out.printf(
        "BENCH %s rolling: duration=%d ms, %s%n", platform(), result.elapsed().toMillis(), stats);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(stats.failed()).as(stats.toString()).isZero();
    assertThat(stats.sent()).isGreaterThan(100);
    assertThat(stats.versions()).as("after the update only v2 serves").containsOnlyKeys("v2");
  }

  @Test
  void aVersionFailingItsHealthcheckIsRolledBackAndTheOldVersionKeepsServing() {
    stack = RolloutStacks.name(platform().charAt(0) + "bad");
    orchestrator
        .deploy(
            RolloutStacks.stack(stack, RolloutStacks.web(RolloutStacks.IMAGE_V1, 4).build()),
            OPTIONS)
        .await(Duration.ofMinutes(4));
    HaproxyProxy proxy = proxy();
    LoadGenerator load = load(proxy);

    Deployment bad =
        orchestrator.deploy(
            RolloutStacks.stack(
                stack,
                RolloutStacks.web(RolloutStacks.IMAGE_V2, 4).env("FAIL_HEALTH", "1").build()),
            OPTIONS);
    DeploymentResult result = bad.await(Duration.ofMinutes(4));
    load.resetVersions();
    sleep(Duration.ofSeconds(2));
    LoadGenerator.Stats stats = load.stop();

    OrchestratorEvent completed =
        bad.events().stream()
            .filter(e -> e.type() == EventType.ROLLBACK_COMPLETED)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no rollback: " + result.message()));
    System.out.printf(
        "BENCH %s rollback: duration=%d ms, detection to rollback complete=%s ms, %s%n",
        platform(),
        result.elapsed().toMillis(),
        ((EventDetail.RollbackCompleted) completed.detail()).recovery().toMillis(),
        stats);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.message()).contains("rolled back to revision");
    assertThat(stats.versions()).as("after the rollback only v1 serves").containsOnlyKeys("v1");
    assertThat(stats.failed()).as(stats.toString()).isZero();
    assertThat(orchestrator.status(stack).service("web").orElseThrow().image())
        .isEqualTo(RolloutStacks.IMAGE_V1);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
