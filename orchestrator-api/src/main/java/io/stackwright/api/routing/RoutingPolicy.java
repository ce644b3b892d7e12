package io.stackwright.api.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How traffic reaches a service through a router ({@code x-stackwright.routing}). {@link #NONE}
 * when the service has none: a service without routes is not exposed.
 *
 * @param routes the requests that reach the service; empty for a service that is not routed
 * @param port the port the service listens on inside its containers, or {@code null} for the only
 *     published target port of the service
 * @param network the stack network the proxy reaches the service on, or {@code null} for the
 *     service's only non-internal network
 * @param loadBalancer how requests are spread over the service's replicas
 * @param middlewares applied, in this order, to every route of the service
 */
public record RoutingPolicy(
    List<Route> routes,
    Integer port,
    String network,
    LoadBalancer loadBalancer,
    List<Middleware> middlewares) {

  public static final RoutingPolicy NONE =
      new RoutingPolicy(List.of(), null, null, LoadBalancer.DEFAULT, List.of());

  public RoutingPolicy {
    routes = List.copyOf(routes == null ? List.of() : routes);
    middlewares = List.copyOf(middlewares == null ? List.of() : middlewares);
    loadBalancer = Objects.requireNonNullElse(loadBalancer, LoadBalancer.DEFAULT);
    if (port != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("routing port must be 1-65535, was " + port);
    }
    Set<String> names = new HashSet<>();
    for (Route route : routes) {
      if (!names.add(route.name())) {
        throw new IllegalArgumentException("two routes are named '" + route.name() + "'");
      }
    }
    names.clear();
    for (Middleware middleware : middlewares) {
      if (!names.add(middleware.name())) {
        throw new IllegalArgumentException("two middlewares are named '" + middleware.name() + "'");
      }
    }
  }

  /** Whether the service is exposed through the router at all. */
  public boolean isRouted() {
    return !routes.isEmpty();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RoutingPolicy}; every setter returns the builder. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private Integer port;
    private String network;
    private LoadBalancer loadBalancer = LoadBalancer.DEFAULT;
    private final List<Middleware> middlewares = new ArrayList<>();

    private Builder() {}

    public Builder route(Route route) {
      routes.add(Objects.requireNonNull(route, "route"));
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder network(String network) {
      this.network = network;
      return this;
    }

    public Builder loadBalancer(LoadBalancer loadBalancer) {
      this.loadBalancer = loadBalancer;
      return this;
    }

    public Builder middleware(Middleware middleware) {
      middlewares.add(Objects.requireNonNull(middleware, "middleware"));
      return this;
    }

    public RoutingPolicy build() {
      return new RoutingPolicy(routes, port, network, loadBalancer, middlewares);
    }
  }
}
