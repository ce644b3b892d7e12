package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.LoadBalancer;
import io.stackwright.api.routing.Middleware;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.routing.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-stackwright.routing} of a service (docs/x-stackwright.md, "routing"). */
class RoutingExtensionTest {
  @TempDir Path dir;

  private TestProject project(String routingYaml) {
    return TestProject.in(dir)
        .file(
            "compose.yml",
            "services:\n  web:\n    image: busybox\n    x-stackwright:\n      routing:\n"
                + routingYaml.indent(8));
  }

  @Test
  @DisplayName("every key of the schema reaches the model")
  void fullPolicy() {
    ServiceSpec web =
        project(
                """
                port: 8080
                network: default
                routes:
                  main:
                    host: [shop.example.com, www.example.com]
                    path_prefix: /api
                    entry_points: websecure
                    priority: 10
                    middlewares: [auth@file]
                    tls:
                      cert_resolver: le
                      domains:
                        - main: example.com
                          sans: ["*.example.com"]
                  canary:
                    rule: Host(`canary.example.com`)
                    tls: true
                    weights: {web: 90, web-canary: 10}
                load_balancer:
                  sticky: {cookie: shop_session, same_site: lax}
                  pass_host_header: false
                  health_check: {path: /health, interval: 10s, timeout: 3s}
                middlewares:
                  limit: {rate_limit: {average: 100, burst: 50, period: 1m}}
                  cors:
                    headers:
                      request: {X-Script-Name: test}
                      allow_origins: [https://example.org]
                      allow_methods: [GET, PUT]
                      max_age: 100s
                  auth: {basic_auth: {users: ["test:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/"], realm: shop}}
                  office: {ip_allow_list: [127.0.0.1/32]}
                  https: {redirect_to_https: {permanent: true}}
                  strip: {strip_prefix: /api}
                  retry: {retry: {attempts: 4, initial_interval: 100ms}}
                  breaker: {circuit_breaker: "NetworkErrorRatio() > 0.5"}
                  gzip: {compress: true}
                """)
            .service();
    RoutingPolicy routing = web.routing();
    assertThat(routing.port()).isEqualTo(8080);
    assertThat(routing.network()).isEqualTo("default");
    assertThat(routing.routes())
        .containsExactly(
            new Route(
                "main",
                "(Host(`shop.example.com`) || Host(`www.example.com`)) && PathPrefix(`/api`)",
                List.of("websecure"),
                10,
                Tls.resolver("le").withDomain("example.com", "*.example.com"),
                List.of("auth@file"),
                Map.of()),
            new Route(
                "canary",
                "Host(`canary.example.com`)",
                List.of(),
                0,
                Tls.DEFAULT,
                List.of(),
                Map.of("web", 90, "web-canary", 10)));
    assertThat(routing.loadBalancer())
        .isEqualTo(
            new LoadBalancer(
                new LoadBalancer.StickyCookie("shop_session", true, true, "lax"),
                false,
                new LoadBalancer.HealthCheck(
                    "/health", null, Duration.ofSeconds(10), Duration.ofSeconds(3))));
    assertThat(routing.middlewares())
        .containsExactly(
            new Middleware.RateLimit("limit", 100, Duration.ofMinutes(1), 50),
            new Middleware.Headers(
                "cors",
                Map.of("X-Script-Name", "test"),
                Map.of(),
                List.of("https://example.org"),
                List.of("GET", "PUT"),
                List.of(),
                Duration.ofSeconds(100),
                false),
            new Middleware.BasicAuth(
                "auth", List.of("test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"), "shop", false),
            new Middleware.IpAllowList("office", List.of("127.0.0.1/32")),
            new Middleware.RedirectToHttps("https", true),
            new Middleware.StripPrefix("strip", List.of("/api")),
            new Middleware.Retry("retry", 4, Duration.ofMillis(100)),
            new Middleware.CircuitBreaker("breaker", "NetworkErrorRatio() > 0.5"),
            new Middleware.Compress("gzip"));
  }

  @Test
  @DisplayName("a service without routing is not routed")
  void absent() {
    ServiceSpec web =
        TestProject.in(dir)
            .file("compose.yml", "services:\n  web:\n    image: busybox\n")
            .service();
    assertThat(web.routing()).isEqualTo(RoutingPolicy.NONE);
  }

  @Test
  @DisplayName("unknown keys are problems at their line, with a suggestion")
  void unknownKeys() {
    assertThat(
            project(
                    """
                    routes:
                      main:
                        hots: a.example
                    """)
                .describedProblems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("compose.yml:8:")
                    .contains("services.web.x-stackwright.routing.routes.main.hots")
                    .contains("did you mean 'host'?"));
    assertThat(project("middlewares:\n  m: {gzip: true}\n").describedProblems())
        .anySatisfy(p -> assertThat(p).contains("routing.middlewares.m.gzip: unknown key 'gzip'"));
  }

  @Test
  @DisplayName("a plain-text basic-auth password is refused without being shown")
  void plainPassword() {
    String problem =
        project("middlewares:\n  auth: {basic_auth: {users: [\"alice:hunter2hunter2\"]}}\n")
            .problem();
    assertThat(problem)
        .contains("routing.middlewares.auth.basic_auth.users")
        .contains("user 'alice'")
        .contains("plain-text passwords are refused")
        .doesNotContain("hunter2");
  }

  @Test
  @DisplayName("wrong types and invalid values name the key")
  void invalidValues() {
    assertThat(
            project(
                    """
                    port: eighty
                    routes:
                      Main: {host: a.example}
                      other: {}
                      both: {rule: "Host(`a`)", host: b}
                    middlewares:
                      limit: {rate_limit: {burst: 5}}
                    """)
                .describedProblems())
        .anySatisfy(p -> assertThat(p).contains("routing.port: must be an integer"))
        .anySatisfy(
            p -> assertThat(p).contains("routes.Main: route name 'Main' must be lower-case"))
        .anySatisfy(p -> assertThat(p).contains("routes.other: route 'other' needs a rule"))
        .anySatisfy(p -> assertThat(p).contains("routes.both.rule: give either rule or host"))
        .anySatisfy(p -> assertThat(p).contains("rate_limit.average: average is required"));
  }

  @Test
  @DisplayName("the stack-level x-stackwright.routing stays in the stack's extensions")
  void stackLevel() {
    StackSpec stack =
        TestProject.in(dir)
            .file(
                "compose.yml",
                "x-stackwright:\n  routing:\n    require_tls: true\nservices:\n  web:\n    image: busybox\n")
            .load();
    assertThat(stack.extensions().get("x-stackwright"))
        .isEqualTo(Map.of("routing", Map.of("require_tls", true)));
  }
}
