package io.stackwright.it.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.rollout.BlueGreenPolicy;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.spi.RolloutCheck;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blue-green and canary on a real platform with HAProxy as the router in the data path: the proxy's
 * backend holds the live service and its {@code -next} copy as two server groups whose weights the
 * strategies set. The canary analysis is a {@link RolloutCheck} reading the 5xx share of the {@code
 * -next} servers from HAProxy's statistics.
 */
abstract class SideBySideUnderLoadContract {
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofMinutes(3));
  private static final Duration WAIT = Duration.ofMinutes(4);
  private static final double MAX_ERROR_RATE = 0.05;

  private String stack;
  private HaproxyProxy proxy;
  private HaproxyRouter router;
  private LoadGenerator load;
  private Orchestrator orchestrator;

  abstract String platform();

  /** The DNS name of a service's replicas on its network. */
  abstract String dnsName(String service);

  @BeforeEach
  void start() {
    stack = RolloutStacks.name(platform().charAt(0) + "side");
  }

  @AfterEach
  void stop() {
    if (load != null) {
      load.close();
    }
    if (proxy != null) {
      proxy.close(); // first: its endpoint on the stack's network would keep the network
    }
    if (orchestrator != null) {
      orchestrator.remove(stack, RemoveOptions.withVolumes());
      orchestrator.close();
    }
  }

  private static RolloutPolicy blueGreen() {
    return RolloutPolicy.builder(RolloutPolicy.Strategy.BLUE_GREEN)
        .blueGreen(new BlueGreenPolicy(Duration.ofSeconds(2), Duration.ofSeconds(5), true))
        .build();
  }

  private static RolloutPolicy canary() {
    return RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
        .canary(
            CanaryPolicy.builder()
                .step(CanaryStep.weight(20, Duration.ofSeconds(5)))
                .step(CanaryStep.weight(50, Duration.ofSeconds(4)))
                .build())
        .build();
  }

  private StackSpec stack(String image, RolloutPolicy rollout, Map<String, String> env) {
    ServiceSpec.Builder web = RolloutStacks.web(image, 2).rollout(rollout);
    env.forEach(web::env);
    return RolloutStacks.stack(stack, web.build());
  }

  /**
   * Deploys v1 with a plain orchestrator (the network must exist before the proxy can join it),
   * starts the proxy and the load, and returns an orchestrator that routes through the proxy.
   */
  private void startWith(RolloutPolicy rollout) {
    Orchestrator first = Orchestrator.builder().platform(platform()).build();
    DeploymentResult v1 =
        first
            .deploy(stack(RolloutStacks.IMAGE_V1, RolloutPolicy.NONE, Map.of()), OPTIONS)
            .await(WAIT);
    first.close();
    assertThat(v1.succeeded()).as(v1.message()).isTrue();
    proxy =
        HaproxyProxy.start(
            stack + "-haproxy",
            stack + "_net",
            Map.of("web", dnsName("web"), "web-next", dnsName("web-next")),
            Map.of("web", 100, "web-next", 0));
    router = new HaproxyRouter(proxy);
    RolloutCheck errorRate =
        (spec, state) ->
            router
                .errorRatio("web-next", 10)
                .filter(ratio -> ratio > MAX_ERROR_RATE)
                .map(
                    ratio ->
                        String.format(
                            "5xx share of the new version %.2f > %.2f", ratio, MAX_ERROR_RATE));
    orchestrator =
        Orchestrator.builder().platform(platform()).router(router).rolloutCheck(errorRate).build();
    // the rollouts need v1 as their last healthy revision
    DeploymentResult adopted =
        orchestrator.deploy(stack(RolloutStacks.IMAGE_V1, rollout, Map.of()), OPTIONS).await(WAIT);
    assertThat(adopted.succeeded()).as(adopted.message()).isTrue();
    load = LoadGenerator.start(proxy.uri("/"), 40);
  }

  private LoadGenerator.Stats tail() {
    load.resetVersions();
    long failedBefore = load.stats().failed();
    SwarmRolloutIT.sleep(Duration.ofSeconds(2));
    LoadGenerator.Stats stats = load.stop();
    assertThat(stats.failed())
        .as("no failures after the rollout ended: " + stats)
        .isEqualTo(failedBefore);
    return stats;
  }

  private static List<EventType> types(Deployment deployment) {
    return deployment.events().stream().map(OrchestratorEvent::type).toList();
  }

  @Test
  void blueGreenSwitchesToTheNewVersionWithoutAFailedRequest() {
    startWith(blueGreen());

    Deployment deployment =
        orchestrator.deploy(stack(RolloutStacks.IMAGE_V2, blueGreen(), Map.of()), OPTIONS);
    DeploymentResult result = deployment.await(WAIT);
    LoadGenerator.Stats stats = tail();

    System.out.printf(
        "BENCH %s blue-green: duration=%d ms, %s%n",
        platform(), result.elapsed().toMillis(), stats);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(stats.failed()).as(stats.toString()).isZero();
    assertThat(stats.versions()).containsOnlyKeys("v2");
    assertThat(types(deployment)).contains(EventType.TRAFFIC_SHIFTED);
    assertThat(orchestrator.status(stack).services())
        .extracting(s -> s.name())
        .containsExactly("web");
  }

  @Test
  void blueGreenSwitchesBackWhenGreenFailsAfterTheSwitch() {
    startWith(blueGreen());

    Deployment deployment =
        orchestrator.deploy(
            stack(RolloutStacks.IMAGE_V2, blueGreen(), Map.of("FAIL_PERCENT", "100")), OPTIONS);
    DeploymentResult result = deployment.await(WAIT);
    LoadGenerator.Stats stats = tail();

    System.out.printf(
        "BENCH %s blue-green switch-back: duration=%d ms, %s%n",
        platform(), result.elapsed().toMillis(), stats);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("green failed after the switch").contains("5xx share");
    assertThat(stats.versions()).containsOnlyKeys("v1");
    assertThat(orchestrator.status(stack).services())
        .extracting(s -> s.name())
        .containsExactly("web");
  }

  @Test
  void aCanaryThatPassesIsPromotedWithoutAFailedRequest() {
    startWith(canary());

    Deployment deployment =
        orchestrator.deploy(stack(RolloutStacks.IMAGE_V2, canary(), Map.of()), OPTIONS);
    DeploymentResult result = deployment.await(WAIT);
    LoadGenerator.Stats stats = tail();

    System.out.printf(
        "BENCH %s canary: duration=%d ms, %s%n", platform(), result.elapsed().toMillis(), stats);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(types(deployment)).contains(EventType.CANARY_PROMOTED);
    assertThat(stats.failed()).as(stats.toString()).isZero();
    assertThat(stats.versions()).containsOnlyKeys("v2");
    assertThat(orchestrator.status(stack).services())
        .extracting(s -> s.name())
        .containsExactly("web");
  }

  @Test
  void aCanaryThatBreachesItsErrorRateIsAbortedAndReverted() {
    startWith(canary());
    long failedBefore = load.stats().failed();

    Deployment deployment =
        orchestrator.deploy(
            stack(RolloutStacks.IMAGE_V2, canary(), Map.of("FAIL_PERCENT", "30")), OPTIONS);
    DeploymentResult result = deployment.await(WAIT);
    LoadGenerator.Stats stats = tail();

    System.out.printf(
        "BENCH %s canary abort: duration=%d ms, failed during the canary=%d, %s%n",
        platform(), result.elapsed().toMillis(), stats.failed() - failedBefore, stats);
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("canary was aborted").contains("5xx share");
    assertThat(types(deployment))
        .contains(EventType.CANARY_ABORTED)
        .doesNotContain(EventType.CANARY_PROMOTED);
    assertThat(stats.versions()).containsOnlyKeys("v1");
    assertThat(orchestrator.status(stack).services())
        .extracting(s -> s.name())
        .containsExactly("web");
  }
}
