package io.stackwright.loader.internal;

import io.stackwright.api.routing.LoadBalancer;
import io.stackwright.api.routing.Middleware;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.routing.Tls;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code x-stackwright.routing} into a {@link RoutingPolicy} (schema: docs/x-stackwright.md,
 * "routing"). Every key is checked, so that a typo never silently drops a route or a middleware.
 */
final class RoutingPolicyReader extends NodeReader {
  private static final Set<String> POLICY =
      Set.of("port", "network", "routes", "load_balancer", "middlewares");
  private static final Set<String> ROUTE =
      Set.of(
          "rule",
          "host",
          "path_prefix",
          "entry_points",
          "priority",
          "tls",
          "middlewares",
          "weights");
  private static final Set<String> TLS = Set.of("cert_resolver", "domains");
  private static final Set<String> DOMAIN = Set.of("main", "sans");
  private static final Set<String> LOAD_BALANCER =
      Set.of("sticky", "pass_host_header", "health_check");
  private static final Set<String> STICKY = Set.of("cookie", "secure", "http_only", "same_site");
  private static final Set<String> HEALTH_CHECK = Set.of("path", "port", "interval", "timeout");
  private static final Set<String> MIDDLEWARE_TYPES =
      Set.of(
          "rate_limit",
          "headers",
          "basic_auth",
          "ip_allow_list",
          "redirect_to_https",
          "strip_prefix",
          "retry",
          "circuit_breaker",
          "compress");

  RoutingPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  RoutingPolicy read(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return RoutingPolicy.NONE;
    }
    unknownKeys(map, path, POLICY);
    RoutingPolicy.Builder policy = RoutingPolicy.builder();
    Integer port = integer(map.get("port"), child(path, "port"));
    if (port != null) {
      policy.port(port);
    }
    String network = string(map.get("network"), child(path, "network"));
    if (network != null) {
      policy.network(network);
    }
    MapNode routes = mapping(map.get("routes"), child(path, "routes"));
    if (routes != null) {
      for (Entry e : routes.entries().values()) {
        Route route = route(e, child(child(path, "routes"), e.key()));
        if (route != null) {
          policy.route(route);
        }
      }
    }
    if (map.has("load_balancer")) {
      LoadBalancer lb = loadBalancer(map.get("load_balancer"), child(path, "load_balancer"));
      if (lb != null) {
        policy.loadBalancer(lb);
      }
    }
    MapNode middlewares = mapping(map.get("middlewares"), child(path, "middlewares"));
    if (middlewares != null) {
      for (Entry e : middlewares.entries().values()) {
        Middleware middleware = middleware(e, child(child(path, "middlewares"), e.key()));
        if (middleware != null) {
          policy.middleware(middleware);
        }
      }
    }
    RoutingPolicy read = guard(node, path, policy::build);
    return read == null ? RoutingPolicy.NONE : read;
  }

  private Route route(Entry entry, String path) {
    MapNode map = mapping(entry.value(), path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, ROUTE);
    String rule = string(map.get("rule"), child(path, "rule"));
    List<String> hosts = strings(map.get("host"), child(path, "host"));
    String pathPrefix = string(map.get("path_prefix"), child(path, "path_prefix"));
    if (rule != null && (!hosts.isEmpty() || pathPrefix != null)) {
      problem(
          map.get("rule"), child(path, "rule"), "give either rule or host/path_prefix, not both");
      return null;
    }
    Tls tls = tls(map.get("tls"), child(path, "tls"));
    Map<String, Integer> weights = new LinkedHashMap<>();
    MapNode weightMap = mapping(map.get("weights"), child(path, "weights"));
    if (weightMap != null) {
      for (Entry e : weightMap.entries().values()) {
        Integer weight = nonNegative(e.value(), child(child(path, "weights"), e.key()));
        if (weight != null) {
          weights.put(e.key(), weight);
        }
      }
    }
    Integer priority = nonNegative(map.get("priority"), child(path, "priority"));
    List<String> entryPoints = strings(map.get("entry_points"), child(path, "entry_points"));
    List<String> refs = strings(map.get("middlewares"), child(path, "middlewares"));
    return guard(
        entry.value(),
        path,
        () -> {
          Route.Builder b = Route.builder(entry.key());
          if (rule != null) {
            b.rule(rule);
          }
          hosts.forEach(b::host);
          if (pathPrefix != null) {
            b.pathPrefix(pathPrefix);
          }
          entryPoints.forEach(b::entryPoint);
          if (priority != null) {
            b.priority(priority);
          }
          refs.forEach(b::middleware);
          weights.forEach(b::weight);
          return b.tls(tls).build();
        });
  }

  /** {@code tls: true} for the proxy's default certificate, or a mapping. */
  private Tls tls(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode) {
      Boolean on = bool(node, path);
      return Boolean.TRUE.equals(on) ? Tls.DEFAULT : null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, TLS);
    String resolver = string(map.get("cert_resolver"), child(path, "cert_resolver"));
    List<Tls.Domain> domains = new ArrayList<>();
    ListNode list = list(map.get("domains"), child(path, "domains"));
    if (list != null) {
      for (int i = 0; i < list.items().size(); i++) {
        String at = index(child(path, "domains"), i);
        Node item = list.items().get(i);
        if (item instanceof ScalarNode) {
          String main = string(item, at);
          if (main != null) {
            domains.add(new Tls.Domain(main, List.of()));
          }
          continue;
        }
        MapNode domain = mapping(item, at);
        if (domain != null) {
          unknownKeys(domain, at, DOMAIN);
          String main = requiredString(domain.get("main"), child(at, "main"), domain, "main");
          List<String> sans = strings(domain.get("sans"), child(at, "sans"));
          if (main != null) {
            domains.add(new Tls.Domain(main, sans));
          }
        }
      }
    }
    return new Tls(resolver, domains);
  }

  private LoadBalancer loadBalancer(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, LOAD_BALANCER);
    LoadBalancer lb = LoadBalancer.DEFAULT;
    Boolean passHost = bool(map.get("pass_host_header"), child(path, "pass_host_header"));
    if (passHost != null) {
      lb = lb.withPassHostHeader(passHost);
    }
    Node sticky = map.get("sticky");
    if (!isNull(sticky)) {
      String at = child(path, "sticky");
      if (sticky instanceof ScalarNode) {
        if (Boolean.TRUE.equals(bool(sticky, at))) {
          lb = lb.withSticky(LoadBalancer.StickyCookie.named(null));
        }
      } else {
        MapNode s = mapping(sticky, at);
        if (s != null) {
          unknownKeys(s, at, STICKY);
          String cookie = string(s.get("cookie"), child(at, "cookie"));
          Boolean secure = bool(s.get("secure"), child(at, "secure"));
          Boolean httpOnly = bool(s.get("http_only"), child(at, "http_only"));
          String sameSite = string(s.get("same_site"), child(at, "same_site"));
          LoadBalancer.StickyCookie c =
              guard(
                  sticky,
                  at,
                  () ->
                      new LoadBalancer.StickyCookie(
                          cookie,
                          secure == null || secure,
                          httpOnly == null || httpOnly,
                          sameSite));
          if (c != null) {
            lb = lb.withSticky(c);
          }
        }
      }
    }
    Node check = map.get("health_check");
    if (!isNull(check)) {
      String at = child(path, "health_check");
      MapNode h = mapping(check, at);
      if (h != null) {
        unknownKeys(h, at, HEALTH_CHECK);
        String checkPath = requiredString(h.get("path"), child(at, "path"), h, "path");
        Integer port = integer(h.get("port"), child(at, "port"));
        Duration interval = duration(h.get("interval"), child(at, "interval"));
        Duration timeout = duration(h.get("timeout"), child(at, "timeout"));
        if (checkPath != null) {
          LoadBalancer.HealthCheck hc =
              guard(
                  check,
                  at,
                  () -> new LoadBalancer.HealthCheck(checkPath, port, interval, timeout));
          if (hc != null) {
            lb = lb.withHealthCheck(hc);
          }
        }
      }
    }
    return lb;
  }

  private Middleware middleware(Entry entry, String path) {
    MapNode map = mapping(entry.value(), path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, MIDDLEWARE_TYPES);
    if (map.entries().size() != 1) {
      if (map.entries().isEmpty()) {
        problem(
            entry.value(),
            path,
            "needs one middleware type: "
                + String.join(", ", MIDDLEWARE_TYPES.stream().sorted().toList()));
      } else {
        problem(
            entry.value(),
            path,
            "give one middleware type per name, not " + map.entries().keySet());
      }
      return null;
    }
    Entry typed = map.entries().values().iterator().next();
    if (!MIDDLEWARE_TYPES.contains(typed.key())) {
      return null;
    }
    String name = entry.key();
    String at = child(path, typed.key());
    Node body = typed.value();
    switch (typed.key()) {
      case "rate_limit":
        {
          MapNode m = mapping(body, at);
          if (m == null) {
            return null;
          }
          unknownKeys(m, at, Set.of("average", "burst", "period"));
          Long average = longValue(m.get("average"), child(at, "average"));
          Long burst = longValue(m.get("burst"), child(at, "burst"));
          Duration period = duration(m.get("period"), child(at, "period"));
          if (average == null) {
            problem(m, child(at, "average"), "average is required");
            return null;
          }
          return guard(
              body,
              at,
              () ->
                  new Middleware.RateLimit(name, average, period, burst == null ? average : burst));
        }
      case "headers":
        {
          MapNode m = mapping(body, at);
          if (m == null) {
            return null;
          }
          unknownKeys(
              m,
              at,
              Set.of(
                  "request",
                  "response",
                  "allow_origins",
                  "allow_methods",
                  "allow_headers",
                  "max_age",
                  "allow_credentials"));
          Map<String, String> request = listOrMap(m.get("request"), child(at, "request"));
          Map<String, String> response = listOrMap(m.get("response"), child(at, "response"));
          List<String> origins = strings(m.get("allow_origins"), child(at, "allow_origins"));
          List<String> methods = strings(m.get("allow_methods"), child(at, "allow_methods"));
          List<String> headers = strings(m.get("allow_headers"), child(at, "allow_headers"));
          Duration maxAge = duration(m.get("max_age"), child(at, "max_age"));
          Boolean credentials = bool(m.get("allow_credentials"), child(at, "allow_credentials"));
          return guard(
              body,
              at,
              () ->
                  new Middleware.Headers(
                      name,
                      request,
                      response,
                      origins,
                      methods,
                      headers,
                      maxAge,
                      Boolean.TRUE.equals(credentials)));
        }
      case "basic_auth":
        {
          MapNode m = mapping(body, at);
          if (m == null) {
            return null;
          }
          unknownKeys(m, at, Set.of("users", "realm", "remove_header"));
          List<String> users = strings(m.get("users"), child(at, "users"));
          String realm = string(m.get("realm"), child(at, "realm"));
          Boolean remove = bool(m.get("remove_header"), child(at, "remove_header"));
          return guard(
              body,
              child(at, "users"),
              () -> new Middleware.BasicAuth(name, users, realm, Boolean.TRUE.equals(remove)));
        }
      case "ip_allow_list":
        {
          List<String> ranges;
          if (body instanceof MapNode m) {
            unknownKeys(m, at, Set.of("source_range"));
            ranges = strings(m.get("source_range"), child(at, "source_range"));
          } else {
            ranges = strings(body, at);
          }
          return guard(body, at, () -> new Middleware.IpAllowList(name, ranges));
        }
      case "redirect_to_https":
        {
          Boolean permanent;
          if (body instanceof MapNode m) {
            unknownKeys(m, at, Set.of("permanent"));
            permanent = bool(m.get("permanent"), child(at, "permanent"));
          } else {
            Boolean on = bool(body, at);
            if (!Boolean.TRUE.equals(on)) {
              return null;
            }
            permanent = null;
          }
          return guard(
              body, at, () -> new Middleware.RedirectToHttps(name, Boolean.TRUE.equals(permanent)));
        }
      case "strip_prefix":
        {
          List<String> prefixes = strings(body, at);
          return guard(body, at, () -> new Middleware.StripPrefix(name, prefixes));
        }
      case "retry":
        {
          MapNode m = mapping(body, at);
          if (m == null) {
            return null;
          }
          unknownKeys(m, at, Set.of("attempts", "initial_interval"));
          Integer attempts = integer(m.get("attempts"), child(at, "attempts"));
          Duration initial = duration(m.get("initial_interval"), child(at, "initial_interval"));
          if (attempts == null) {
            problem(m, child(at, "attempts"), "attempts is required");
            return null;
          }
          return guard(body, at, () -> new Middleware.Retry(name, attempts, initial));
        }
      case "circuit_breaker":
        {
          String expression;
          if (body instanceof MapNode m) {
            unknownKeys(m, at, Set.of("expression"));
            expression = string(m.get("expression"), child(at, "expression"));
          } else {
            expression = string(body, at);
          }
          return guard(body, at, () -> new Middleware.CircuitBreaker(name, expression));
        }
      default: // compress
        {
          Boolean on = isNull(body) ? Boolean.TRUE : bool(body, at);
          return Boolean.TRUE.equals(on)
              ? guard(body, at, () -> new Middleware.Compress(name))
              : null;
        }
    }
  }

  /** A string or a list of strings; empty when absent or of the wrong type (reported). */
  private List<String> strings(Node node, String path) {
    List<String> values = stringOrList(node, path);
    return values == null ? List.of() : values;
  }
}
