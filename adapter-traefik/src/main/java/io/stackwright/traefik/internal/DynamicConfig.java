package io.stackwright.traefik.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.routing.LoadBalancer;
import io.stackwright.api.routing.Middleware;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.routing.Tls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Traefik v3 dynamic configuration (the tree the file provider reads as YAML and the HTTP
 * provider as JSON) for one stack. Label providers get the same tree with {@code
 * loadBalancer.server.port} instead of a servers list (Traefik fills in the replicas' addresses)
 * and without the weighted services, which Traefik only reads from the file and HTTP providers.
 */
public final class DynamicConfig {

  /** Where the services' servers come from. */
  public enum Servers {
    /** Labels: Traefik discovers the replicas itself; only the port is given. */
    DISCOVERED,
    /** File and HTTP providers: a servers list by URL. */
    LISTED
  }

  /** The state of a stack's routing that changes between deployments. */
  public interface Live {
    /** Weights set for a route ({@code service/route}) by {@code setWeights}, or {@code null}. */
    Map<String, Integer> weights(String routeKey);

    /** Ready replica addresses of a service, or {@code null} when none were reported. */
    List<String> readyAddresses(String service);

    Live NONE =
        new Live() {
          @Override
          public Map<String, Integer> weights(String routeKey) {
            return null;
          }

          @Override
          public List<String> readyAddresses(String service) {
            return null;
          }
        };
  }

  private DynamicConfig() {}

  /**
   * The dynamic configuration of {@code stack} for a provider whose servers come as {@code
   * servers}; {@code weightedProvider} is the provider suffix the label routers use to reference
   * weighted services defined elsewhere ({@code file}), ignored for {@link Servers#LISTED}.
   */
  public static Map<String, Object> build(
      StackSpec stack, Map<String, RoutingChecks.Target> targets, Servers servers, Live live) {
    return build(stack, targets, servers, live, key -> true);
  }

  /** Only the routers, middlewares and services of the services {@code include} accepts. */
  public static Map<String, Object> build(
      StackSpec stack,
      Map<String, RoutingChecks.Target> targets,
      Servers servers,
      Live live,
      java.util.function.Predicate<String> include) {
    Map<String, Object> routers = new LinkedHashMap<>();
    Map<String, Object> services = new LinkedHashMap<>();
    Map<String, Object> middlewares = new LinkedHashMap<>();
    targets.forEach(
        (key, target) -> {
          if (include.test(key)) {
            services.put(
                TraefikNames.service(stack.name(), key),
                Map.of("loadBalancer", loadBalancer(target, servers, live)));
          }
        });
    for (ServiceSpec service : stack.services().values()) {
      if (!include.test(service.name())) {
        continue;
      }
      List<String> own = new ArrayList<>();
      for (Middleware middleware : service.routing().middlewares()) {
        String name = TraefikNames.middleware(stack.name(), service, middleware.name());
        middlewares.put(name, MiddlewareTrees.of(middleware));
        own.add(name);
      }
      for (Route route : service.routing().routes()) {
        Map<String, Integer> weights = weights(service, route, live);
        String target;
        if (weights.isEmpty()) {
          target = TraefikNames.service(stack.name(), service.name());
        } else {
          target = TraefikNames.split(stack.name(), service, route);
          if (servers == Servers.LISTED) {
            services.put(target, weighted(stack.name(), weights, key -> ""));
            for (String key : weights.keySet()) {
              if (!targets.containsKey(key)) {
                services.put(
                    TraefikNames.service(stack.name(), key),
                    Map.of(
                        "loadBalancer",
                        loadBalancer(weightTarget(targets, service, key), servers, live)));
              }
            }
          } else {
            target += "@file";
          }
        }
        Map<String, Object> router = new LinkedHashMap<>();
        if (!route.entryPoints().isEmpty()) {
          router.put("entryPoints", route.entryPoints());
        }
        router.put("rule", route.rule());
        if (route.priority() > 0) {
          router.put("priority", route.priority());
        }
        List<String> chain = new ArrayList<>(own);
        chain.addAll(route.middlewares());
        if (!chain.isEmpty()) {
          router.put("middlewares", chain);
        }
        router.put("service", target);
        if (route.tls() != null) {
          router.put("tls", tls(route.tls()));
        }
        routers.put(TraefikNames.router(stack.name(), service, route), router);
      }
    }
    Map<String, Object> http = new LinkedHashMap<>();
    if (!routers.isEmpty()) {
      http.put("routers", routers);
    }
    if (!services.isEmpty()) {
      http.put("services", services);
    }
    if (!middlewares.isEmpty()) {
      http.put("middlewares", middlewares);
    }
    return http.isEmpty() ? Map.of() : Map.of("http", http);
  }

  /**
   * What label providers need from the file provider: the weighted services of the stack's routes,
   * referencing label-defined (routed) services as {@code name@provider} ({@code swarm} or {@code
   * docker}), and the load balancers of weight targets that have no routes of their own. Those get
   * no labels: Traefik would give a labelled service without a router a default router (its {@code
   * defaultRule}), exposing it without the route's middlewares. Empty when no route is weighted.
   */
  public static Map<String, Object> weightedServices(
      StackSpec stack, Map<String, RoutingChecks.Target> targets, String provider, Live live) {
    Map<String, Object> services = new LinkedHashMap<>();
    for (ServiceSpec service : stack.services().values()) {
      for (Route route : service.routing().routes()) {
        Map<String, Integer> weights = weights(service, route, live);
        if (weights.isEmpty()) {
          continue;
        }
        services.put(
            TraefikNames.split(stack.name(), service, route),
            weighted(
                stack.name(),
                weights,
                key ->
                    stack.services().containsKey(key)
                            && stack.services().get(key).routing().isRouted()
                        ? "@" + provider
                        : ""));
        weights
            .keySet()
            .forEach(
                key -> {
                  RoutingChecks.Target target = weightTarget(targets, service, key);
                  if (!target.service().routing().isRouted()) {
                    services.put(
                        TraefikNames.service(stack.name(), key),
                        Map.of("loadBalancer", loadBalancer(target, Servers.LISTED, Live.NONE)));
                  }
                });
      }
    }
    return services.isEmpty() ? Map.of() : Map.of("http", Map.of("services", services));
  }

  /**
   * The split of a route: as last set, else as declared; a service whose rollouts move traffic
   * (blue-green, weighted canary) is routed through a split from the start, all to itself, so that
   * a rollout can shift its traffic without redeploying labels.
   */
  private static Map<String, Integer> weights(ServiceSpec service, Route route, Live live) {
    Map<String, Integer> set = live.weights(TraefikNames.routeKey(service, route));
    if (set != null) {
      return set;
    }
    if (route.weights().isEmpty() && service.rollout().movesTraffic()) {
      return Map.of(service.name(), 100);
    }
    return route.weights();
  }

  /** Whether traffic of the service's routes goes through a weighted service. */
  public static boolean splits(ServiceSpec service, Route route) {
    return !route.weights().isEmpty() || service.rollout().movesTraffic();
  }

  /**
   * What a weight points at: a service of the stack, or else a copy of the route's owner that the
   * stack does not declare (the new version a side-by-side rollout runs beside it, {@code
   * <owner>-next}), reached by its name on the owner's port and network.
   */
  static RoutingChecks.Target weightTarget(
      Map<String, RoutingChecks.Target> targets, ServiceSpec owner, String key) {
    RoutingChecks.Target target = targets.get(key);
    if (target != null) {
      return target;
    }
    RoutingChecks.Target original = targets.get(owner.name());
    return new RoutingChecks.Target(
        owner.withName(key).toBuilder().routing(RoutingPolicy.NONE).build(),
        original.port(),
        original.network());
  }

  private static Map<String, Object> weighted(
      String stack,
      Map<String, Integer> weights,
      java.util.function.Function<String, String> suffix) {
    List<Object> list = new ArrayList<>();
    weights.forEach(
        (service, weight) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("name", TraefikNames.service(stack, service) + suffix.apply(service));
          entry.put("weight", weight);
          list.add(entry);
        });
    return Map.of("weighted", Map.of("services", list));
  }

  private static Map<String, Object> loadBalancer(
      RoutingChecks.Target target, Servers servers, Live live) {
    Map<String, Object> lb = new LinkedHashMap<>();
    if (servers == Servers.LISTED) {
      List<String> ready = live.readyAddresses(target.service().name());
      // Traefik's schema wants at least one server: with no replica known to be ready, the
      // service's DNS name stays, and requests fail as they would without a proxy.
      List<String> hosts =
          ready == null || ready.isEmpty() ? List.of(target.service().name()) : ready;
      lb.put(
          "servers",
          hosts.stream()
              .map(host -> (Object) Map.of("url", "http://" + host + ":" + target.port()))
              .toList());
    } else {
      lb.put("server", Map.of("port", target.port()));
    }
    LoadBalancer policy = target.service().routing().loadBalancer();
    if (policy.sticky() != null) {
      LoadBalancer.StickyCookie sticky = policy.sticky();
      Map<String, Object> cookie = new LinkedHashMap<>();
      if (sticky.name() != null) {
        cookie.put("name", sticky.name());
      }
      cookie.put("secure", sticky.secure());
      cookie.put("httpOnly", sticky.httpOnly());
      if (sticky.sameSite() != null) {
        cookie.put("sameSite", sticky.sameSite());
      }
      lb.put("sticky", Map.of("cookie", cookie));
    }
    if (!policy.passHostHeader()) {
      lb.put("passHostHeader", false);
    }
    if (policy.healthCheck() != null) {
      LoadBalancer.HealthCheck check = policy.healthCheck();
      Map<String, Object> hc = new LinkedHashMap<>();
      hc.put("path", check.path());
      if (check.port() != null) {
        hc.put("port", check.port());
      }
      if (check.interval() != null) {
        hc.put("interval", GoDurations.format(check.interval()));
      }
      if (check.timeout() != null) {
        hc.put("timeout", GoDurations.format(check.timeout()));
      }
      lb.put("healthCheck", hc);
    }
    return lb;
  }

  private static Map<String, Object> tls(Tls tls) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (tls.certResolver() != null) {
      out.put("certResolver", tls.certResolver());
    }
    if (!tls.domains().isEmpty()) {
      out.put(
          "domains",
          tls.domains().stream()
              .map(
                  d -> {
                    Map<String, Object> domain = new LinkedHashMap<>();
                    domain.put("main", d.main());
                    if (!d.sans().isEmpty()) {
                      domain.put("sans", d.sans());
                    }
                    return (Object) domain;
                  })
              .toList());
    }
    return out;
  }
}
