package io.stackwright.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.state.StackState;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** The embedding API end to end: a stack built in code, on the real Swarm. */
class OrchestratorIT {
  private static final String STACK = "swapi";

  private final List<OrchestratorEvent> everyEvent = new CopyOnWriteArrayList<>();
  private Orchestrator orchestrator;

  @BeforeEach
  void start() {
    orchestrator = Orchestrator.builder().listener(everyEvent::add).build();
  }

  @AfterEach
  void stop() {
    orchestrator.remove(STACK, RemoveOptions.keepVolumes());
    orchestrator.close();
  }

  @Test
  void findsTheSwarmPlatformWithoutBeingTold() {
    assertThat(orchestrator.platformName()).isEqualTo("swarm");
  }

  @Test
  void deploysScalesAndRemovesAStackBuiltInCodeReportingEachStep() {
    StackSpec stack =
        StackSpec.builder(STACK)
            .network(
                new NetworkSpec(
                    "backend", null, null, null, true, false, false, List.of(), Map.of()))
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .replicas(2)
                    .network("backend")
                    .env("VERSION", "v1")
                    .healthcheck(
                        HealthcheckSpec.cmd("/server", "--probe")
                            .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, 3))
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();

    Deployment deployment =
        orchestrator.deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(3)));
    DeploymentResult result = deployment.await(Duration.ofMinutes(4));

    assertThat(result.succeeded()).as(result.message()).isTrue();
    List<EventType> types = deployment.events().stream().map(OrchestratorEvent::type).toList();
    assertThat(types)
        .startsWith(EventType.DEPLOYMENT_STARTED, EventType.PLAN_COMPUTED)
        .contains(
            EventType.RESOURCE_CREATED, EventType.TASK_STATE_CHANGED, EventType.SERVICE_CONVERGED)
        .endsWith(EventType.DEPLOYMENT_SUCCEEDED);
    assertThat(everyEvent).containsAll(deployment.events());
    StackState state = orchestrator.status(STACK);
    assertThat(state.service("web").orElseThrow().readyReplicas()).isEqualTo(2);
    assertThat(answersFromInsideTheStackNetwork(STACK + "_backend", "http://web:8080/"))
        .as("the service answers through Swarm's DNS on the stack's overlay network")
        .contains("version=v1");

    orchestrator.scale(STACK, "web", 3);
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> orchestrator.status(STACK).service("web").orElseThrow().readyReplicas() == 3);

    assertThat(orchestrator.plan(stack).changedServices())
        .as("scaled by hand, the service differs from the declared 2 replicas")
        .containsExactly("web");

    orchestrator.remove(STACK, RemoveOptions.keepVolumes());
    assertThat(orchestrator.status(STACK).isEmpty()).isTrue();
    assertThat(everyEvent).extracting(OrchestratorEvent::type).contains(EventType.STACK_REMOVED);
  }

  /**
   * Runs a one-shot client container on the stack's (attachable) overlay network. Testcontainers
   * starts it from the locally built image; nothing is pulled.
   */
  private static String answersFromInsideTheStackNetwork(String network, String url) {
    try (GenericContainer<?> client =
        new GenericContainer<>(DockerImageName.parse("stackwright/workload:test"))
            .withImagePullPolicy(image -> false)
            .withNetworkMode(network)
            .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("/bin/sh"))
            .withCommand("-c", "timeout 5 wget -q -O- " + url + "; sleep 30")
            .waitingFor(Wait.forLogMessage(".*version=.*\\n", 1))
            .withStartupTimeout(Duration.ofSeconds(30))) {
      client.start();
      return client.getLogs();
    }
  }

  @Test
  void anInconsistentStackIsRejectedBeforeAnythingIsWritten() {
    assertThatThrownBy(
            () ->
                StackSpec.builder(STACK)
                    .service(
                        ServiceSpec.builder("web", "stackwright/workload:test")
                            .network("missing")
                            .secret("nope")
                            .build())
                    .build())
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("services.web.networks[0]")
        .hasMessageContaining("services.web.secrets[0]");
    assertThat(orchestrator.status(STACK).isEmpty()).isTrue();
  }
}
