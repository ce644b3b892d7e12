package io.stackwright.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.rollout.BlueGreenPolicy;
import io.stackwright.api.rollout.CanaryAnalysis;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.spi.RolloutCheck;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.core.Orchestrator;
import io.stackwright.testing.RecordingRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Blue-green and canary against a scripted platform and a router that records the splits. */
class SideBySideStrategiesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofSeconds(10));

  private final ScriptedPlatform platform = new ScriptedPlatform(Clock.systemUTC());
  private final RecordingRouter router = RecordingRouter.create();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private Orchestrator orchestrator = orchestrator(null);

  private Orchestrator orchestrator(RolloutCheck check) {
    Orchestrator.Builder builder =
        Orchestrator.builder().platform(platform).executor(executor).router(router);
    if (check != null) {
      builder.rolloutCheck(check);
    }
    return builder.build();
  }

  @AfterEach
  void close() {
    orchestrator.close();
    executor.shutdownNow();
  }

  private static StackSpec shop(String image, RolloutPolicy rollout) {
    return StackSpec.builder("shop")
        .service(
            ServiceSpec.builder("web", image)
                .replicas(2)
                .rollout(rollout)
                .routing(
                    RoutingPolicy.builder()
                        .port(8080)
                        .route(Route.builder("main").host("shop.test").build())
                        .build())
                .build())
        .build();
  }

  private static RolloutPolicy blueGreen(Duration keepOldFor) {
    return RolloutPolicy.builder(RolloutPolicy.Strategy.BLUE_GREEN)
        .blueGreen(new BlueGreenPolicy(Duration.ofMillis(300), keepOldFor, true))
        .build();
  }

  private static RolloutPolicy canary(boolean autoPromote) {
    return RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
        .canary(
            CanaryPolicy.builder()
                .step(CanaryStep.weight(10, Duration.ofMillis(400)))
                .step(CanaryStep.weight(50, Duration.ofMillis(400)))
                .autoPromote(autoPromote)
                .build())
        .build();
  }

  /** The share the canary copy of web gets now. */
  private int nextShare() {
    return router.weights("shop", "web").map(w -> w.getOrDefault("web-next", 0)).orElse(0);
  }

  private DeploymentResult deploy(StackSpec stack) {
    return orchestrator.deploy(stack, OPTIONS).await(WAIT);
  }

  private String runningImage() {
    return platform.deployed.get("shop").services().get("web").image();
  }

  private static List<EventType> types(Deployment deployment) {
    return deployment.events().stream().map(OrchestratorEvent::type).toList();
  }

  @Test
  void blueGreenSwitchesAtOnceAndEndsWithTheDeclaredServicesOnly() {
    deploy(shop("app:v1", blueGreen(Duration.ofMillis(300))));
    router.clearCalls();

    DeploymentResult result = deploy(shop("app:v2", blueGreen(Duration.ofMillis(300))));

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(router.weightHistory("shop", "web"))
        .containsSubsequence(Map.of("web", 0, "web-next", 100), Map.of("web", 100, "web-next", 0));
    assertThat(router.weightHistory("shop", "web"))
        .noneMatch(w -> w.get("web-next") > 0 && w.get("web-next") < 100);
    assertThat(platform.deployed.get("shop").services().keySet()).containsExactly("web");
    assertThat(runningImage()).isEqualTo("app:v2");
  }

  @Test
  void greenThatFailsVerificationNeverGetsTrafficAndIsRemoved() {
    deploy(shop("app:v1", blueGreen(Duration.ZERO)));
    platform.degrading.add("app:bad");
    platform.degradeAfterReads = 1;

    DeploymentResult result = deploy(shop("app:bad", blueGreen(Duration.ZERO)));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("green failed verification");
    assertThat(router.weightHistory("shop", "web"))
        .noneMatch(w -> w.getOrDefault("web-next", 0) > 0);
    assertThat(platform.deployed.get("shop").services().keySet()).containsExactly("web");
    assertThat(runningImage()).isEqualTo("app:v1");
  }

  @Test
  void greenThatFailsAfterTheSwitchIsSwitchedBackToBlue() {
    orchestrator.close();
    orchestrator =
        orchestrator(
            (stack, state) ->
                nextShare() == 100
                        && stack.services().containsKey("web-next")
                        && stack.services().get("web-next").image().equals("app:bad")
                    ? Optional.of("5xx rate 40% on green")
                    : Optional.empty());
    deploy(shop("app:v1", blueGreen(Duration.ofSeconds(2))));

    Deployment bad =
        orchestrator.deploy(shop("app:bad", blueGreen(Duration.ofSeconds(2))), OPTIONS);
    DeploymentResult result = bad.await(WAIT);

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("green failed after the switch").contains("5xx rate");
    assertThat(router.weightHistory("shop", "web"))
        .containsSubsequence(Map.of("web", 0, "web-next", 100), Map.of("web", 100, "web-next", 0));
    assertThat(types(bad)).contains(EventType.ROLLBACK_COMPLETED);
    assertThat(runningImage()).isEqualTo("app:v1");
  }

  @Test
  void aCanaryThatPassesEveryStepIsPromoted() {
    deploy(shop("app:v1", canary(true)));
    router.clearCalls();

    Deployment deployment = orchestrator.deploy(shop("app:v2", canary(true)), OPTIONS);
    DeploymentResult result = deployment.await(WAIT);

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(router.weightHistory("shop", "web"))
        .containsSubsequence(
            Map.of("web", 90, "web-next", 10),
            Map.of("web", 50, "web-next", 50),
            Map.of("web", 0, "web-next", 100),
            Map.of("web", 100, "web-next", 0));
    assertThat(types(deployment)).contains(EventType.CANARY_PROMOTED);
    assertThat(platform.deployed.get("shop").services().keySet()).containsExactly("web");
    assertThat(runningImage()).isEqualTo("app:v2");
  }

  @Test
  void aCanaryThatBreachesItsThresholdIsAbortedAndReverted() {
    orchestrator.close();
    orchestrator =
        orchestrator(
            (stack, state) ->
                nextShare() > 0
                        && stack.services().containsKey("web-next")
                        && stack.services().get("web-next").image().equals("app:bad")
                    ? Optional.of("error rate 0.3 above 0.05")
                    : Optional.empty());
    deploy(shop("app:v1", canary(true)));

    Deployment bad = orchestrator.deploy(shop("app:bad", canary(true)), OPTIONS);
    DeploymentResult result = bad.await(WAIT);

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("canary was aborted").contains("error rate 0.3");
    assertThat(types(bad))
        .contains(EventType.CANARY_ABORTED)
        .doesNotContain(EventType.CANARY_PROMOTED);
    assertThat(nextShare()).isZero();
    assertThat(router.weightHistory("shop", "web"))
        .noneMatch(w -> w.getOrDefault("web-next", 0) > 10);
    assertThat(platform.deployed.get("shop").services().keySet()).containsExactly("web");
    assertThat(runningImage()).isEqualTo("app:v1");
  }

  @Test
  void anOperatorPromotesOrAbortsACanaryThatWaitsForThem() {
    deploy(shop("app:v1", canary(false)));

    Deployment aborted = orchestrator.deploy(shop("app:v2", canary(false)), OPTIONS);
    await().atMost(WAIT).until(() -> types(aborted).contains(EventType.ROLLOUT_PAUSED));
    Job abort = orchestrator.abort("shop");
    assertThat(aborted.await(WAIT).outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(runningImage()).isEqualTo("app:v1");

    Deployment promoted = orchestrator.deploy(shop("app:v3", canary(false)), OPTIONS);
    await().atMost(WAIT).until(() -> types(promoted).contains(EventType.ROLLOUT_PAUSED));
    Job promote = orchestrator.promote("shop");
    assertThat(promoted.await(WAIT).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(runningImage()).isEqualTo("app:v3");

    // each decision is a job of its own in the stack's history and the audit
    assertThat(List.of(abort.kind(), promote.kind()))
        .containsExactly(JobKind.ABORT, JobKind.PROMOTE);
    assertThat(List.of(abort, promote)).allMatch(j -> j.state() == JobState.SUCCEEDED);
    assertThat(promote.result()).matches("promote delivered to deploy job \\d+");
    assertThat(orchestrator.store().jobs().list(JobQuery.ofStack("shop", 20)))
        .extracting(Job::kind)
        .contains(JobKind.ABORT, JobKind.PROMOTE);
    assertThat(
            orchestrator
                .store()
                .audit()
                .history("shop", Instant.EPOCH, Instant.now().plusSeconds(3600), 50))
        .anyMatch(e -> e.jobId() == promote.id() && "promote".equals(e.jobKind()));
  }

  @Test
  void promoteWithoutARolloutInProgressIsRefused() {
    assertThatThrownBy(() -> orchestrator.promote("shop"))
        .hasMessageContaining("no rollout of stack shop is in progress");
  }

  @Test
  void blueGreenNeedsARouterAndNoPublishedPorts() {
    orchestrator.close();
    orchestrator = Orchestrator.builder().platform(platform).executor(executor).build();
    StackSpec stack =
        StackSpec.builder("shop")
            .service(
                ServiceSpec.builder("web", "app:v1")
                    .port(io.stackwright.api.PortSpec.of(8080))
                    .rollout(blueGreen(Duration.ZERO))
                    .build())
            .build();

    assertThatThrownBy(() -> orchestrator.deploy(stack, OPTIONS))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("cannot publish ports")
        .hasMessageContaining("moves traffic through a router");
    assertThat(platform.applied).isEmpty();
  }

  @Test
  void aCanaryMetricThresholdThatCannotBeCheckedIsRejected() {
    RolloutPolicy withAnalysis =
        RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
            .canary(
                CanaryPolicy.builder()
                    .step(CanaryStep.weight(10, Duration.ofSeconds(1)))
                    .analysis(CanaryAnalysis.errorRate(0.01))
                    .build())
            .build();

    assertThatThrownBy(() -> orchestrator.deploy(shop("app:v1", withAnalysis), OPTIONS))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("cannot tell replica addresses (REPLICA_ADDRESS)");
  }

  @Test
  void aRolloutWithNothingLiveCreatesTheServicePlainly() {
    // a healthy revision is remembered, but the stack was removed since: nothing runs to canary
    // beside, so the strategy must not start web-next and step through the canary
    deploy(shop("app:v1", canary(true)));
    platform.remove("shop", io.stackwright.api.RemoveOptions.keepVolumes(), e -> {});
    platform.applied.clear();

    Deployment deployment = orchestrator.deploy(shop("app:v2", canary(true)), OPTIONS);
    DeploymentResult result = deployment.await(WAIT);

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(platform.applied)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.services().keySet()).containsExactly("web"));
    assertThat(types(deployment)).doesNotContain(EventType.ROLLOUT_STEP);
    assertThat(runningImage()).isEqualTo("app:v2");
  }

  @Test
  void aServiceAddedWithABlueGreenPolicyIsCreatedPlainlyBesideTheOthers() {
    deploy(shop("app:v1", RolloutPolicy.NONE));
    platform.applied.clear();
    StackSpec grown =
        shop("app:v1", RolloutPolicy.NONE).toBuilder()
            .service(
                ServiceSpec.builder("api", "api:v1")
                    .rollout(blueGreen(Duration.ZERO))
                    .routing(
                        RoutingPolicy.builder()
                            .port(8080)
                            .route(Route.builder("api").host("api.shop.test").build())
                            .build())
                    .build())
            .build();

    Deployment deployment = orchestrator.deploy(grown, OPTIONS);
    DeploymentResult result = deployment.await(WAIT);

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(platform.applied)
        .allSatisfy(s -> assertThat(s.services().keySet()).doesNotContain("api-next"));
    assertThat(types(deployment)).doesNotContain(EventType.ROLLOUT_STEP);
  }

  @Test
  void aCanaryByReplicaCountAnswersUnderTheServicesOwnName() {
    RolloutPolicy byReplicas =
        RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
            .canary(
                CanaryPolicy.builder()
                    .step(CanaryStep.replicas(1, Duration.ofMillis(200)))
                    .autoPromote(true)
                    .build())
            .build();
    deploy(shop("app:v1", byReplicas));
    platform.applied.clear();

    DeploymentResult result = deploy(shop("app:v2", byReplicas));

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
    List<ServiceSpec> canaries =
        platform.applied.stream()
            .map(s -> s.services().get("web-next"))
            .filter(java.util.Objects::nonNull)
            .toList();
    assertThat(canaries)
        .isNotEmpty()
        .allSatisfy(
            next ->
                assertThat(next.networks())
                    .containsExactly(
                        new io.stackwright.api.ServiceNetwork(
                            StackSpec.DEFAULT_NETWORK, List.of("web"), null)));
    // the live service keeps its own networks, and a weighted canary's copy shares no name
    assertThat(platform.deployed.get("shop").services().get("web").networks()).isEmpty();
  }

  @Test
  void aWeightedCanaryKeepsItsOwnNameForTheRouterToSplit() {
    deploy(shop("app:v1", canary(true)));
    platform.applied.clear();

    deploy(shop("app:v2", canary(true)));

    assertThat(
            platform.applied.stream()
                .map(s -> s.services().get("web-next"))
                .filter(java.util.Objects::nonNull))
        .isNotEmpty()
        .allSatisfy(next -> assertThat(next.networks()).isEmpty());
  }
}
