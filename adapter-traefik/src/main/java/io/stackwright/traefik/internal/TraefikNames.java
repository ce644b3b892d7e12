package io.stackwright.traefik.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.routing.Route;

/**
 * Names of the Traefik objects generated for a stack. Every name starts with the stack's, so that
 * the documents of several stacks can share one provider without clashing.
 */
public final class TraefikNames {
  private TraefikNames() {}

  public static String service(String stack, String service) {
    return stack + "-" + service;
  }

  public static String router(String stack, ServiceSpec service, Route route) {
    return stack + "-" + service.name() + "-" + route.name();
  }

  public static String split(String stack, ServiceSpec service, Route route) {
    return router(stack, service, route) + "-split";
  }

  public static String middleware(String stack, ServiceSpec service, String middleware) {
    return stack + "-" + service.name() + "-" + middleware;
  }

  /** The key {@code setWeights} names a route by: {@code service/route}. */
  public static String routeKey(ServiceSpec service, Route route) {
    return service.name() + "/" + route.name();
  }
}
