package io.stackwright.it.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.rollout.BlueGreenPolicy;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.traefik.TraefikProvider;
import io.stackwright.traefik.TraefikRouter;
import io.stackwright.traefik.TraefikSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blue-green through the shipped Traefik router on a real engine: the route goes through a weighted
 * service from the first deployment, the rollout runs the new version as {@code web-next}, switches
 * the split to it in the file provider's document, brings the live service to the new version and
 * switches back, every document valid against Traefik's schema. Traefik itself cannot run here; the
 * HAProxy tests prove the traffic side of the same strategy.
 */
class TraefikBlueGreenIT {
  private static final Duration WAIT = Duration.ofMinutes(4);

  @TempDir Path dynamic;
  private final String stack = RolloutStacks.name("tbg");
  private final List<String> documents = new CopyOnWriteArrayList<>();
  private Orchestrator orchestrator;

  @AfterEach
  void remove() {
    if (orchestrator != null) {
      orchestrator.remove(stack, RemoveOptions.withVolumes());
      orchestrator.close();
    }
  }

  private StackSpec version(String image) {
    return RolloutStacks.stack(
        stack,
        RolloutStacks.web(image, 2)
            .routing(
                RoutingPolicy.builder()
                    .port(8080)
                    .network("net")
                    .route(Route.builder("main").host("shop.example.com").build())
                    .build())
            .rollout(
                RolloutPolicy.builder(RolloutPolicy.Strategy.BLUE_GREEN)
                    .blueGreen(
                        new BlueGreenPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2), true))
                    .build())
            .build());
  }

  @Test
  void switchesTheTraefikSplitToTheNewVersionAndBack() throws Exception {
    TraefikRouter router = TraefikRouter.builder(TraefikProvider.DOCKER).directory(dynamic).build();
    Path document = dynamic.resolve(stack + ".yml");
    orchestrator =
        Orchestrator.builder()
            .platform("compose")
            .router(router)
            .listener(
                event -> {
                  if (event.type() == EventType.TRAFFIC_SHIFTED && Files.exists(document)) {
                    try {
                      documents.add(Files.readString(document));
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  }
                })
            .build();

    DeploymentResult v1 =
        orchestrator
            .deploy(version(RolloutStacks.IMAGE_V1), DeployOptions.waitingUpTo(WAIT))
            .await(WAIT);
    assertThat(v1.succeeded()).as(v1.message()).isTrue();
    assertThat(Files.readString(document)).contains("weight: 100");

    Deployment v2 =
        orchestrator.deploy(version(RolloutStacks.IMAGE_V2), DeployOptions.waitingUpTo(WAIT));
    DeploymentResult result = v2.await(WAIT);

    assertThat(result.outcome()).as(result.message()).isEqualTo(DeploymentResult.Outcome.SUCCEEDED);
    List<OrchestratorEvent> shifts =
        v2.events().stream().filter(e -> e.type() == EventType.TRAFFIC_SHIFTED).toList();
    assertThat(shifts)
        .as("switched to web-next, then back to web once it runs the new version")
        .anySatisfy(e -> assertThat(e.attributes()).containsEntry("weights.web-next", "100"))
        .anySatisfy(e -> assertThat(e.attributes()).containsEntry("weights.web", "100"));
    assertThat(documents).anySatisfy(d -> assertThat(d).contains("url: http://web-next:8080"));
    for (String written : documents) {
      Map<String, Object> tree =
          new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
              .readValue(written, new com.fasterxml.jackson.core.type.TypeReference<>() {});
      assertThat(TraefikSchemas.validateDynamic(tree)).as(written).isEmpty();
    }
    assertThat(
            orchestrator.status(stack).service("web").orElseThrow().currentTasks().stream()
                .allMatch(t -> t.isReady()))
        .isTrue();
    assertThat(orchestrator.status(stack).service("web-next")).isEmpty();
  }
}
