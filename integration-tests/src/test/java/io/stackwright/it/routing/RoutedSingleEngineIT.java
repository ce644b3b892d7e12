package io.stackwright.it.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.LoadBalancer;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import io.stackwright.traefik.TraefikProvider;
import io.stackwright.traefik.TraefikRouter;
import io.stackwright.traefik.TraefikSchemas;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A routed stack on a single engine through the Traefik router's Docker provider: every container
 * carries the labels Traefik's Docker provider reads.
 */
class RoutedSingleEngineIT {
  private static final String STACK = "routing-se-" + UUID.randomUUID().toString().substring(0, 6);

  private final TraefikRouter router = TraefikRouter.dockerLabels();
  private Orchestrator orchestrator;

  @BeforeEach
  void start() {
    orchestrator = Orchestrator.builder().platform("compose").router(router).build();
  }

  @AfterEach
  void stop() {
    try {
      orchestrator.remove(STACK, RemoveOptions.withVolumes());
    } finally {
      orchestrator.close();
    }
  }

  @Test
  void everyContainerCarriesTheDockerProvidersLabels() throws Exception {
    StackSpec stack =
        StackSpec.builder(STACK)
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .replicas(2)
                    .routing(
                        RoutingPolicy.builder()
                            .port(8080)
                            .loadBalancer(
                                LoadBalancer.DEFAULT.withSticky(
                                    LoadBalancer.StickyCookie.named("session")))
                            .route(Route.builder("www").host("blog.example.com").build())
                            .build())
                    .build())
            .build();

    DeploymentResult result =
        orchestrator
            .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
            .await(Duration.ofMinutes(3));
    assertThat(result.succeeded()).as(result.message()).isTrue();

    List<String> containers =
        Shell.docker(
                "ps",
                "-q",
                "--filter",
                "label=com.docker.compose.project=" + STACK,
                "--filter",
                "label=com.docker.compose.service=web")
            .out()
            .lines()
            .toList();
    assertThat(containers).hasSize(2);
    Map<String, String> expected =
        RoutedStackIT.traefikOnly(router.prepare(stack).service("web").labels());
    assertThat(expected)
        .containsEntry("traefik.docker.network", STACK + "_default")
        .containsEntry(
            "traefik.http.services." + STACK + "-web.loadbalancer.sticky.cookie.secure", "true");
    for (String container : containers) {
      String json = Shell.docker("inspect", container, "--format", "{{json .Config.Labels}}").out();
      Map<String, String> labels =
          RoutedStackIT.traefikOnly(
              new ObjectMapper().readValue(json, new TypeReference<Map<String, String>>() {}));
      assertThat(labels).isEqualTo(expected);
      assertThat(TraefikSchemas.validateDynamic(TraefikSchemas.decodeLabels(labels))).isEmpty();
    }
    assertThat(orchestrator.plan(stack).isEmpty())
        .as("an unchanged routed stack plans nothing")
        .isTrue();
  }

  @Test
  void findsTheTraefikRouterByNameConfiguredByProperties() {
    try (Orchestrator named =
        Orchestrator.builder()
            .platform("compose")
            .router("traefik")
            .property("traefik.provider", "docker")
            .property("traefik.require-tls", "true")
            .build()) {
      assertThat(named.router()).isInstanceOf(TraefikRouter.class);
      assertThat(((TraefikRouter) named.router()).provider()).isEqualTo(TraefikProvider.DOCKER);
      StackSpec plain =
          StackSpec.builder(STACK)
              .service(
                  ServiceSpec.builder("web", "stackwright/workload:test")
                      .routing(
                          RoutingPolicy.builder()
                              .port(8080)
                              .route(Route.builder("www").host("blog.example.com").build())
                              .build())
                      .build())
              .build();
      assertThatThrownBy(() -> named.plan(plain))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("has no TLS");
    }
  }
}
