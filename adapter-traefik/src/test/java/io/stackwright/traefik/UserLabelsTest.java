package io.stackwright.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own {@code traefik.http.*} labels reach the file and HTTP provider documents,
 * translated as Traefik's label providers read them, and merged with x-stackwright.routing.
 */
class UserLabelsTest {
  @TempDir Path dir;

  /** The way most Swarm stacks route today: labels under deploy.labels. */
  private static StackSpec labelled(String stack) {
    return StackSpec.builder(stack)
        .service(
            ServiceSpec.builder("whoami", "traefik/whoami")
                .deployLabel("traefik.enable", "true")
                .deployLabel("traefik.http.routers.whoami.rule", "Host(`whoami.example.com`)")
                .deployLabel("traefik.http.routers.whoami.entrypoints", "web,websecure")
                .deployLabel("traefik.http.routers.whoami.tls.certresolver", "le")
                .deployLabel("traefik.http.routers.whoami.middlewares", "auth@swarm,compress")
                .deployLabel("traefik.http.routers.whoami.priority", "5")
                .deployLabel("traefik.http.services.whoami.loadbalancer.server.port", "8080")
                .deployLabel("traefik.http.services.whoami.loadbalancer.sticky.cookie", "true")
                .deployLabel(
                    "traefik.http.middlewares.auth.basicauth.users", RoutedStacks.HASHED_USER)
                .deployLabel("traefik.http.middlewares.compress.compress", "true")
                .deployLabel(
                    "traefik.http.middlewares.compress-headers.headers.customresponseheaders.X-Frame-Options",
                    "DENY")
                .deployLabel("traefik.http.middlewares.strip.stripprefix.prefixes", "/a,/b")
                .build())
        .service(
            ServiceSpec.builder("api", "app")
                .port(PortSpec.of(9000))
                .label("traefik.http.routers.api.rule", "PathPrefix(`/api`)")
                .build())
        .service(
            ServiceSpec.builder("off", "app")
                .label("traefik.enable", "false")
                .label("traefik.http.routers.off.rule", "Host(`off`)")
                .build())
        .build();
  }

  @Test
  @DisplayName("the file provider's document holds the routers, services and middlewares")
  @SuppressWarnings("unchecked")
  void fileDocumentHasTheLabelsObjects() throws Exception {
    TraefikRouter router = TraefikRouter.file(dir);
    router.publish(labelled("shop"), e -> {});
    Map<String, Object> written =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readValue(Files.readString(dir.resolve("shop.yml")), Map.class);
    assertThat(TraefikSchemas.validateDynamic(written)).isEmpty();
    Map<String, Object> http = (Map<String, Object>) written.get("http");
    Map<String, Object> routers = (Map<String, Object>) http.get("routers");
    assertThat(routers.get("whoami"))
        .isEqualTo(
            Map.of(
                "rule",
                "Host(`whoami.example.com`)",
                "entryPoints",
                List.of("web", "websecure"),
                "tls",
                Map.of("certResolver", "le"),
                "middlewares",
                List.of("auth", "compress"),
                "priority",
                5,
                "service",
                "whoami"));
    // a router without a service, on a service whose labels define none: its own load balancer
    assertThat(routers.get("api"))
        .isEqualTo(Map.of("rule", "PathPrefix(`/api`)", "service", "shop-api"));
    assertThat(routers).doesNotContainKey("off");
    Map<String, Object> services = (Map<String, Object>) http.get("services");
    assertThat(services.get("whoami"))
        .isEqualTo(
            Map.of(
                "loadBalancer",
                Map.of(
                    "sticky", Map.of("cookie", Map.of()),
                    "servers", List.of(Map.of("url", "http://whoami:8080")))));
    assertThat(services.get("shop-api"))
        .isEqualTo(
            Map.of("loadBalancer", Map.of("servers", List.of(Map.of("url", "http://api:9000")))));
    Map<String, Object> middlewares = (Map<String, Object>) http.get("middlewares");
    assertThat(middlewares.get("auth"))
        .isEqualTo(Map.of("basicAuth", Map.of("users", List.of(RoutedStacks.HASHED_USER))));
    assertThat(middlewares.get("compress")).isEqualTo(Map.of("compress", Map.of()));
    assertThat(middlewares.get("compress-headers"))
        .isEqualTo(
            Map.of("headers", Map.of("customResponseHeaders", Map.of("X-Frame-Options", "DENY"))));
    assertThat(middlewares.get("strip"))
        .isEqualTo(Map.of("stripPrefix", Map.of("prefixes", List.of("/a", "/b"))));
  }

  @Test
  @DisplayName("the HTTP provider's document holds them too, merged with x-stackwright.routing")
  void httpDocumentMergesLabelsAndRouting() throws Exception {
    StackSpec stack = labelled("shop");
    StackSpec both =
        stack.toBuilder()
            .service(
                RoutedStacks.simple("shop", Route.builder("www").host("shop.example.com").build())
                    .service("web"))
            .build();
    TraefikRouter router = TraefikRouter.http();
    router.publish(both, e -> {});
    Map<?, ?> document = new ObjectMapper().readValue(router.httpDocumentJson(), Map.class);
    assertThat(TraefikSchemas.validateDynamic(document)).isEmpty();
    assertThat(document.toString()).contains("shop-web-www", "whoami", "compress-headers");
  }

  @Test
  @DisplayName("a service's own labels tune what its routing generates, as with label providers")
  @SuppressWarnings("unchecked")
  void ownLabelsOverrideOptions() {
    StackSpec routed =
        RoutedStacks.simple("shop", Route.builder("www").host("shop.example.com").build());
    StackSpec tuned =
        routed.toBuilder()
            .service(
                routed.service("web").toBuilder()
                    .label("traefik.http.routers.shop-web-www.priority", "42")
                    .label("traefik.http.services.shop-web.loadbalancer.passhostheader", "false")
                    .build())
            .build();
    Map<String, Object> document = TraefikRouter.file(dir).dynamicConfiguration(tuned);
    assertThat(TraefikSchemas.validateDynamic(document)).isEmpty();
    Map<String, Object> http = (Map<String, Object>) document.get("http");
    assertThat(
            (Map<String, Object>) ((Map<String, Object>) http.get("routers")).get("shop-web-www"))
        .containsEntry("priority", 42L)
        .containsEntry("rule", "Host(`shop.example.com`)")
        .containsEntry("service", "shop-web");
    assertThat(
            (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) http.get("services")).get("shop-web"))
                    .get("loadBalancer"))
        .containsEntry("passHostHeader", false)
        .containsEntry("servers", List.of(Map.of("url", "http://web:8080")));
  }

  @Test
  @DisplayName(
      "labels that redefine what another service's routing generates: an error naming both")
  void conflictNamesBoth() {
    StackSpec routed =
        RoutedStacks.simple("shop", Route.builder("www").host("shop.example.com").build());
    StackSpec clashing =
        routed.toBuilder()
            .service(
                ServiceSpec.builder("api", "app")
                    .port(PortSpec.of(80))
                    .label("traefik.http.routers.shop-web-www.rule", "Host(`other.example.com`)")
                    .build())
            .build();
    TraefikRouter router = TraefikRouter.file(dir);
    assertThat(router.validate(clashing).stream().map(SpecProblem::toString))
        .containsExactly(
            "services.api.labels.traefik.http.routers.shop-web-www.rule: router 'shop-web-www' is"
                + " defined differently by these labels and by"
                + " services.web.x-stackwright.routing.routes[0]; rename one of them");
    assertThatThrownBy(() -> router.publish(clashing, e -> {}))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("services.web.x-stackwright.routing.routes[0]");
    assertThat(dir.resolve("shop.yml")).doesNotExist();
    StackSpec kinds =
        routed.toBuilder()
            .service(
                routed.service("web").toBuilder()
                    .label("traefik.http.services.shop-web.weighted.services[0].name", "x")
                    .build())
            .build();
    assertThat(router.validate(kinds).stream().map(SpecProblem::toString))
        .containsExactly(
            "services.web.labels.traefik.http.services.shop-web.weighted.services[0].name: service"
                + " 'shop-web' would be both loadBalancer and weighted: these labels and"
                + " services.web.x-stackwright.routing define it as different kinds");
  }

  @Test
  @DisplayName("two services' labels defining one object differently is an error naming both")
  void twoServicesClash() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(
                ServiceSpec.builder("a", "app")
                    .port(PortSpec.of(80))
                    .label("traefik.http.middlewares.gzip.compress", "true")
                    .build())
            .service(
                ServiceSpec.builder("b", "app")
                    .port(PortSpec.of(80))
                    .label("traefik.http.middlewares.gzip.stripprefix.prefixes", "/b")
                    .build())
            .build();
    assertThat(TraefikRouter.file(dir).validate(stack).stream().map(SpecProblem::toString))
        .containsExactly(
            "services.b.labels.traefik.http.middlewares.gzip.stripprefix.prefixes: middleware"
                + " 'gzip' is defined differently by"
                + " services.a.labels.traefik.http.middlewares.gzip.compress; rename one of them");
  }

  @Test
  @DisplayName("an option Traefik does not have, or a wrong value, is reported at its label")
  void wrongOptions() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(
                ServiceSpec.builder("web", "app")
                    .deployLabel("traefik.http.routers.web.rulez", "Host(`x`)")
                    .deployLabel("traefik.http.services.web.loadbalancer.server.port", "http")
                    .deployLabel("traefik.http.bogus", "1")
                    .build())
            .build();
    assertThat(TraefikRouter.http().validate(stack).stream().map(SpecProblem::toString))
        .anyMatch(
            p ->
                p.startsWith(
                    "services.web.deploy.labels.traefik.http.routers.web.rulez: Traefik has no"
                        + " option 'rulez' in traefik.http.routers.web"))
        .anyMatch(
            p ->
                p.equals(
                    "services.web.deploy.labels.traefik.http.services.web.loadbalancer.server.port:"
                        + " traefik.http.services.web.loadbalancer.server.port must be an integer, not 'http'"))
        .anyMatch(
            p -> p.startsWith("services.web.deploy.labels.traefik.http.bogus: not a Traefik"));
  }

  @Test
  @DisplayName("the schema carried for decoding is Traefik's, byte for byte")
  void carriedSchemaIsThePinnedOne() throws Exception {
    byte[] carried =
        io.stackwright.traefik.internal.UserLabels.class
            .getResourceAsStream("traefik-v3-file-provider.json")
            .readAllBytes();
    assertThat(carried)
        .isEqualTo(
            Files.readAllBytes(
                TraefikSchemas.peerData().resolve("schemas/traefik-v3-file-provider.json")));
  }
}
