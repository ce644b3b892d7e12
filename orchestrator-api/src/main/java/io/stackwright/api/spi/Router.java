package io.stackwright.api.spi;

import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import java.util.List;
import java.util.Map;

/**
 * Routes traffic to a stack's services through a proxy (Traefik, or a third party's). Core calls it
 * around a deployment: {@link #validate} with the other checks before anything is written, {@link
 * #prepare} before planning (label-based providers add their labels to the services there), {@link
 * #publish} once the platform applied the stack, {@link #setWeights} when a strategy moves traffic
 * between two versions, and {@link #readinessChanged} when the health monitor sees a replica turn
 * ready or unready.
 */
public interface Router extends AutoCloseable {

  String name();

  /** Problems with the stack's routing (exposing an internal-only service, a route without TLS). */
  default List<SpecProblem> validate(StackSpec stack) {
    return List.of();
  }

  /** The stack as the platform must deploy it for this router (labels added). Pure. */
  StackSpec prepare(StackSpec stack);

  /** Publishes the stack's routes where the proxy reads them; nothing for label-based providers. */
  void publish(StackSpec stack, EventListener events);

  /**
   * Splits the traffic of the route named {@code route} between services by weight ({@code service
   * key -> weight}, weights need not add up to 100), reporting {@code TRAFFIC_SHIFTED}. {@code
   * route} may also name a routed service: then every route of that service is split. Blue-green
   * and canary rollouts call it so, with the service and its new version running beside it as
   * {@code <service>-next}, a service the stack does not declare, reached by its name on the
   * service's port.
   */
  void setWeights(String stack, String route, Map<String, Integer> weights, EventListener events);

  /**
   * A replica of {@code service} at {@code address} turned ready or unready. Routers whose proxy
   * can take single servers out of rotation do so; the default ignores it.
   */
  default void readinessChanged(String stack, String service, String address, boolean ready) {}

  /** Withdraws everything published for the stack. */
  void withdraw(String stack, EventListener events);

  @Override
  default void close() {}
}
