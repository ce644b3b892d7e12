package io.stackwright.core.internal;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.RouterProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's use of its {@link Router}, if it has one: checked with the platform's checks,
 * prepares the stack before planning, publishes after a successful apply, withdraws on removal.
 * Without a router every step does nothing, and routing settings of the stack are ignored.
 */
public final class Routing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Routing.class);
  private static final Routing NONE = new Routing(null);

  private final Router router;

  private Routing(Router router) {
    this.router = router;
  }

  public static Routing none() {
    return NONE;
  }

  public static Routing of(Router router) {
    return router == null ? NONE : new Routing(router);
  }

  /**
   * The router named {@code name} among the {@link RouterProvider}s on the class path; an error
   * naming the ones found when there is none by that name.
   */
  public static Routing discover(String name, Map<String, String> properties, ClassLoader loader) {
    List<String> found = new ArrayList<>();
    Iterator<RouterProvider> it = ServiceLoader.load(RouterProvider.class, loader).iterator();
    while (true) {
      RouterProvider provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        LOG.warn("A router provider failed to load and is ignored: {}", e.getMessage());
        continue;
      }
      if (provider.name().equals(name)) {
        LOG.info("Using router {} ({})", name, provider.getClass().getName());
        return of(provider.create(properties));
      }
      found.add(provider.name());
    }
    throw new OrchestratorException(
        "no router named '"
            + name
            + "' on the class path; found "
            + (found.isEmpty() ? "none (add adapter-traefik for 'traefik')" : found));
  }

  public List<SpecProblem> validate(StackSpec stack) {
    return router == null ? List.of() : router.validate(stack);
  }

  /** The stack as the platform must deploy it (labels of label-based routers added). */
  public StackSpec prepare(StackSpec stack) {
    return router == null ? stack : router.prepare(stack);
  }

  /** Publishes the routes once the deployment succeeded; returns {@code result} unchanged. */
  public DeploymentResult published(
      StackSpec stack, DeploymentResult result, EventListener events) {
    if (router != null && result.succeeded()) {
      router.publish(stack, events);
    }
    return result;
  }

  public void withdraw(String stack, EventListener events) {
    if (router != null) {
      router.withdraw(stack, events);
    }
  }

  /** The router, for strategies that move traffic; {@code null} without one. */
  public Router router() {
    return router;
  }

  @Override
  public void close() throws Exception {
    if (router != null) {
      router.close();
    }
  }
}
