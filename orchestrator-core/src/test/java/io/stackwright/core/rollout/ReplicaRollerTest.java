package io.stackwright.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.UpdatePolicy.FailureAction;
import io.stackwright.api.UpdatePolicy.Order;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Core's replica-by-replica rolling update on a platform without one of its own. */
class ReplicaRollerTest {
  private final ReplicaPlatform platform = new ReplicaPlatform();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Orchestrator orchestrator =
      Orchestrator.builder().platform(platform).executor(executor).build();

  @AfterEach
  void close() {
    orchestrator.close();
    executor.shutdownNow();
  }

  private static StackSpec shop(String image, UpdatePolicy policy) {
    return StackSpec.builder("shop")
        .service(
            ServiceSpec.builder("web", image)
                .replicas(3)
                .updatePolicy(policy)
                .rollout(RolloutPolicy.rolling(Duration.ZERO))
                .build())
        .build();
  }

  private static UpdatePolicy policy(int parallelism, Order order, FailureAction action) {
    return new UpdatePolicy(parallelism, Duration.ZERO, action, Duration.ZERO, 0, order);
  }

  private DeploymentResult deploy(StackSpec stack) {
    return orchestrator
        .deploy(stack, DeployOptions.waitingUpTo(Duration.ofSeconds(10)))
        .await(Duration.ofSeconds(20));
  }

  private List<String> rollLog() {
    int from = platform.log.indexOf("apply v1");
    return platform.log.subList(from + 1, platform.log.size());
  }

  @Test
  void startFirstStartsEachNewReplicaBeforeRemovingAnOldOne() {
    UpdatePolicy startFirst = policy(1, Order.START_FIRST, FailureAction.PAUSE);
    deploy(shop("v1", startFirst));

    DeploymentResult result = deploy(shop("v2", startFirst));

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rollLog())
        .containsExactly(
            "start v2", "remove r1", "start v2", "remove r2", "start v2", "remove r3", "apply v2");
    assertThat(platform.replicas).extracting(ReplicaPlatform.Replica::image).containsOnly("v2");
  }

  @Test
  void stopFirstInBatchesOfTwoRemovesBeforeStarting() {
    UpdatePolicy stopFirst = policy(2, Order.STOP_FIRST, FailureAction.PAUSE);
    deploy(shop("v1", stopFirst));

    DeploymentResult result = deploy(shop("v2", stopFirst));

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(rollLog())
        .containsExactly(
            "remove r1", "remove r2", "start v2", "start v2", "remove r3", "start v2", "apply v2");
  }

  @Test
  void aFailingBatchStopsTheUpdateKeepsTheOldReplicasAndRollsBack() {
    UpdatePolicy startFirst = policy(1, Order.START_FIRST, FailureAction.PAUSE);
    deploy(shop("v1", startFirst));
    platform.bad.add("bad");

    DeploymentResult result = deploy(shop("bad", startFirst));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("batch 1 failed").contains("replica 4");
    assertThat(rollLog()).startsWith("start bad", "remove r4");
    assertThat(platform.replicas).extracting(ReplicaPlatform.Replica::image).containsOnly("v1");
    assertThat(platform.replicas)
        .extracting(ReplicaPlatform.Replica::id)
        .contains("r1", "r2", "r3");
  }

  @Test
  void withFailureActionContinueEveryBatchIsTriedAndVerificationStillCatchesTheFailure() {
    UpdatePolicy carryOn = policy(1, Order.START_FIRST, FailureAction.CONTINUE);
    deploy(shop("v1", carryOn));
    platform.bad.add("bad");

    DeploymentResult result = deploy(shop("bad", carryOn));

    assertThat(platform.log.stream().filter(l -> l.equals("start bad")).count()).isEqualTo(3);
    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(platform.replicas).extracting(ReplicaPlatform.Replica::image).containsOnly("v1");
  }
}
