package io.stackwright.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.spi.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Router}, as an abstract JUnit 5 suite. Every router subclasses it, third
 * parties' too; it needs no proxy and no engine (what a proxy does with the published routes is for
 * the router's own integration tests):
 *
 * <pre>{@code
 * class MyRouterCompatibilityTest extends RouterCompatibilityKit {
 *   protected Router createRouter() {
 *     return new MyRouter();
 *   }
 * }
 * }</pre>
 *
 * The stacks are {@link #routedStack}: override it where a router needs more (a TLS resolver, a
 * network) to route a service.
 */
public abstract class RouterCompatibilityKit {

  /** The router under test, created afresh for each test. */
  protected Router router;

  /** A stack name unique to the test. */
  protected String stack;

  /** Every event the router reported during the test. */
  protected final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();

  protected abstract Router createRouter();

  @BeforeEach
  void createRouterUnderTest() {
    router = createRouter();
    stack = "rck" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeRouter() {
    try {
      router.withdraw(stack, event -> {});
    } finally {
      router.close();
    }
  }

  /**
   * {@code web} routed by one route named {@code main} on port 8080, and {@code db}, not routed.
   * Rollouts split {@code web}'s traffic with {@code web-next}, its new version beside it.
   */
  protected StackSpec routedStack(String name) {
    return StackSpec.builder(name)
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .routing(
                    RoutingPolicy.builder()
                        .port(8080)
                        .route(
                            Route.builder("main")
                                .host(name + ".example.test")
                                .entryPoint("web")
                                .build())
                        .build())
                .build())
        .service(ServiceSpec.builder("db", "stackwright/workload:test").build())
        .build();
  }

  /** A stack whose services have no routes. */
  protected StackSpec unroutedStack(String name) {
    return StackSpec.builder(name)
        .service(ServiceSpec.builder("web", "stackwright/workload:test").build())
        .build();
  }

  /**
   * The routed service of {@link #routedStack} and the route of it that {@code setWeights} takes.
   */
  protected String routedService() {
    return "web";
  }

  protected String routeName() {
    return "main";
  }

  protected StackSpec published() {
    StackSpec spec = router.prepare(routedStack(stack));
    router.publish(spec, events::add);
    return spec;
  }

  private static Map<String, Integer> split(String a, int wa, String b, int wb) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put(a, wa);
    weights.put(b, wb);
    return weights;
  }

  @Nested
  @DisplayName("name and validation")
  class NameAndValidation {

    @Test
    @DisplayName("has a name to be chosen by")
    void hasAName() {
      assertThat(router.name()).isNotBlank();
    }

    @Test
    @DisplayName("finds no problem in a plainly routed stack or a stack without routes")
    void validStacks() {
      assertThat(router.validate(routedStack(stack))).isEmpty();
      assertThat(router.validate(unroutedStack(stack))).isEmpty();
    }
  }

  @Nested
  @DisplayName("prepare")
  class Prepare {

    @Test
    @DisplayName("is pure and idempotent, and keeps the stack's name, services and images")
    void pureAndIdempotent() {
      StackSpec spec = routedStack(stack);
      StackSpec once = router.prepare(spec);

      assertThat(router.prepare(spec)).as("same input, same output").isEqualTo(once);
      assertThat(router.prepare(once)).as("preparing twice changes nothing more").isEqualTo(once);
      assertThat(routedStack(stack)).as("the input is left alone").isEqualTo(spec);
      assertThat(once.name()).isEqualTo(stack);
      assertThat(once.services().keySet()).isEqualTo(spec.services().keySet());
      spec.services()
          .values()
          .forEach(s -> assertThat(once.service(s.name()).image()).isEqualTo(s.image()));
    }

    @Test
    @DisplayName("leaves a stack without routes as it is")
    void unrouted() {
      StackSpec spec = unroutedStack(stack);
      assertThat(router.prepare(spec)).isEqualTo(spec);
    }
  }

  @Nested
  @DisplayName("publish and withdraw")
  class PublishAndWithdraw {

    @Test
    @DisplayName("publishing again is allowed, and every event names the stack")
    void republish() {
      published();
      assertThatCode(this::publishAgain).doesNotThrowAnyException();
      router.withdraw(stack, events::add);

      assertThat(events).allSatisfy(e -> assertThat(e.stack()).isEqualTo(stack));
    }

    private void publishAgain() {
      router.publish(router.prepare(routedStack(stack)), events::add);
    }

    @Test
    @DisplayName("withdrawing is idempotent, also for a stack never published")
    void withdrawTwice() {
      router.withdraw(stack, events::add);
      published();
      router.withdraw(stack, events::add);
      router.withdraw(stack, events::add);
      assertThat(events).allSatisfy(e -> assertThat(e.stack()).isEqualTo(stack));
    }

    @Test
    @DisplayName("after withdraw the stack's routes are gone: weights cannot be set")
    void withdrawnRoutesAreGone() {
      published();
      router.withdraw(stack, events::add);
      assertThatThrownBy(
              () ->
                  router.setWeights(
                      stack,
                      routedService(),
                      split(routedService(), 50, routedService() + "-next", 50),
                      events::add))
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Nested
  @DisplayName("setWeights")
  class SetWeights {

    @Test
    @DisplayName(
        "splits a routed service's traffic with its -next copy and reports TRAFFIC_SHIFTED")
    void byService() {
      published();
      String web = routedService();

      router.setWeights(stack, web, split(web, 90, web + "-next", 10), events::add);
      router.setWeights(stack, web, split(web, 0, web + "-next", 100), events::add);

      assertThat(events)
          .filteredOn(e -> e.type() == EventType.TRAFFIC_SHIFTED)
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.stack()).isEqualTo(stack));
    }

    @Test
    @DisplayName("takes a route's name as well as a routed service's")
    void byRoute() {
      published();
      String web = routedService();
      router.setWeights(stack, routeName(), split(web, 75, web + "-next", 25), events::add);
      assertThat(events).anyMatch(e -> e.type() == EventType.TRAFFIC_SHIFTED);
    }

    @Test
    @DisplayName("of a stack not published is NotFound")
    void unpublished() {
      String web = routedService();
      assertThatThrownBy(
              () -> router.setWeights(stack, web, split(web, 50, web + "-next", 50), e -> {}))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("of a route or service the stack does not route is NotFound, naming it")
    void unknownRoute() {
      published();
      assertThatThrownBy(
              () -> router.setWeights(stack, "nosuch", split("web", 50, "web-next", 50), e -> {}))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("nosuch");
    }

    @Test
    @DisplayName("refuses, with every problem, weights all zero or naming unknown services")
    void badWeights() {
      published();
      String web = routedService();
      assertThatThrownBy(
              () -> router.setWeights(stack, web, split(web, 0, web + "-next", 0), e -> {}))
          .isInstanceOf(InvalidSpecException.class);
      assertThatThrownBy(
              () -> router.setWeights(stack, web, split(web, 50, "elsewhere", 50), e -> {}))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("elsewhere");
      assertThatThrownBy(
              () -> router.setWeights(stack, web, split(web, -1, web + "-next", 50), e -> {}))
          .isInstanceOf(InvalidSpecException.class);
      assertThat(events).noneMatch(e -> e.type() == EventType.TRAFFIC_SHIFTED);
    }
  }

  @Nested
  @DisplayName("readiness")
  class Readiness {

    @Test
    @DisplayName("accepts replicas turning ready and unready, for published and unknown stacks")
    void readinessChanges() {
      published();
      assertThatCode(
              () -> {
                router.readinessChanged(stack, routedService(), "10.0.0.7", true);
                router.readinessChanged(stack, routedService(), "10.0.0.7", false);
                router.readinessChanged(stack + "-unknown", "web", "10.0.0.8", true);
              })
          .doesNotThrowAnyException();
    }
  }
}
