package io.stackwright.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.routing.Middleware;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The routing model's own checks (in orchestrator-api, which has no test dependencies). */
class RoutingModelTest {

  @Test
  @DisplayName("host and path shortcuts compose a Traefik rule")
  void ruleShortcuts() {
    assertThat(Route.builder("r").host("a.example").build().rule()).isEqualTo("Host(`a.example`)");
    assertThat(
            Route.builder("r")
                .host("a.example")
                .host("b.example")
                .pathPrefix("/api")
                .build()
                .rule())
        .isEqualTo("(Host(`a.example`) || Host(`b.example`)) && PathPrefix(`/api`)");
    assertThat(Route.builder("r").pathPrefix("/api").build().rule())
        .isEqualTo("PathPrefix(`/api`)");
    assertThatThrownBy(() -> Route.builder("r").build()).hasMessageContaining("needs a rule");
    assertThatThrownBy(() -> Route.builder("r").host("a`) || Host(`b"))
        .hasMessageContaining("without '`'");
  }

  @Test
  @DisplayName("basic auth refuses plain-text passwords and never shows hashes")
  void basicAuth() {
    assertThatThrownBy(
            () -> new Middleware.BasicAuth("auth", List.of("alice:s3cret-pass"), null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user 'alice'")
        .hasMessageContaining("plain-text passwords are refused")
        .hasMessageNotContaining("s3cret-pass");
    assertThatThrownBy(() -> new Middleware.BasicAuth("auth", List.of("nocolon"), null, false))
        .hasMessageContaining("user #1")
        .hasMessageNotContaining("nocolon");
    String bcrypt = "bob:$2y$05$" + "a".repeat(53);
    Middleware.BasicAuth auth =
        new Middleware.BasicAuth(
            "auth",
            List.of(RoutedStacks.HASHED_USER, bcrypt, "carol:{SHA}" + "b".repeat(27) + "="),
            null,
            false);
    assertThat(auth.toString())
        .contains("test:***", "bob:***")
        .doesNotContain("$apr1$", "$2y$", "{SHA}");
  }

  @Test
  @DisplayName("names must be unique and valid; ranges, prefixes and weights checked")
  void checks() {
    Route r = Route.builder("r").host("a.example").build();
    assertThatThrownBy(() -> RoutingPolicy.builder().route(r).route(r).build())
        .hasMessageContaining("two routes are named 'r'");
    assertThatThrownBy(
            () ->
                RoutingPolicy.builder()
                    .middleware(new Middleware.Compress("c"))
                    .middleware(new Middleware.Compress("c"))
                    .build())
        .hasMessageContaining("two middlewares");
    assertThatThrownBy(() -> new Middleware.Compress("Bad Name"))
        .hasMessageContaining("lower-case");
    assertThatThrownBy(() -> new Middleware.IpAllowList("ip", List.of("example.com")))
        .hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> new Middleware.StripPrefix("s", List.of("api")))
        .hasMessageContaining("starting with '/'");
    assertThatThrownBy(() -> Route.builder("r").host("a").weight("x", -1).build())
        .hasMessageContaining("must be 0 or more");
    assertThat(RoutingPolicy.NONE.isRouted()).isFalse();
  }
}
