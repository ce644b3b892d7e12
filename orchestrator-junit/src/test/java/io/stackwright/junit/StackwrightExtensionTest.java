package io.stackwright.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.testing.InMemoryPlatform;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension's life cycle, on the in-memory platform (no engine): the example classes below are
 * run through JUnit's test kit, and what they leave on the platform is checked afterwards.
 */
class StackwrightExtensionTest {
  static final List<String> NAMES = new CopyOnWriteArrayList<>();

  static StackSpec shop() {
    return StackSpec.builder("shop")
        .service(
            ServiceSpec.builder("web", "shop:1")
                .replicas(2)
                .port(PortSpec.of(8080))
                .port(PortSpec.host(18081, 8081))
                .healthcheck(HealthcheckSpec.cmd("/server", "--probe"))
                .build())
        .build();
  }

  static InMemoryPlatform platform() {
    return InMemoryPlatform.builder().replicaAddress(t -> "10.0.0." + t.slot()).build();
  }

  static class PassingExample {
    static final InMemoryPlatform PLATFORM = platform();

    @RegisterExtension
    static final StackwrightExtension SHOP =
        StackwrightExtension.forStack(shop()).platform(PLATFORM).build();

    @BeforeAll
    static void injectedBeforeAll(RunningStack stack) {
      NAMES.add(stack.name());
    }

    @Test
    void runs(RunningStack stack) {
      assertThat(stack).isSameAs(SHOP.stack());
      assertThat(PLATFORM.stacks()).containsExactly(stack.name());
      assertThat(stack.status().service("web").orElseThrow().readyReplicas()).isEqualTo(2);
      assertThat(stack.hostPort("web", 8081)).isEqualTo(new HostPort("127.0.0.1", 18081));
      assertThat(stack.hostPort("web", 8080).port()).isPositive();
      assertThat(stack.url("web", 8080).toString()).startsWith("http://127.0.0.1:");
      assertThat(stack.replicaAddresses("web")).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
    }

    @Nested
    class Inner {
      @Test
      void sharesTheStack(RunningStack stack) {
        assertThat(stack.name()).isEqualTo(NAMES.get(NAMES.size() - 1));
        assertThat(PLATFORM.stacks()).hasSize(1);
      }
    }
  }

  static class FailingExample {
    static final InMemoryPlatform PLATFORM = platform();

    @RegisterExtension
    static final StackwrightExtension SHOP =
        StackwrightExtension.forStack(shop()).platform(PLATFORM).build();

    @Test
    void fails(RunningStack stack) {
      NAMES.add(stack.name());
      throw new AssertionError("this test fails on purpose");
    }
  }

  static class UnhealthyExample {
    static final InMemoryPlatform PLATFORM = platform();

    static {
      PLATFORM.failImage("shop:1");
    }

    @RegisterExtension
    static final StackwrightExtension SHOP =
        StackwrightExtension.forStack(shop())
            .platform(PLATFORM)
            .timeout(java.time.Duration.ofSeconds(3))
            .build();

    @Test
    void neverRuns() {}
  }

  static class PerTestExample {
    static final InMemoryPlatform PLATFORM = platform();

    @RegisterExtension
    final StackwrightExtension shop =
        StackwrightExtension.forStack(shop()).platform(PLATFORM).build();

    @Test
    void one(RunningStack stack) {
      NAMES.add(stack.name());
    }

    @Test
    void two(RunningStack stack) {
      NAMES.add(stack.name());
    }
  }

  private static Events run(Class<?> example) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(example))
        .execute()
        .allEvents();
  }

  @Test
  @DisplayName("up before the class, healthy, injected, shared with nested classes, removed after")
  void passing() {
    run(PassingExample.class).assertStatistics(s -> s.failed(0));
    assertThat(NAMES).last().asString().startsWith("shop-");
    assertThat(PassingExample.PLATFORM.appliedPlans()).hasSize(1);
    assertThat(PassingExample.PLATFORM.stacks()).isEmpty();
  }

  @Test
  @DisplayName("removed after the class also when a test fails")
  void failing() {
    run(FailingExample.class).assertStatistics(s -> s.failed(1));
    assertThat(FailingExample.PLATFORM.appliedPlans()).hasSize(1);
    assertThat(FailingExample.PLATFORM.stacks()).isEmpty();
  }

  @Test
  @DisplayName("a stack that does not come up healthy fails the class, and is removed")
  void unhealthy() {
    Events events = run(UnhealthyExample.class);
    events.assertStatistics(s -> s.failed(1));
    assertThat(events.failed().stream())
        .singleElement()
        .satisfies(
            e ->
                assertThat(
                        e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .orElseThrow()
                            .getThrowable()
                            .orElseThrow())
                    .hasMessageContaining("did not come up healthy"));
    assertThat(UnhealthyExample.PLATFORM.stacks()).isEmpty();
  }

  @Test
  @DisplayName("on an instance field, one stack per test, each with its own name")
  void perTest() {
    int before = NAMES.size();
    run(PerTestExample.class).assertStatistics(s -> s.failed(0));
    List<String> names = NAMES.subList(before, NAMES.size());
    assertThat(names).hasSize(2).doesNotHaveDuplicates();
    assertThat(PerTestExample.PLATFORM.appliedPlans()).hasSize(2);
    assertThat(PerTestExample.PLATFORM.stacks()).isEmpty();
  }

  @Test
  @DisplayName("unique names: the prefix made safe and short, and a random suffix")
  void names() {
    assertThat(StackwrightExtension.uniqueName("ShopCheckoutIntegrationTestWithALongName"))
        .matches("shopcheckoutintegrationt-[0-9a-f]{6}");
    assertThat(StackwrightExtension.uniqueName("__")).matches("stack-[0-9a-f]{6}");
    assertThat(StackwrightExtension.uniqueName("a"))
        .isNotEqualTo(StackwrightExtension.uniqueName("a"));
  }
}
