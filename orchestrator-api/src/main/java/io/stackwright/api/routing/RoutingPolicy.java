package io.stackwright.api.routing;

/**
 * Stackwright's how traffic reaches a service through a router. {@link #NONE} when the service has
 * none.
 */
public record RoutingPolicy() {
  public static final RoutingPolicy NONE = new RoutingPolicy();
}
