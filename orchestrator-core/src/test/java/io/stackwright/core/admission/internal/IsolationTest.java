package io.stackwright.core.admission.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.tenancy.PortRange;
import io.stackwright.api.tenancy.Tenant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IsolationTest {
  static final Map<String, String> OWNERS = Map.of("shop", "acme", "bank", "globex");

  static final Tenant ACME =
      Tenant.builder("acme")
          .host("*.acme.example")
          .host("acme.example")
          .hostPorts(new PortRange(8000, 8099))
          .sharedNetwork("platform_public")
          .build();

  static List<SpecProblem> check(StackSpec stack) {
    return Isolation.check(stack, ACME, s -> Optional.ofNullable(OWNERS.get(s)));
  }

  static ServiceSpec.Builder web() {
    return ServiceSpec.builder("web", "stackwright/workload:test");
  }

  @Test
  @DisplayName("networks: its own stacks' and shared ones allowed; another tenant's refused")
  void networks() {
    StackSpec allowed =
        StackSpec.builder("blog")
            .network(NetworkSpec.external("shopnet", "shop_default"))
            .network(NetworkSpec.external("public", "platform_public"))
            .network(NetworkSpec.of("own"))
            .service(web().network("shopnet").network("public").network("own"))
            .build();
    assertThat(check(allowed)).isEmpty();
    StackSpec foreign =
        StackSpec.builder("blog")
            .network(NetworkSpec.external("banknet", "bank_default"))
            .network(NetworkSpec.external("stray", "somewhere"))
            .service(web().network("banknet").network("stray"))
            .build();
    assertThat(check(foreign))
        .extracting(SpecProblem::path, SpecProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "networks.banknet",
                "network bank_default belongs to another tenant's stack; tenant acme may use only"
                    + " its own networks and those shared with it"),
            org.assertj.core.groups.Tuple.tuple(
                "networks.stray",
                "external network somewhere is not tenant acme's own (no stack of the tenant made"
                    + " it) nor shared with it"));
  }

  @Test
  @DisplayName("a network of its own named after another tenant's stack is refused")
  void squatting() {
    StackSpec squat =
        StackSpec.builder("blog")
            .network(
                new NetworkSpec(
                    "n", "bank_default", null, Map.of(), false, false, false, List.of(), Map.of()))
            .service(web().network("n"))
            .build();
    assertThat(check(squat)).singleElement().extracting(SpecProblem::path).isEqualTo("networks.n");
  }

  @Test
  @DisplayName("secrets: another tenant's external secret is invisible")
  void secrets() {
    StackSpec stack =
        StackSpec.builder("blog")
            .secret(SecretSpec.external("key", "bank_key"))
            .secret(SecretSpec.external("mine", "shop_key"))
            .service(web().secret("key").secret("mine"))
            .build();
    assertThat(check(stack))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("secrets.key");
              assertThat(p.message()).contains("secret bank_key belongs to another tenant");
            });
  }

  @Test
  @DisplayName("routes claim only granted hosts; no Host matcher and HostRegexp are refused")
  void routes() {
    StackSpec stack =
        StackSpec.builder("blog")
            .service(
                web()
                    .routing(
                        RoutingPolicy.builder()
                            .route(Route.builder("ok").host("blog.acme.example").build())
                            .route(Route.builder("apex").host("acme.example").build())
                            .route(Route.builder("theirs").host("bank.globex.example").build())
                            .route(Route.builder("all").pathPrefix("/").build())
                            .route(
                                Route.builder("regexp")
                                    .rule("HostRegexp(`^.+\\.example$`)")
                                    .build())
                            .port(8080)
                            .build())
                    .label("traefik.http.routers.sneaky.rule", "Host(`www.globex.example`)"))
            .build();
    assertThat(check(stack))
        .extracting(SpecProblem::path)
        .containsExactly(
            "services.web.x-stackwright.routing.routes.theirs",
            "services.web.x-stackwright.routing.routes.all",
            "services.web.x-stackwright.routing.routes.regexp",
            "services.web.labels.traefik.http.routers.sneaky.rule");
    assertThat(check(stack).get(0).message())
        .isEqualTo(
            "route theirs claims host bank.globex.example, which is not granted to tenant acme"
                + " (granted: *.acme.example, acme.example)");
    assertThat(ACME.mayClaimHost("evilacme.example")).isFalse();
  }

  @Test
  @DisplayName("host ports: only the granted ranges")
  void ports() {
    StackSpec stack =
        StackSpec.builder("blog")
            .service(web().port(PortSpec.host(8080, 80)).port(PortSpec.host(80, 81)))
            .build();
    assertThat(check(stack))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("services.web.ports[1]");
              assertThat(p.message()).contains("host port 80", "granted: [8000-8099]");
            });
  }
}
