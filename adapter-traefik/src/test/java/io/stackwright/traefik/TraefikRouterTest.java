package io.stackwright.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UnsupportedFeatureException;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.routing.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraefikRouterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final List<OrchestratorEvent> events = new ArrayList<>();

  @Nested
  @DisplayName("file provider")
  class FileProvider {
    @TempDir Path dir;

    @Test
    @DisplayName("writes one YAML document per stack that validates against Traefik's schema")
    void writesValidYaml() throws Exception {
      TraefikRouter router =
          TraefikRouter.builder(TraefikProvider.FILE).directory(dir).clock(CLOCK).build();
      StackSpec stack = RoutedStacks.everything("shop");
      assertThat(router.validate(stack)).isEmpty();
      assertThat(router.prepare(stack)).isSameAs(stack);

      router.publish(stack, events::add);

      Path file = dir.resolve("shop.yml");
      Map<String, Object> written = readYaml(file);
      assertThat(TraefikSchemas.validateDynamic(written)).isEmpty();
      assertThat(written).isEqualTo(plainTree(router.dynamicConfiguration(stack)));
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files).containsExactly(file); // no temporary file left behind
      }
      assertThat(events)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo(EventType.ROUTES_PUBLISHED);
                assertThat(e.attributes())
                    .containsEntry("routes", "2")
                    .containsEntry("provider", "file");
              });
    }

    @Test
    @DisplayName("routes, services, middlewares and the weighted split, as Traefik reads them")
    @SuppressWarnings("unchecked")
    void documentContent() {
      TraefikRouter router = TraefikRouter.file(dir);
      Map<String, Object> http =
          (Map<String, Object>)
              router.dynamicConfiguration(RoutedStacks.everything("shop")).get("http");
      Map<String, Object> routers = (Map<String, Object>) http.get("routers");
      assertThat(routers).containsOnlyKeys("shop-web-main", "shop-web-canary");
      assertThat((Map<String, Object>) routers.get("shop-web-main"))
          .containsEntry("rule", "Host(`shop.example.com`) && PathPrefix(`/api`)")
          .containsEntry("entryPoints", List.of("websecure"))
          // the service's own label wins over the generated priority (10), as with labels
          .containsEntry("priority", 42L)
          .containsEntry("service", "shop-web")
          .containsEntry(
              "middlewares",
              List.of(
                  "shop-web-ratelimit",
                  "shop-web-cors",
                  "shop-web-auth",
                  "shop-web-office",
                  "shop-web-https",
                  "shop-web-strip",
                  "shop-web-retry",
                  "shop-web-breaker",
                  "shop-web-compress",
                  "auth@file"))
          .containsEntry(
              "tls",
              Map.of(
                  "certResolver",
                  "le",
                  "domains",
                  List.of(Map.of("main", "example.com", "sans", List.of("*.example.com")))));
      assertThat((Map<String, Object>) routers.get("shop-web-canary"))
          .containsEntry("service", "shop-web-canary-split")
          .containsEntry("tls", Map.of());
      Map<String, Object> services = (Map<String, Object>) http.get("services");
      assertThat(services)
          .containsEntry(
              "shop-web-canary-split",
              Map.of(
                  "weighted",
                  Map.of(
                      "services",
                      List.of(
                          Map.of("name", "shop-web", "weight", 90),
                          Map.of("name", "shop-web-canary", "weight", 10)))));
      assertThat(services.get("shop-web").toString())
          .contains(
              "url=http://web:8080",
              "secure=true",
              "httpOnly=true",
              "passHostHeader=false",
              "interval=10s",
              "timeout=3s");
      // The weight target gets a load balancer on the routed service's port.
      assertThat(services.get("shop-web-canary").toString()).contains("url=http://web-canary:8080");
      assertThat(services).doesNotContainKey("shop-db");
    }

    @Test
    @DisplayName("setWeights re-publishes the split with one call and reports TRAFFIC_SHIFTED")
    void setWeights() throws Exception {
      TraefikRouter router =
          TraefikRouter.builder(TraefikProvider.FILE).directory(dir).clock(CLOCK).build();
      router.publish(RoutedStacks.everything("shop"), events::add);

      router.setWeights("shop", "web/canary", Map.of("web", 0, "web-canary", 100), events::add);

      Map<String, Object> written = readYaml(dir.resolve("shop.yml"));
      assertThat(TraefikSchemas.validateDynamic(written)).isEmpty();
      assertThat(written.toString())
          .contains("{name=shop-web, weight=0}", "{name=shop-web-canary, weight=100}");
      OrchestratorEvent shifted = events.get(events.size() - 1);
      assertThat(shifted.type()).isEqualTo(EventType.TRAFFIC_SHIFTED);
      assertThat(shifted.timestamp()).isEqualTo(CLOCK.instant());
      assertThat(shifted.attributes())
          .containsEntry("route", "web/canary")
          .containsEntry("weights.web", "0")
          .containsEntry("weights.web-canary", "100");
      // A route that was not weighted can be split too: the file provider defines the split.
      router.setWeights("shop", "main", Map.of("web", 50, "web-canary", 50), events::add);
      assertThat(readYaml(dir.resolve("shop.yml")).toString()).contains("shop-web-main-split");
    }

    @Test
    @DisplayName("setWeights refuses unknown routes and services, negative or all-zero weights")
    void setWeightsRefusals() {
      TraefikRouter router = TraefikRouter.file(dir);
      router.publish(RoutedStacks.everything("shop"), events::add);
      assertThatThrownBy(() -> router.setWeights("shop", "nope", Map.of("web", 1), events::add))
          .hasMessageContaining("has no route or routed service 'nope'")
          .hasMessageContaining("web/main");
      assertThatThrownBy(
              () -> router.setWeights("shop", "canary", Map.of("web", 1, "ghost", 1), events::add))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("canary.weights.ghost: no such service");
      assertThatThrownBy(() -> router.setWeights("shop", "canary", Map.of("web", -1), events::add))
          .isInstanceOf(InvalidSpecException.class);
      assertThatThrownBy(() -> router.setWeights("shop", "canary", Map.of("web", 0), events::add))
          .hasMessageContaining("at least one weight must be above 0");
      assertThatThrownBy(() -> router.setWeights("other", "canary", Map.of("web", 1), events::add))
          .hasMessageContaining("no routes of stack other");
    }

    @Test
    @DisplayName("an unready replica leaves the servers list, a ready one joins it")
    @SuppressWarnings("unchecked")
    void readiness() throws Exception {
      TraefikRouter router = TraefikRouter.file(dir);
      router.publish(RoutedStacks.everything("shop"), events::add);
      router.readinessChanged("shop", "web", "10.0.1.5", true);
      router.readinessChanged("shop", "web", "10.0.1.6", true);
      assertThat(servers(readYaml(dir.resolve("shop.yml")), "shop-web"))
          .containsExactly("http://10.0.1.5:8080", "http://10.0.1.6:8080");

      router.readinessChanged("shop", "web", "10.0.1.5", false);

      Map<String, Object> written = readYaml(dir.resolve("shop.yml"));
      assertThat(servers(written, "shop-web")).containsExactly("http://10.0.1.6:8080");
      assertThat(TraefikSchemas.validateDynamic(written)).isEmpty();
    }

    @Test
    @DisplayName("withdraw deletes the stack's file and reports it")
    void withdraw() {
      TraefikRouter router = TraefikRouter.file(dir);
      router.publish(RoutedStacks.everything("shop"), events::add);
      router.withdraw("shop", events::add);
      assertThat(dir.resolve("shop.yml")).doesNotExist();
      assertThat(events.get(events.size() - 1).message()).contains("withdrawn");
    }
  }

  @Nested
  @DisplayName("HTTP provider")
  class HttpProvider {
    @Test
    @DisplayName("merges the documents of every published stack into one valid JSON document")
    void mergesStacks() throws Exception {
      TraefikRouter router = TraefikRouter.http();
      router.publish(RoutedStacks.everything("shop"), events::add);
      router.publish(
          RoutedStacks.simple("blog", Route.builder("www").host("blog.example.com").build()),
          events::add);
      Map<String, Object> document =
          new ObjectMapper().readValue(router.httpDocumentJson(), Map.class);
      assertThat(TraefikSchemas.validateDynamic(document)).isEmpty();
      assertThat(document.toString()).contains("shop-web-main", "blog-web-www");
      router.withdraw("blog", events::add);
      assertThat(router.httpDocumentJson())
          .doesNotContain("blog-web-www")
          .contains("shop-web-main");
    }
  }

  @Nested
  @DisplayName("label providers")
  class LabelProviders {
    @TempDir Path dir;

    @Test
    @DisplayName("Swarm: service labels that decode to a schema-valid tree, user labels kept")
    void swarmLabels() {
      TraefikRouter router = TraefikRouter.builder(TraefikProvider.SWARM).directory(dir).build();
      StackSpec stack = RoutedStacks.everything("shop");
      StackSpec prepared = router.prepare(stack);

      Map<String, String> web = prepared.service("web").deployLabels();
      assertThat(web)
          .containsEntry("traefik.enable", "true")
          .containsEntry("traefik.swarm.network", "shop_front")
          .containsEntry("traefik.http.services.shop-web.loadbalancer.server.port", "8080")
          .containsEntry(
              "traefik.http.routers.shop-web-canary.service", "shop-web-canary-split@file")
          // the user's own label wins over the generated priority (10)
          .containsEntry("traefik.http.routers.shop-web-main.priority", "42");
      assertThat(prepared.service("web").labels())
          .as("container labels untouched on Swarm")
          .isEqualTo(stack.service("web").labels());
      assertThat(prepared.service("web-canary").deployLabels())
          .as(
              "a weight target without routes gets no labels: Traefik would give it a default router")
          .isEmpty();
      assertThat(prepared.service("db").deployLabels()).isEmpty();

      Map<String, Object> decoded = TraefikSchemas.decodeLabels(web);
      assertThat(TraefikSchemas.validateDynamic(decoded)).isEmpty();
      assertThat(decoded.toString()).contains("sourceRange=[127.0.0.1/32, 192.168.1.7]");
    }

    @Test
    @DisplayName("Swarm: weighted services (and unrouted weight targets) go to the file provider")
    void weightedCompanion() throws Exception {
      TraefikRouter router = TraefikRouter.builder(TraefikProvider.SWARM).directory(dir).build();
      StackSpec stack = RoutedStacks.everything("shop");
      router.publish(router.prepare(stack), events::add);
      Map<String, Object> written = readYaml(dir.resolve("shop.yml"));
      assertThat(TraefikSchemas.validateDynamic(written)).isEmpty();
      assertThat(written.toString())
          .contains(
              "shop-web-canary-split",
              "name=shop-web@swarm, weight=90",
              "name=shop-web-canary, weight=10",
              "shop-web-canary={loadBalancer={servers=[{url=http://web-canary:8080}]}}");
      router.setWeights("shop", "canary", Map.of("web", 20, "web-canary", 80), events::add);
      assertThat(readYaml(dir.resolve("shop.yml")).toString())
          .contains("name=shop-web@swarm, weight=20");
      assertThatThrownBy(() -> router.setWeights("shop", "main", Map.of("web", 1), events::add))
          .isInstanceOf(UnsupportedFeatureException.class)
          .hasMessageContaining("declare weights on the route");
    }

    @Test
    @DisplayName(
        "blue-green on labels: routed through a split from the start, shifted to <service>-next")
    void sideBySideRollout() throws Exception {
      TraefikRouter router = TraefikRouter.builder(TraefikProvider.SWARM).directory(dir).build();
      StackSpec declared =
          RoutedStacks.simple("shop", Route.builder("main").host("shop.example.com").build());
      StackSpec stack =
          declared.toBuilder()
              .service(
                  declared.service("web").toBuilder()
                      .rollout(RolloutPolicy.builder(RolloutPolicy.Strategy.BLUE_GREEN).build())
                      .build())
              .build();
      StackSpec prepared = router.prepare(stack);
      assertThat(prepared.service("web").deployLabels())
          .containsEntry("traefik.http.routers.shop-web-main.service", "shop-web-main-split@file");
      router.publish(prepared, events::add);
      assertThat(readYaml(dir.resolve("shop.yml")).toString())
          .contains("name=shop-web@swarm, weight=100");

      router.setWeights("shop", "web", Map.of("web", 0, "web-next", 100), events::add);

      Map<String, Object> written = readYaml(dir.resolve("shop.yml"));
      assertThat(TraefikSchemas.validateDynamic(written)).isEmpty();
      assertThat(written.toString())
          .contains(
              "name=shop-web@swarm, weight=0",
              "name=shop-web-next, weight=100",
              "shop-web-next={loadBalancer={servers=[{url=http://web-next:8080}]}}");
      assertThatThrownBy(
              () -> router.setWeights("shop", "web", Map.of("web", 50, "api", 50), events::add))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("web-...");
    }

    @Test
    @DisplayName("a service whose rollouts move traffic needs the file directory with labels")
    void sideBySideNeedsDirectory() {
      StackSpec declared =
          RoutedStacks.simple("shop", Route.builder("main").host("shop.example.com").build());
      StackSpec stack =
          declared.toBuilder()
              .service(
                  declared.service("web").toBuilder()
                      .rollout(RolloutPolicy.builder(RolloutPolicy.Strategy.BLUE_GREEN).build())
                      .build())
              .build();
      assertThat(TraefikRouter.swarmLabels().validate(stack))
          .singleElement()
          .satisfies(
              p -> assertThat(p.path()).isEqualTo("services.web.x-stackwright.routing.routes[0]"));
    }

    @Test
    @DisplayName("Docker: container labels with traefik.docker.network")
    void dockerLabels() {
      TraefikRouter router = TraefikRouter.dockerLabels();
      StackSpec stack =
          RoutedStacks.simple("blog", Route.builder("www").host("blog.example.com").build());
      Map<String, String> labels = router.prepare(stack).service("web").labels();
      assertThat(labels)
          .containsEntry("traefik.docker.network", "blog_default")
          .containsEntry("traefik.http.routers.blog-web-www.rule", "Host(`blog.example.com`)")
          .containsEntry("traefik.http.routers.blog-web-www.service", "blog-web");
      assertThat(router.prepare(stack).service("web").deployLabels()).isEmpty();
      assertThat(TraefikSchemas.validateDynamic(TraefikSchemas.decodeLabels(labels))).isEmpty();
    }

    @Test
    @DisplayName("preparing twice gives the same stack (no redeploy on an unchanged stack)")
    void idempotent() {
      TraefikRouter router = TraefikRouter.builder(TraefikProvider.SWARM).directory(dir).build();
      StackSpec once = router.prepare(RoutedStacks.everything("shop"));
      assertThat(router.prepare(once)).isEqualTo(once);
    }

    @Test
    @DisplayName("weighted routes need a directory for the file provider")
    void weightedWithoutDirectory() {
      List<SpecProblem> problems =
          TraefikRouter.swarmLabels().validate(RoutedStacks.everything("shop"));
      assertThat(problems)
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.path())
                      .isEqualTo("services.web.x-stackwright.routing.routes[1].weights"));
    }
  }

  @Nested
  @DisplayName("refusals")
  class Refusals {
    @Test
    @DisplayName("a routed service attached only to internal networks")
    void internalOnly() {
      StackSpec stack =
          StackSpec.builder("shop")
              .network(RoutedStacks.internal("back"))
              .service(
                  ServiceSpec.builder("api", "stackwright/workload:test")
                      .network("back")
                      .routing(
                          RoutingPolicy.builder()
                              .port(8080)
                              .route(Route.builder("www").host("api.example.com").build())
                              .build())
                      .build())
              .build();
      List<SpecProblem> problems = TraefikRouter.http().validate(stack);
      assertThat(problems)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.path()).isEqualTo("services.api.x-stackwright.routing");
                assertThat(p.message()).contains("attached only to internal networks [back]");
              });
      assertThatThrownBy(() -> TraefikRouter.http().publish(stack, events::add))
          .isInstanceOf(InvalidSpecException.class);
      assertThat(events).isEmpty();
    }

    @Test
    @DisplayName("a route without TLS when the router or the stack demands TLS")
    void tlsDemanded() {
      StackSpec plain =
          RoutedStacks.simple("blog", Route.builder("www").host("blog.example.com").build());
      assertThat(TraefikRouter.http().validate(plain)).isEmpty();
      assertThat(
              TraefikRouter.builder(TraefikProvider.HTTP).requireTls(true).build().validate(plain))
          .singleElement()
          .satisfies(p -> assertThat(p.toString()).contains("routes[0]: route 'www' has no TLS"));
      StackSpec demanding =
          plain.toBuilder()
              .extension("x-stackwright", Map.of("routing", Map.of("require_tls", true)))
              .build();
      assertThat(TraefikRouter.http().validate(demanding)).hasSize(1);
      StackSpec secured =
          RoutedStacks.simple(
                  "blog",
                  Route.builder("www").host("blog.example.com").tls(Tls.resolver("le")).build())
              .toBuilder()
              .extension("x-stackwright", Map.of("routing", Map.of("require_tls", true)))
              .build();
      assertThat(TraefikRouter.http().validate(secured)).isEmpty();
    }

    @Test
    @DisplayName("an ambiguous port or network, an unknown weight target")
    void ambiguities() {
      StackSpec stack =
          StackSpec.builder("shop")
              .network(NetworkSpec.of("a"))
              .network(NetworkSpec.of("b"))
              .service(
                  ServiceSpec.builder("api", "stackwright/workload:test")
                      .network("a")
                      .network("b")
                      .routing(
                          RoutingPolicy.builder()
                              .route(
                                  Route.builder("www")
                                      .host("api.example.com")
                                      .weight("ghost", 1)
                                      .build())
                              .build())
                      .build())
              .build();
      assertThat(TraefikRouter.http().validate(stack))
          .extracting(SpecProblem::path)
          .containsExactly(
              "services.api.x-stackwright.routing.port",
              "services.api.x-stackwright.routing.network",
              "services.api.x-stackwright.routing.routes[0].weights.ghost");
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> servers(Map<String, Object> document, String service) {
    Map<String, Object> services =
        (Map<String, Object>) ((Map<String, Object>) document.get("http")).get("services");
    Map<String, Object> loadBalancer =
        (Map<String, Object>) ((Map<String, Object>) services.get(service)).get("loadBalancer");
    return ((List<Map<String, Object>>) loadBalancer.get("servers"))
        .stream().map(server -> (String) server.get("url")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readYaml(Path file) throws Exception {
    return new YAMLMapper().readValue(file.toFile(), Map.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plainTree(Map<String, Object> tree) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    return mapper.readValue(mapper.writeValueAsString(tree), Map.class);
  }
}
