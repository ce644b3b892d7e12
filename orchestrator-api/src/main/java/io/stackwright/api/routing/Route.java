package io.stackwright.api.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One way requests reach a service: a Traefik router.
 *
 * @param name unique among the service's routes; part of the router's name
 * @param rule the matcher, in Traefik's v3 rule syntax ({@code Host(`a.example`) &&
 *     PathPrefix(`/api`)})
 * @param entryPoints the proxy's entry points the route listens on; empty for all of them
 * @param priority 0 for Traefik's default (longest rule first)
 * @param tls terminate TLS on this route, or {@code null} for plain HTTP
 * @param middlewares references to middlewares defined outside the stack ({@code auth@file}),
 *     applied after the service's own
 * @param weights when not empty, the route's traffic is split between services of the same stack by
 *     weight ({@code service key -> weight}): canary and blue-green
 */
public record Route(
    String name,
    String rule,
    List<String> entryPoints,
    int priority,
    Tls tls,
    List<String> middlewares,
    Map<String, Integer> weights) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  public Route {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "route name '" + name + "' must be lower-case letters, digits or '-'");
    }
    if (rule == null || rule.isBlank()) {
      throw new IllegalArgumentException("route '" + name + "' needs a rule, a host or a path");
    }
    if (priority < 0) {
      throw new IllegalArgumentException("route '" + name + "': priority cannot be negative");
    }
    entryPoints = List.copyOf(entryPoints == null ? List.of() : entryPoints);
    middlewares = List.copyOf(middlewares == null ? List.of() : middlewares);
    weights =
        weights == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    weights.forEach(
        (service, weight) -> {
          if (weight == null || weight < 0) {
            throw new IllegalArgumentException(
                "route '" + name + "': weight of " + service + " must be 0 or more");
          }
        });
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link Route}; {@link #host} and {@link #pathPrefix} compose the rule. */
  public static final class Builder {
    private final String name;
    private String rule;
    private final List<String> hosts = new ArrayList<>();
    private String pathPrefix;
    private final List<String> entryPoints = new ArrayList<>();
    private int priority;
    private Tls tls;
    private final List<String> middlewares = new ArrayList<>();
    private final Map<String, Integer> weights = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** A full Traefik rule; overrides {@link #host} and {@link #pathPrefix}. */
    public Builder rule(String rule) {
      this.rule = rule;
      return this;
    }

    /** Matches requests for this host; several hosts are alternatives. */
    public Builder host(String host) {
      hosts.add(checkedLiteral(host, "host"));
      return this;
    }

    /** Matches requests whose path starts with {@code prefix}. */
    public Builder pathPrefix(String prefix) {
      this.pathPrefix = checkedLiteral(prefix, "path");
      return this;
    }

    public Builder entryPoint(String entryPoint) {
      entryPoints.add(entryPoint);
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder tls(Tls tls) {
      this.tls = tls;
      return this;
    }

    public Builder middleware(String reference) {
      middlewares.add(reference);
      return this;
    }

    public Builder weight(String service, int weight) {
      weights.put(service, weight);
      return this;
    }

    public Route build() {
      return new Route(
          name,
          rule == null ? composedRule() : rule,
          entryPoints,
          priority,
          tls,
          middlewares,
          weights);
    }

    private String composedRule() {
      List<String> parts = new ArrayList<>();
      if (!hosts.isEmpty()) {
        parts.add(String.join(" || ", hosts.stream().map(h -> "Host(`" + h + "`)").toList()));
        if (hosts.size() > 1 && pathPrefix != null) {
          parts.set(0, "(" + parts.get(0) + ")");
        }
      }
      if (pathPrefix != null) {
        parts.add("PathPrefix(`" + pathPrefix + "`)");
      }
      return parts.isEmpty() ? null : String.join(" && ", parts);
    }

    private static String checkedLiteral(String value, String what) {
      if (value == null || value.isBlank() || value.contains("`")) {
        throw new IllegalArgumentException(
            what + " '" + value + "' must be non-empty, without '`'");
      }
      return value;
    }
  }
}
