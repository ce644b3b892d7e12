package io.stackwright.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Availability;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.PlatformProvider;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.ServiceState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Provider discovery, availability, scaling, validation before writes, and watch shutdown. */
class PlatformOperationsIT {
  private final SwarmTestSupport support = new SwarmTestSupport();
  private final SwarmPlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  @Test
  void theProviderIsFoundAndAvailableOnASwarmManager() {
    PlatformProvider provider =
        ServiceLoader.load(PlatformProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("swarm"))
            .findFirst()
            .orElseThrow();
    assertThat(provider.priority()).isEqualTo(100);
    Availability availability = provider.availability(support.context);
    assertThat(availability.available()).as(availability.reason()).isTrue();
    assertThat(availability.reason()).contains("Swarm mode");

    PlatformContext nowhere =
        new PlatformContext(
            Clock.systemUTC(),
            support.executor,
            Map.of(PlatformContext.DOCKER_HOST, "tcp://127.0.0.1:1"));
    Availability missing = provider.availability(nowhere);
    assertThat(missing.available()).isFalse();
    assertThat(missing.reason()).contains("no Docker engine answers at tcp://127.0.0.1:1");

    try (var created = provider.create(support.context)) {
      assertThat(created.name()).isEqualTo("swarm");
      assertThat(created.capabilities())
          .contains(Capability.OPTIMISTIC_CONCURRENCY, Capability.SECRETS, Capability.GLOBAL_MODE);
    }
  }

  @Test
  void scalingSetsTheReplicasOfReplicatedServicesOnly() {
    String name = support.stack("scale");
    StackSpec stack =
        StackSpec.builder(name)
            .service(
                ServiceSpec.builder("app", SwarmTestSupport.IMAGE)
                    .replicas(1)
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .service(
                ServiceSpec.builder("everywhere", SwarmTestSupport.IMAGE)
                    .mode(ServiceSpec.Mode.GLOBAL)
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();
    platform.apply(stack, platform.plan(stack), EventListener.none());
    long version = platform.status(name).service("app").orElseThrow().version();

    platform.scale(name, "app", 3);
    ServiceState app = platform.status(name).service("app").orElseThrow();
    assertThat(app.desiredReplicas()).isEqualTo(3);
    assertThat(app.version()).isGreaterThan(version);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> platform.status(name).service("app").orElseThrow().runningReplicas() == 3);
    // the scaled service differs from the declared one in its replicas only
    assertThat(platform.plan(stack).changes())
        .singleElement()
        .satisfies(c -> assertThat(c.key()).isEqualTo("app"))
        .asString()
        .contains("Mode.Replicated.Replicas");
    assertThat(platform.status(name).service("everywhere").orElseThrow().desiredReplicas())
        .isEqualTo(-1);

    assertThatThrownBy(() -> platform.scale(name, "everywhere", 2))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("only a replicated service can be scaled");
    assertThatThrownBy(() -> platform.scale(name, "nope", 2)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void problemsAreFoundBeforeTheFirstWrite() {
    String name = support.stack("invalid");
    StackSpec stack =
        StackSpec.builder(name)
            .network(NetworkSpec.external("outside", "swtest-no-such-network"))
            .secret(SecretSpec.external("ext", "swtest-no-such-secret"))
            .service(
                ServiceSpec.builder("app", SwarmTestSupport.IMAGE)
                    .network("outside")
                    .secret("ext")
                    .build())
            .build();
    assertThatThrownBy(() -> platform.plan(stack))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining(
            "network \"swtest-no-such-network\" is declared as external, but could not be found")
        .hasMessageContaining("secret \"swtest-no-such-secret\" is declared as external");

    StackSpec hostIp =
        StackSpec.builder(name)
            .service(
                ServiceSpec.builder("app", SwarmTestSupport.IMAGE)
                    .port(
                        new io.stackwright.api.PortSpec(
                            8080,
                            18080,
                            "tcp",
                            io.stackwright.api.PortSpec.PublishMode.HOST,
                            "127.0.0.1"))
                    .securityOpt("no-new-privileges")
                    .build())
            .build();
    assertThat(platform.validate(hostIp)).hasSize(2);
    Plan plan = platform.plan(hostIp);
    assertThatThrownBy(() -> platform.apply(hostIp, plan, EventListener.none()))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("host_ip 127.0.0.1");
    assertThat(platform.status(name).isEmpty()).isTrue();
  }

  @Test
  void closingAWatchStopsItsThreadsAndItsEvents() {
    String name = support.stack("watch");
    long busyBefore = busyThreads();
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    Subscription watch = platform.watch(name, events::add);
    // one task polls the tasks, one follows the event stream
    await().atMost(Duration.ofSeconds(5)).until(() -> busyThreads() == busyBefore + 2);

    StackSpec stack =
        StackSpec.builder(name)
            .service(
                ServiceSpec.builder("app", SwarmTestSupport.IMAGE)
                    .healthcheck(StackLifecycleIT.probe())
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();
    platform.apply(stack, platform.plan(stack), EventListener.none());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                events.stream()
                    .anyMatch(
                        e ->
                            e.type() == EventType.TASK_STATE_CHANGED
                                && "HEALTHY".equals(e.attributes().get("health"))));
    // task states are reported once each, in order
    List<String> states =
        events.stream()
            .filter(e -> e.type() == EventType.TASK_STATE_CHANGED)
            .map(e -> e.attributes().get("state") + "/" + e.attributes().get("health"))
            .toList();
    assertThat(states).doesNotHaveDuplicates();
    // and what the tasks do not show: the stack's network created, its service updated
    assertThat(events)
        .filteredOn(e -> e.type() == EventType.RESOURCE_CREATED)
        .extracting(OrchestratorEvent::message)
        .contains("network " + name + "_default was created");

    watch.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> busyThreads() == busyBefore);
    int seen = events.size();
    platform.scale(name, "app", 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> platform.status(name).service("app").orElseThrow().runningReplicas() == 2);
    assertThat(events).hasSize(seen);
  }

  /** The platform's threads at work: its watchers run on the context's executor. */
  private long busyThreads() {
    return ((java.util.concurrent.ThreadPoolExecutor) support.executor).getActiveCount();
  }
}
