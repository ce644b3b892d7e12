package io.stackwright.traefik.internal;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a stack's routing and resolves, for each service the proxy must reach, the port and the
 * network it reaches it on. Problems name the service key path, like the platform's checks.
 */
public final class RoutingChecks {

  /** A service the proxy sends traffic to: the routed ones and the targets of weighted routes. */
  public record Target(ServiceSpec service, int port, String network) {}

  private final List<SpecProblem> problems = new ArrayList<>();
  private final Map<String, Target> targets = new LinkedHashMap<>();

  private RoutingChecks() {}

  /**
   * Checks {@code stack}.
   *
   * @param requireTls every route must terminate TLS
   * @param weightedAllowed whether the provider can define weighted services
   */
  public static RoutingChecks check(StackSpec stack, boolean requireTls, boolean weightedAllowed) {
    RoutingChecks checks = new RoutingChecks();
    boolean tlsDemanded = requireTls || StackRoutingSettings.requireTls(stack);
    for (ServiceSpec service : stack.services().values()) {
      if (!service.routing().isRouted()) {
        continue;
      }
      String at = "services." + service.name() + ".x-stackwright.routing";
      Integer port = checks.port(service, null, at);
      String network = checks.network(stack, service, at);
      if (port != null && network != null) {
        checks.targets.put(service.name(), new Target(service, port, network));
      }
      for (int i = 0; i < service.routing().routes().size(); i++) {
        Route route = service.routing().routes().get(i);
        String routeAt = at + ".routes[" + i + "]";
        if (tlsDemanded && route.tls() == null) {
          checks.problems.add(
              SpecProblem.at(
                  routeAt,
                  "route '"
                      + route.name()
                      + "' has no TLS, but the stack demands TLS on every route; add tls"
                      + " (with a cert resolver) to the route"));
        }
        if (DynamicConfig.splits(service, route) && !weightedAllowed) {
          checks.problems.add(
              SpecProblem.at(
                  route.weights().isEmpty() ? routeAt : routeAt + ".weights",
                  "Traefik cannot define weighted services in labels; give the router a file"
                      + " directory for them (TraefikRouter.Builder.weightedServicesDirectory)"));
        }
        route
            .weights()
            .keySet()
            .forEach(
                key -> {
                  ServiceSpec target = stack.services().get(key);
                  if (target == null) {
                    checks.problems.add(
                        SpecProblem.at(
                            routeAt + ".weights." + key,
                            "service '" + key + "' is not defined in the stack"));
                  } else if (!checks.targets.containsKey(key) && !target.routing().isRouted()) {
                    Integer targetPort = checks.port(target, port, routeAt + ".weights." + key);
                    String targetNetwork =
                        checks.network(stack, target, routeAt + ".weights." + key);
                    if (targetPort != null && targetNetwork != null) {
                      checks.targets.put(key, new Target(target, targetPort, targetNetwork));
                    }
                  }
                });
      }
    }
    return checks;
  }

  public List<SpecProblem> problems() {
    return List.copyOf(problems);
  }

  /** The resolved targets; throws the problems when there are any. */
  public Map<String, Target> targets() {
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    return targets;
  }

  private Integer port(ServiceSpec service, Integer fallback, String at) {
    if (service.routing().port() != null) {
      return service.routing().port();
    }
    List<Integer> published = service.ports().stream().map(PortSpec::target).distinct().toList();
    if (published.size() == 1) {
      return published.get(0);
    }
    if (fallback != null) {
      return fallback;
    }
    problems.add(
        SpecProblem.at(
            at + ".port",
            published.isEmpty()
                ? "the service publishes no port; say which port the proxy must use"
                : "the service publishes ports "
                    + published
                    + "; say which one the proxy must use"));
    return null;
  }

  private String network(StackSpec stack, ServiceSpec service, String at) {
    List<ServiceNetwork> attached = StackSpec.effectiveNetworks(service);
    String chosen = service.routing().network();
    if (chosen != null) {
      if (attached.stream().noneMatch(n -> n.network().equals(chosen))) {
        problems.add(
            SpecProblem.at(
                at + ".network",
                "the service is not attached to network '"
                    + chosen
                    + "'; it is attached to "
                    + attached.stream().map(ServiceNetwork::network).toList()));
        return null;
      }
      if (internal(stack, chosen)) {
        problems.add(
            SpecProblem.at(
                at + ".network",
                "network '" + chosen + "' is internal: the proxy cannot reach the service on it"));
        return null;
      }
      return engineName(stack, chosen);
    }
    List<String> reachable =
        attached.stream().map(ServiceNetwork::network).filter(n -> !internal(stack, n)).toList();
    if (reachable.isEmpty()) {
      problems.add(
          SpecProblem.at(
              at,
              "service '"
                  + service.name()
                  + "' is attached only to internal networks "
                  + attached.stream().map(ServiceNetwork::network).toList()
                  + ", so the proxy cannot reach it; attach it to a non-internal network as well"));
      return null;
    }
    if (reachable.size() > 1) {
      problems.add(
          SpecProblem.at(
              at + ".network",
              "the service is on several networks "
                  + reachable
                  + "; say which one the proxy uses"));
      return null;
    }
    return engineName(stack, reachable.get(0));
  }

  private static boolean internal(StackSpec stack, String key) {
    NetworkSpec network = stack.networks().get(key);
    return network != null && network.internal();
  }

  /** The name the engine knows the network by, as the proxy's provider must name it. */
  static String engineName(StackSpec stack, String key) {
    NetworkSpec network = stack.networks().get(key);
    return network != null && network.name() != null
        ? network.name()
        : stack.name() + "_" + Objects.requireNonNull(key);
  }
}
