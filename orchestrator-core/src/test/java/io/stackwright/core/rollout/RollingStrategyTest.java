package io.stackwright.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.spi.DeploymentStrategy;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.RolloutContext;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.state.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RollingStrategyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofSeconds(5));

  private final Clock clock = Clock.systemUTC();
  private final ScriptedPlatform platform = new ScriptedPlatform(clock);
  private final InMemoryStateStore store = new InMemoryStateStore();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private Orchestrator orchestrator =
      Orchestrator.builder().platform(platform).executor(executor).stateStore(store).build();

  @AfterEach
  void close() {
    orchestrator.close();
    executor.shutdownNow();
  }

  private static StackSpec shop(String image, RolloutPolicy rollout) {
    return StackSpec.builder("shop")
        .service(ServiceSpec.builder("web", image).replicas(3).rollout(rollout).build())
        .build();
  }

  private DeploymentResult deploy(StackSpec stack) {
    return orchestrator.deploy(stack, OPTIONS).await(WAIT);
  }

  private static List<EventType> types(Deployment deployment) {
    return deployment.events().stream().map(OrchestratorEvent::type).toList();
  }

  @Test
  void aHealthyNewVersionSucceedsAndBecomesTheLastHealthyRevision() {
    RolloutPolicy rolling = RolloutPolicy.rolling(Duration.ofMillis(300));
    assertThat(deploy(shop("app:v1", rolling)).outcome()).isEqualTo(Outcome.SUCCEEDED);

    Deployment second = orchestrator.deploy(shop("app:v2", rolling), OPTIONS);
    DeploymentResult result = second.await(WAIT);

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.message()).startsWith("revision 2:");
    assertThat(types(second))
        .contains(EventType.ROLLOUT_STEP)
        .doesNotContain(EventType.ROLLBACK_STARTED);
    assertThat(store.history("revisions", "shop", 10)).hasSize(2);
  }

  @Test
  void aCrashingVersionIsRolledBackToTheLastHealthyRevisionAndNotReportedAsSuccess() {
    RolloutPolicy rolling = RolloutPolicy.rolling(Duration.ofMillis(300));
    deploy(shop("app:v1", rolling));
    platform.crashing.add("app:bad");

    Deployment bad = orchestrator.deploy(shop("app:bad", rolling), OPTIONS);
    DeploymentResult result = bad.await(WAIT);

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.succeeded()).isFalse();
    assertThat(result.message())
        .contains("revision 2 was rolled back to revision 1")
        .contains("non-zero exit");
    assertThat(platform.deployed.get("shop").services().get("web").image()).isEqualTo("app:v1");
    assertThat(types(bad))
        .containsSubsequence(
            EventType.ROLLBACK_STARTED, EventType.ROLLBACK_COMPLETED, EventType.DEPLOYMENT_FAILED);
    OrchestratorEvent completed =
        bad.events().stream()
            .filter(e -> e.type() == EventType.ROLLBACK_COMPLETED)
            .findFirst()
            .orElseThrow();
    assertThat(completed.detail())
        .isInstanceOfSatisfying(
            EventDetail.RollbackCompleted.class,
            d -> assertThat(d.recovery().isNegative()).isFalse());
  }

  @Test
  void theRollbackTargetIsTheLastFullyHealthyRevisionNotThePreviousSpec() {
    RolloutPolicy rolling = RolloutPolicy.rolling(Duration.ofMillis(200));
    deploy(shop("app:v1", rolling));
    platform.crashing.add("app:bad1");
    platform.crashing.add("app:bad2");
    assertThat(deploy(shop("app:bad1", rolling)).outcome()).isEqualTo(Outcome.ROLLED_BACK);

    DeploymentResult result = deploy(shop("app:bad2", rolling));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("rolled back to revision 1");
    assertThat(platform.deployed.get("shop").services().get("web").image()).isEqualTo("app:v1");
  }

  @Test
  void aVersionThatTurnsUnhealthyDuringVerificationIsRolledBack() {
    RolloutPolicy rolling = RolloutPolicy.rolling(Duration.ofSeconds(3));
    deploy(shop("app:v1", RolloutPolicy.rolling(Duration.ZERO)));
    platform.degrading.add("app:slow-fail");

    DeploymentResult result = deploy(shop("app:slow-fail", rolling));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("verification failed").contains("unhealthy");
  }

  @Test
  void aFailedRolloutWithoutAnyHealthyRevisionFailsAndSaysSo() {
    platform.crashing.add("app:bad");

    DeploymentResult result = deploy(shop("app:bad", RolloutPolicy.rolling(Duration.ZERO)));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.message()).contains("no healthy revision to roll back to");
  }

  @Test
  void withoutAutoRollbackAFailedVersionStaysAndTheResultFails() {
    RolloutPolicy noRollback =
        RolloutPolicy.builder(RolloutPolicy.Strategy.ROLLING).autoRollback(false).build();
    deploy(shop("app:v1", noRollback));
    platform.crashing.add("app:bad");

    DeploymentResult result = deploy(shop("app:bad", noRollback));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(platform.deployed.get("shop").services().get("web").image()).isEqualTo("app:bad");
  }

  @Test
  void aFailingRolloutCheckDuringVerificationTriggersRollback() {
    orchestrator.close();
    orchestrator =
        Orchestrator.builder()
            .platform(platform)
            .executor(executor)
            .rolloutCheck(
                (stack, state) ->
                    stack.services().get("web").image().equals("app:v2")
                        ? Optional.of("probe GET /health answered 503")
                        : Optional.empty())
            .build();
    RolloutPolicy rolling = RolloutPolicy.rolling(Duration.ofMillis(500));
    deploy(shop("app:v1", rolling));

    DeploymentResult result = deploy(shop("app:v2", rolling));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("probe GET /health answered 503");
  }

  @Test
  void aManualRollbackReturnsToTheLastHealthyRevision() {
    RolloutPolicy noRollback =
        RolloutPolicy.builder(RolloutPolicy.Strategy.ROLLING).autoRollback(false).build();
    deploy(shop("app:v1", noRollback));
    platform.crashing.add("app:bad");
    deploy(shop("app:bad", noRollback));

    Deployment rollback = orchestrator.rollback("shop", OPTIONS);

    assertThat(rollback.await(WAIT).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(types(rollback)).contains(EventType.ROLLBACK_COMPLETED);
    assertThat(platform.deployed.get("shop").services().get("web").image()).isEqualTo("app:v1");
  }

  @Test
  void aManualRollbackWithoutAHealthyRevisionIsRefused() {
    assertThatThrownBy(() -> orchestrator.rollback("nothing", OPTIONS))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no revision of stack nothing that deployed successfully");
  }

  @Test
  void aRegisteredStrategyReplacesTheBuiltInOneOfTheSameName() {
    orchestrator.close();
    orchestrator =
        Orchestrator.builder()
            .platform(platform)
            .executor(executor)
            .strategy(
                new DeploymentStrategy() {
                  @Override
                  public String name() {
                    return "rolling";
                  }

                  @Override
                  public List<SpecProblem> validate(
                      StackSpec stack, Platform on, boolean hasRouter) {
                    return List.of(
                        SpecProblem.at("services.web", "refused by the custom strategy"));
                  }

                  @Override
                  public DeploymentResult execute(RolloutContext context) {
                    throw new AssertionError("never run");
                  }
                })
            .build();

    assertThatThrownBy(
            () ->
                orchestrator.deploy(shop("app:v1", RolloutPolicy.rolling(Duration.ZERO)), OPTIONS))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("refused by the custom strategy");
    assertThat(platform.applied).isEmpty();
  }

  @Test
  void servicesOfOneStackCannotMixStrategies() {
    StackSpec mixed =
        StackSpec.builder("shop")
            .service(
                ServiceSpec.builder("a", "app:v1")
                    .rollout(RolloutPolicy.rolling(Duration.ZERO))
                    .build())
            .service(
                ServiceSpec.builder("b", "app:v1")
                    .rollout(RolloutPolicy.builder(RolloutPolicy.Strategy.BLUE_GREEN).build())
                    .build())
            .build();

    assertThatThrownBy(() -> orchestrator.plan(mixed))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("one rollout strategy");
  }

  @Test
  void aPlainDeploymentIsRememberedAsARollbackTarget() {
    deploy(shop("app:v1", RolloutPolicy.NONE));
    platform.crashing.add("app:bad");

    DeploymentResult result = deploy(shop("app:bad", RolloutPolicy.rolling(Duration.ZERO)));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(platform.deployed.get("shop").services().get("web").image()).isEqualTo("app:v1");
  }
}
