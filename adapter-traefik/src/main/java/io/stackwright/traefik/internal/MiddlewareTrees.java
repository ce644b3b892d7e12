package io.stackwright.traefik.internal;

import io.stackwright.api.routing.Middleware;
import java.util.LinkedHashMap;
import java.util.Map;

/** Each middleware as Traefik's dynamic configuration spells it. */
final class MiddlewareTrees {
  private MiddlewareTrees() {}

  static Map<String, Object> of(Middleware middleware) {
    Map<String, Object> body = new LinkedHashMap<>();
    String type;
    if (middleware instanceof Middleware.RateLimit m) {
      body.put("average", m.average());
      if (m.period() != null) {
        body.put("period", GoDurations.format(m.period()));
      }
      body.put("burst", m.burst());
      type = "rateLimit";
    } else if (middleware instanceof Middleware.Headers m) {
      putIfNotEmpty(body, "customRequestHeaders", m.requestHeaders());
      putIfNotEmpty(body, "customResponseHeaders", m.responseHeaders());
      if (!m.allowOrigins().isEmpty()) {
        body.put("accessControlAllowOriginList", m.allowOrigins());
        putIfNotEmpty(body, "accessControlAllowMethods", m.allowMethods());
        putIfNotEmpty(body, "accessControlAllowHeaders", m.allowHeaders());
        if (m.maxAge() != null) {
          body.put("accessControlMaxAge", m.maxAge().toSeconds());
        }
        if (m.allowCredentials()) {
          body.put("accessControlAllowCredentials", true);
        }
        body.put("addVaryHeader", true);
      }
      type = "headers";
    } else if (middleware instanceof Middleware.BasicAuth m) {
      body.put("users", m.users());
      if (m.realm() != null) {
        body.put("realm", m.realm());
      }
      if (m.removeHeader()) {
        body.put("removeHeader", true);
      }
      type = "basicAuth";
    } else if (middleware instanceof Middleware.IpAllowList m) {
      body.put("sourceRange", m.sourceRange());
      type = "ipAllowList";
    } else if (middleware instanceof Middleware.RedirectToHttps m) {
      body.put("scheme", "https");
      if (m.permanent()) {
        body.put("permanent", true);
      }
      type = "redirectScheme";
    } else if (middleware instanceof Middleware.StripPrefix m) {
      body.put("prefixes", m.prefixes());
      type = "stripPrefix";
    } else if (middleware instanceof Middleware.Retry m) {
      body.put("attempts", m.attempts());
      if (m.initialInterval() != null) {
        body.put("initialInterval", GoDurations.format(m.initialInterval()));
      }
      type = "retry";
    } else if (middleware instanceof Middleware.CircuitBreaker m) {
      body.put("expression", m.expression());
      type = "circuitBreaker";
    } else if (middleware instanceof Middleware.Compress) {
      type = "compress";
    } else {
      throw new IllegalArgumentException("unknown middleware " + middleware.getClass());
    }
    return Map.of(type, body);
  }

  private static void putIfNotEmpty(Map<String, Object> body, String key, Object value) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      body.put(key, new java.util.TreeMap<>(map));
    } else if (value instanceof java.util.List<?> list && !list.isEmpty()) {
      body.put(key, list);
    }
  }
}
