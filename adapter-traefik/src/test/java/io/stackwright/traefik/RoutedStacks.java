package io.stackwright.traefik;

import io.stackwright.api.NetworkSpec;
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

/** Stacks with routing for the tests: one uses every option the model has. */
public final class RoutedStacks {
  /** The htpasswd line of Traefik's documentation (user {@code test}, Apache MD5). */
  static final String HASHED_USER = "test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/";

  private RoutedStacks() {}

  static NetworkSpec internal(String key) {
    return new NetworkSpec(key, null, null, Map.of(), false, true, false, List.of(), Map.of());
  }

  /** web (every option, a weighted canary route), web-canary (a weight target), db (internal). */
  public static StackSpec everything(String stack) {
    RoutingPolicy routing =
        RoutingPolicy.builder()
            .port(8080)
            .network("front")
            .route(
                Route.builder("main")
                    .host("shop.example.com")
                    .pathPrefix("/api")
                    .entryPoint("websecure")
                    .priority(10)
                    .tls(Tls.resolver("le").withDomain("example.com", "*.example.com"))
                    .middleware("auth@file")
                    .build())
            .route(
                Route.builder("canary")
                    .host("canary.example.com")
                    .entryPoint("websecure")
                    .tls(Tls.DEFAULT)
                    .weight("web", 90)
                    .weight("web-canary", 10)
                    .build())
            .loadBalancer(
                LoadBalancer.DEFAULT
                    .withSticky(new LoadBalancer.StickyCookie("shop_session", true, true, "lax"))
                    .withPassHostHeader(false)
                    .withHealthCheck(
                        new LoadBalancer.HealthCheck(
                            "/health", null, Duration.ofSeconds(10), Duration.ofSeconds(3))))
            .middleware(new Middleware.RateLimit("ratelimit", 100, Duration.ofMinutes(1), 50))
            .middleware(
                new Middleware.Headers(
                    "cors",
                    Map.of("X-Script-Name", "test"),
                    Map.of("X-Custom-Response-Header", "value"),
                    List.of("https://foo.bar.org", "https://example.org"),
                    List.of("GET", "OPTIONS", "PUT"),
                    List.of("*"),
                    Duration.ofSeconds(100),
                    true))
            .middleware(new Middleware.BasicAuth("auth", List.of(HASHED_USER), "shop", true))
            .middleware(
                new Middleware.IpAllowList("office", List.of("127.0.0.1/32", "192.168.1.7")))
            .middleware(new Middleware.RedirectToHttps("https", true))
            .middleware(new Middleware.StripPrefix("strip", List.of("/api")))
            .middleware(new Middleware.Retry("retry", 4, Duration.ofMillis(100)))
            .middleware(new Middleware.CircuitBreaker("breaker", "LatencyAtQuantileMS(50.0) > 100"))
            .middleware(new Middleware.Compress("compress"))
            .build();
    return StackSpec.builder(stack)
        .network(NetworkSpec.of("front"))
        .network(internal("back"))
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .network("front")
                .network("back")
                .deployLabel("traefik.http.routers." + stack + "-web-main.priority", "42")
                .label("traefik.http.routers." + stack + "-web-main.priority", "43")
                .routing(routing)
                .build())
        .service(
            ServiceSpec.builder("web-canary", "stackwright/workload:v2").network("front").build())
        .service(ServiceSpec.builder("db", "stackwright/workload:test").network("back").build())
        .build();
  }

  /** One service, one plain route, on the default network. */
  static StackSpec simple(String stack, Route route) {
    return StackSpec.builder(stack)
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .routing(RoutingPolicy.builder().port(8080).route(route).build())
                .build())
        .build();
  }
}
