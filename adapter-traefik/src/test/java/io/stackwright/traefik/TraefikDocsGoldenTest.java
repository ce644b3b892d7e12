package io.stackwright.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.LoadBalancer;
import io.stackwright.api.routing.Middleware;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.routing.Tls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The configuration examples of Traefik's documentation (doc.traefik.io: routers, services,
 * middlewares and the file provider's weighted services), rebuilt from Stackwright's model: the
 * generated labels and documents must say exactly what the documentation says, with Stackwright's
 * object names ({@code <stack>-<service>-<name>}) in place of the documentation's.
 */
class TraefikDocsGoldenTest {

  @Test
  @DisplayName("router labels: rule, entry points, priority, middlewares, TLS resolver and domains")
  void routerLabels() {
    Route route =
        Route.builder("myrouter")
            .rule("Host(`example.com`)")
            .entryPoint("web")
            .entryPoint("websecure")
            .priority(42)
            .middleware("auth")
            .middleware("prefix")
            .middleware("cb")
            .tls(
                Tls.resolver("myresolver")
                    .withDomain("example.org", "test.example.org", "dev.example.org"))
            .build();
    Map<String, String> labels =
        swarmLabels(service(RoutingPolicy.builder().port(80).route(route)));

    assertThat(objectLabels(labels, "routers", "t-app-myrouter", "myrouter"))
        .isEqualTo(
            Map.of(
                "traefik.http.routers.myrouter.rule", "Host(`example.com`)",
                "traefik.http.routers.myrouter.entrypoints", "web,websecure",
                "traefik.http.routers.myrouter.priority", "42",
                "traefik.http.routers.myrouter.middlewares", "auth,prefix,cb",
                "traefik.http.routers.myrouter.service", "t-app",
                "traefik.http.routers.myrouter.tls.certresolver", "myresolver",
                "traefik.http.routers.myrouter.tls.domains[0].main", "example.org",
                "traefik.http.routers.myrouter.tls.domains[0].sans",
                    "test.example.org,dev.example.org"));
  }

  @Test
  @DisplayName("router with default TLS: tls=true in labels, tls: {} in the file provider")
  void defaultTls() {
    Route route =
        Route.builder("app").host("example.com").entryPoint("websecure").tls(Tls.DEFAULT).build();
    RoutingPolicy.Builder policy = RoutingPolicy.builder().port(8080).route(route);
    assertThat(swarmLabels(service(policy)))
        .containsEntry("traefik.http.routers.t-app-app.tls", "true");
    TraefikRouter file = TraefikRouter.http();
    StackSpec stack = stack(service(policy));
    file.publish(stack, e -> {});
    file.readinessChanged("t", "app", "127.0.0.1", true);
    // doc.traefik.io, "Traefik File Routing Configuration": one router, one service.
    assertThat(file.httpDocument())
        .isEqualTo(
            Map.of(
                "http",
                Map.of(
                    "routers",
                    Map.of(
                        "t-app-app",
                        Map.of(
                            "rule",
                            "Host(`example.com`)",
                            "entryPoints",
                            List.of("websecure"),
                            "service",
                            "t-app",
                            "tls",
                            Map.of())),
                    "services",
                    Map.of(
                        "t-app",
                        Map.of(
                            "loadBalancer",
                            Map.of("servers", List.of(Map.of("url", "http://127.0.0.1:8080"))))))));
  }

  @Test
  @DisplayName("service labels: server port, sticky cookie, health check, pass host header")
  void serviceLabels() {
    LoadBalancer lb =
        LoadBalancer.DEFAULT
            .withSticky(new LoadBalancer.StickyCookie("foobar", true, true, "none"))
            .withPassHostHeader(false)
            .withHealthCheck(
                new LoadBalancer.HealthCheck(
                    "/foo", null, Duration.ofSeconds(10), Duration.ofSeconds(3)));
    Map<String, String> labels =
        swarmLabels(
            service(
                RoutingPolicy.builder()
                    .port(8080)
                    .loadBalancer(lb)
                    .route(Route.builder("r").host("example.com").build())));
    assertThat(objectLabels(labels, "services", "t-app", "myservice"))
        .isEqualTo(
            Map.of(
                "traefik.http.services.myservice.loadbalancer.server.port", "8080",
                "traefik.http.services.myservice.loadbalancer.passhostheader", "false",
                "traefik.http.services.myservice.loadbalancer.sticky.cookie.name", "foobar",
                "traefik.http.services.myservice.loadbalancer.sticky.cookie.secure", "true",
                "traefik.http.services.myservice.loadbalancer.sticky.cookie.httponly", "true",
                "traefik.http.services.myservice.loadbalancer.sticky.cookie.samesite", "none",
                "traefik.http.services.myservice.loadbalancer.healthcheck.path", "/foo",
                "traefik.http.services.myservice.loadbalancer.healthcheck.interval", "10s",
                "traefik.http.services.myservice.loadbalancer.healthcheck.timeout", "3s"));
  }

  @Test
  @DisplayName("sticky cookies are Secure and HttpOnly unless turned off")
  void stickyDefaults() {
    assertThat(LoadBalancer.StickyCookie.named("s"))
        .isEqualTo(new LoadBalancer.StickyCookie("s", true, true, null));
  }

  @Test
  @DisplayName("middleware labels: each example of the middlewares' pages")
  void middlewareLabels() {
    assertMiddleware(
        new Middleware.RateLimit("test-ratelimit", 100, null, 200),
        Map.of("ratelimit.average", "100", "ratelimit.burst", "200"));
    assertMiddleware(
        new Middleware.Headers(
            "testheader",
            Map.of(),
            Map.of(),
            List.of("https://foo.bar.org", "https://example.org"),
            List.of("GET", "OPTIONS", "PUT"),
            List.of("*"),
            Duration.ofSeconds(100),
            false),
        Map.of(
            "headers.accesscontrolallowmethods", "GET,OPTIONS,PUT",
            "headers.accesscontrolallowheaders", "*",
            "headers.accesscontrolalloworiginlist", "https://foo.bar.org,https://example.org",
            "headers.accesscontrolmaxage", "100",
            "headers.addvaryheader", "true"));
    assertMiddleware(
        new Middleware.Headers(
            "testheader",
            Map.of("X-Script-Name", "test"),
            Map.of("X-Custom-Response-Header", "value"),
            List.of(),
            List.of(),
            List.of(),
            null,
            false),
        Map.of(
            "headers.customrequestheaders.X-Script-Name", "test",
            "headers.customresponseheaders.X-Custom-Response-Header", "value"));
    assertMiddleware(
        new Middleware.BasicAuth(
            "test-auth",
            List.of(RoutedStacks.HASHED_USER, "test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0"),
            null,
            false),
        Map.of(
            "basicauth.users",
            "test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/,test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0"));
    assertMiddleware(
        new Middleware.IpAllowList("test-ipallowlist", List.of("127.0.0.1/32", "192.168.1.7")),
        Map.of("ipallowlist.sourcerange", "127.0.0.1/32,192.168.1.7"));
    assertMiddleware(
        new Middleware.RedirectToHttps("test-redirectscheme", true),
        Map.of("redirectscheme.scheme", "https", "redirectscheme.permanent", "true"));
    assertMiddleware(
        new Middleware.StripPrefix("test-stripprefix", List.of("/foobar", "/fiibar")),
        Map.of("stripprefix.prefixes", "/foobar,/fiibar"));
    assertMiddleware(
        new Middleware.Retry("test-retry", 4, Duration.ofMillis(100)),
        Map.of("retry.attempts", "4", "retry.initialinterval", "100ms"));
    assertMiddleware(
        new Middleware.CircuitBreaker("latency-check", "LatencyAtQuantileMS(50.0) > 100"),
        Map.of("circuitbreaker.expression", "LatencyAtQuantileMS(50.0) > 100"));
    assertMiddleware(new Middleware.Compress("test-compress"), Map.of("compress", "true"));
  }

  @Test
  @DisplayName("weighted services (file provider): appv1 weight 3, appv2 weight 1")
  @SuppressWarnings("unchecked")
  void weighted() {
    StackSpec stack =
        StackSpec.builder("t")
            .service(
                ServiceSpec.builder("app", "stackwright/workload:test")
                    .routing(
                        RoutingPolicy.builder()
                            .port(80)
                            .route(
                                Route.builder("app")
                                    .host("example.com")
                                    .weight("appv1", 3)
                                    .weight("appv2", 1)
                                    .build())
                            .build())
                    .build())
            .service(ServiceSpec.builder("appv1", "stackwright/workload:test").build())
            .service(ServiceSpec.builder("appv2", "stackwright/workload:v2").build())
            .build();
    Map<String, Object> services =
        (Map<String, Object>)
            ((Map<String, Object>) TraefikRouter.http().dynamicConfiguration(stack).get("http"))
                .get("services");
    assertThat(services.get("t-app-app-split"))
        .isEqualTo(
            Map.of(
                "weighted",
                Map.of(
                    "services",
                    List.of(
                        Map.of("name", "t-appv1", "weight", 3),
                        Map.of("name", "t-appv2", "weight", 1)))));
    assertThat(services.get("t-appv1"))
        .isEqualTo(
            Map.of("loadBalancer", Map.of("servers", List.of(Map.of("url", "http://appv1:80")))));
  }

  private static void assertMiddleware(Middleware middleware, Map<String, String> documented) {
    Map<String, String> labels =
        swarmLabels(
            service(
                RoutingPolicy.builder()
                    .port(80)
                    .middleware(middleware)
                    .route(Route.builder("r").host("example.com").build())));
    Map<String, String> expected = new TreeMap<>();
    documented.forEach(
        (option, value) ->
            expected.put("traefik.http.middlewares." + middleware.name() + "." + option, value));
    assertThat(objectLabels(labels, "middlewares", "t-app-" + middleware.name(), middleware.name()))
        .as(middleware.name())
        .isEqualTo(expected);
    assertThat(TraefikSchemas.validateDynamic(TraefikSchemas.decodeLabels(labels))).isEmpty();
  }

  /** The labels of one Traefik object, renamed to the documentation's name. */
  private static Map<String, String> objectLabels(
      Map<String, String> labels, String section, String generated, String documented) {
    String prefix = "traefik.http." + section + "." + generated + ".";
    String bare = "traefik.http." + section + "." + generated;
    Map<String, String> out = new TreeMap<>();
    labels.forEach(
        (key, value) -> {
          if (key.startsWith(prefix) || key.equals(bare)) {
            out.put(
                "traefik.http." + section + "." + documented + key.substring(bare.length()), value);
          }
        });
    return out;
  }

  private static ServiceSpec service(RoutingPolicy.Builder policy) {
    return ServiceSpec.builder("app", "stackwright/workload:test").routing(policy.build()).build();
  }

  private static StackSpec stack(ServiceSpec service) {
    return StackSpec.builder("t").service(service).build();
  }

  private static Map<String, String> swarmLabels(ServiceSpec service) {
    return TraefikRouter.swarmLabels().labels(stack(service)).get("app");
  }
}
