package io.stackwright.it.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.routing.Middleware;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.routing.Tls;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import io.stackwright.traefik.TraefikProvider;
import io.stackwright.traefik.TraefikRouter;
import io.stackwright.traefik.TraefikSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A routed stack on the real Swarm through the Traefik router's Swarm provider: the labels on the
 * real services are the ones Traefik would read, and they decode to a configuration Traefik's
 * schema accepts. Traefik itself cannot run here.
 */
class RoutedStackIT {
  private static final String STACK = "routing-" + UUID.randomUUID().toString().substring(0, 6);

  @TempDir Path dynamic;
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private TraefikRouter router;
  private Orchestrator orchestrator;

  @BeforeEach
  void start() {
    router = TraefikRouter.builder(TraefikProvider.SWARM).directory(dynamic).build();
    orchestrator =
        Orchestrator.builder().platform("swarm").router(router).listener(events::add).build();
  }

  @AfterEach
  void stop() {
    try {
      orchestrator.remove(STACK, RemoveOptions.keepVolumes());
    } finally {
      orchestrator.close();
    }
  }

  @Test
  void deploysARoutedStackWhoseServicesCarryTheLabelsTraefikReads() throws Exception {
    StackSpec stack = stack(Tls.resolver("le"));

    DeploymentResult result =
        orchestrator
            .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(3)))
            .await(Duration.ofMinutes(4));
    assertThat(result.succeeded()).as(result.message()).isTrue();

    Map<String, String> web = traefikLabels(STACK + "_web");
    assertThat(web)
        .containsEntry("traefik.enable", "true")
        .containsEntry("traefik.swarm.network", STACK + "_front")
        .containsEntry("traefik.http.services." + STACK + "-web.loadbalancer.server.port", "8080")
        .containsEntry(
            "traefik.http.routers." + STACK + "-web-main.rule", "Host(`shop.example.com`)")
        .containsEntry("traefik.http.routers." + STACK + "-web-main.tls.certresolver", "le")
        .containsEntry(
            "traefik.http.routers." + STACK + "-web-canary.service",
            STACK + "-web-canary-split@file")
        .as("the user's own label is kept")
        .containsEntry("traefik.http.routers." + STACK + "-web-main.priority", "42");
    assertThat(web)
        .as("exactly the labels the router prepared, nothing lost on the way to the engine")
        .isEqualTo(traefikOnly(router.prepare(stack).service("web").deployLabels()));
    assertThat(TraefikSchemas.validateDynamic(TraefikSchemas.decodeLabels(web))).isEmpty();
    assertThat(traefikLabels(STACK + "_web-canary"))
        .as("the canary has no routes of its own: no labels, so Traefik makes no default router")
        .isEmpty();
    assertThat(
            Shell.docker(
                    "service",
                    "inspect",
                    STACK + "_web",
                    "--format",
                    "{{json .Spec.TaskTemplate.ContainerSpec.Labels}}")
                .out())
        .as("Swarm's provider reads service labels; the containers carry none of them")
        .doesNotContain("traefik.");

    Path weighted = dynamic.resolve(STACK + ".yml");
    assertThat(Files.readString(weighted))
        .contains(
            STACK + "-web-canary-split",
            "name: " + STACK + "-web@swarm",
            "weight: 90",
            "url: http://web-canary:8080");
    assertThat(events).extracting(OrchestratorEvent::type).contains(EventType.ROUTES_PUBLISHED);

    orchestrator
        .router()
        .setWeights(STACK, "canary", Map.of("web", 50, "web-canary", 50), events::add);
    assertThat(Files.readString(weighted)).contains("weight: 50").doesNotContain("weight: 90");
    assertThat(events).extracting(OrchestratorEvent::type).contains(EventType.TRAFFIC_SHIFTED);

    assertThat(orchestrator.plan(stack).isEmpty())
        .as("redeploying the same routed stack changes nothing")
        .isTrue();

    orchestrator.remove(STACK, RemoveOptions.keepVolumes());
    assertThat(weighted).doesNotExist();
  }

  @Test
  void refusesARouteWithoutTlsWhenTheStackDemandsItBeforeWritingAnything() {
    StackSpec stack =
        stack(null).toBuilder()
            .extension("x-stackwright", Map.of("routing", Map.of("require_tls", true)))
            .build();
    assertThatThrownBy(() -> orchestrator.deploy(stack, DeployOptions.noWait()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("route 'main' has no TLS");
    assertThat(
            Shell.docker(
                    "service", "ls", "--filter", "label=com.docker.stack.namespace=" + STACK, "-q")
                .out())
        .isBlank();
  }

  private static StackSpec stack(Tls tls) {
    HealthcheckSpec probe =
        HealthcheckSpec.cmd("/server", "--probe")
            .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, 3);
    return StackSpec.builder(STACK)
        .network(NetworkSpec.of("front"))
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .network("front")
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .healthcheck(probe)
                .deployLabel("traefik.http.routers." + STACK + "-web-main.priority", "42")
                .routing(
                    RoutingPolicy.builder()
                        .port(8080)
                        .route(Route.builder("main").host("shop.example.com").tls(tls).build())
                        .route(
                            Route.builder("canary")
                                .host("canary.example.com")
                                .tls(Tls.DEFAULT)
                                .weight("web", 90)
                                .weight("web-canary", 10)
                                .build())
                        .middleware(new Middleware.RateLimit("limit", 100, null, 50))
                        .middleware(new Middleware.Compress("gzip"))
                        .build())
                .build())
        .service(
            ServiceSpec.builder("web-canary", "stackwright/workload:v2")
                .network("front")
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .healthcheck(probe)
                .build())
        .build();
  }

  /**
   * The {@code traefik.*} labels of a real Swarm service, as {@code docker service inspect} shows
   * them.
   */
  private static Map<String, String> traefikLabels(String service) throws Exception {
    String json =
        Shell.docker("service", "inspect", service, "--format", "{{json .Spec.Labels}}").out();
    return traefikOnly(
        new ObjectMapper().readValue(json, new TypeReference<Map<String, String>>() {}));
  }

  /** Only the {@code traefik.*} labels. */
  static Map<String, String> traefikOnly(Map<String, String> labels) {
    Map<String, String> out = new TreeMap<>();
    labels.forEach(
        (k, v) -> {
          if (k.startsWith("traefik.")) {
            out.put(k, v);
          }
        });
    return out;
  }
}
