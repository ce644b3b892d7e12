package io.stackwright.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UnsupportedFeatureException;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the in-memory platform adds to the contract: time from the clock, and hooks for tests. */
class InMemoryPlatformTest {
  private final ManualClock clock = new ManualClock();

  private static StackSpec shop(String image) {
    return StackSpec.builder("shop")
        .service(
            ServiceSpec.builder("web", image)
                .replicas(2)
                .healthcheck(HealthcheckSpec.cmd("/server", "--probe"))
                .build())
        .build();
  }

  private static ServiceState web(InMemoryPlatform platform) {
    return platform.status("shop").service("web").orElseThrow();
  }

  private static void deploy(InMemoryPlatform platform, StackSpec spec) {
    platform.apply(spec, platform.plan(spec), event -> {});
  }

  @Test
  @DisplayName("a crashed replica is replaced once the restart delay has passed on the clock")
  void selfHealingFollowsTheClock() {
    InMemoryPlatform platform =
        InMemoryPlatform.builder().clock(clock).restartDelay(Duration.ofSeconds(10)).build();
    deploy(platform, shop("shop:1"));
    List<OrchestratorEvent> watched = new CopyOnWriteArrayList<>();
    platform.watch("shop", watched::add);

    TaskState crashed = platform.crash("shop", "web");

    assertThat(web(platform).readyReplicas()).isEqualTo(1);
    assertThat(watched)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.TASK_STATE_CHANGED);
              assertThat(e.attributes())
                  .containsEntry("replica", crashed.id())
                  .containsEntry("state", "FAILED")
                  .containsEntry("error", "exit code 1");
            });
    clock.advanceSeconds(9);
    assertThat(web(platform).readyReplicas()).isEqualTo(1);
    clock.advanceSeconds(1);
    ServiceState healed = web(platform);
    assertThat(healed.readyReplicas()).isEqualTo(2);
    assertThat(healed.currentTasks()).extracting(TaskState::id).doesNotContain(crashed.id());
    assertThat(healed.tasks())
        .filteredOn(t -> t.id().equals(crashed.id()))
        .singleElement()
        .satisfies(t -> assertThat(t.status()).isEqualTo(TaskStatus.FAILED));
  }

  @Test
  @DisplayName("without SELF_HEALING a crashed replica stays failed until it is replaced")
  void withoutSelfHealing() {
    InMemoryPlatform platform =
        InMemoryPlatform.builder().clock(clock).without(Capability.SELF_HEALING).build();
    deploy(platform, shop("shop:1"));
    TaskState crashed = platform.crash("shop", "web");
    clock.advance(Duration.ofHours(1));
    assertThat(web(platform).readyReplicas()).isEqualTo(1);

    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    platform.replace("shop", crashed, events::add);

    assertThat(web(platform).readyReplicas()).isEqualTo(2);
    assertThat(events)
        .extracting(OrchestratorEvent::type)
        .containsExactly(EventType.REPLICA_REPLACED);
  }

  @Test
  @DisplayName("healthchecked replicas start, then turn healthy after the startup time")
  void startupTime() {
    InMemoryPlatform platform =
        InMemoryPlatform.builder().clock(clock).startupTime(Duration.ofSeconds(30)).build();
    deploy(platform, shop("shop:1"));
    assertThat(web(platform).tasks()).allMatch(t -> t.health() == HealthStatus.STARTING);
    assertThat(web(platform).readyReplicas()).isZero();

    clock.advanceSeconds(30);

    assertThat(web(platform).readyReplicas()).isEqualTo(2);
  }

  @Test
  @DisplayName("a failing image fails at start; an unhealthy one runs but turns unhealthy")
  void scriptedImages() {
    InMemoryPlatform platform =
        InMemoryPlatform.builder().clock(clock).startupTime(Duration.ofSeconds(5)).build();
    platform.failImage("shop:bad");
    platform.unhealthyImage("shop:sick");

    deploy(platform, shop("shop:bad"));
    assertThat(web(platform).currentTasks()).allMatch(t -> t.status() == TaskStatus.FAILED);

    deploy(platform, shop("shop:sick"));
    clock.advanceSeconds(5);
    assertThat(web(platform).currentTasks())
        .hasSize(2)
        .allMatch(t -> t.status() == TaskStatus.RUNNING && t.health() == HealthStatus.UNHEALTHY);

    platform.setHealth("shop", "web", HealthStatus.HEALTHY);
    assertThat(web(platform).readyReplicas()).isEqualTo(2);
  }

  @Test
  @DisplayName("a degrading image runs ready, then turns unhealthy after its time on the clock")
  void degradingImage() {
    InMemoryPlatform platform = InMemoryPlatform.builder().clock(clock).build();
    platform.degradeImage("shop:slow-fail", Duration.ofSeconds(20));
    deploy(platform, shop("shop:slow-fail"));
    assertThat(web(platform).readyReplicas()).isEqualTo(2);
    clock.advanceSeconds(19);
    assertThat(web(platform).readyReplicas()).isEqualTo(2);
    clock.advanceSeconds(1);
    assertThat(web(platform).currentTasks())
        .allMatch(t -> t.status() == TaskStatus.RUNNING && t.health() == HealthStatus.UNHEALTHY);
  }

  @Test
  @DisplayName("leases expire by the clock")
  void leasesFollowTheClock() {
    InMemoryPlatform platform = InMemoryPlatform.builder().clock(clock).build();
    assertThat(platform.lease("shop", "scaler", "a", Duration.ofSeconds(10)).holder())
        .isEqualTo("a");
    clock.advanceSeconds(9);
    assertThat(platform.lease("shop", "scaler", "b", Duration.ofSeconds(10)).holder())
        .isEqualTo("a");
    clock.advanceSeconds(1);
    assertThat(platform.lease("shop", "scaler", "b", Duration.ofSeconds(10)).holder())
        .isEqualTo("b");
  }

  @Test
  @DisplayName("what is not declared is refused; addresses and exec are what the test says")
  void capabilities() {
    InMemoryPlatform bare =
        InMemoryPlatform.builder().capabilities(java.util.Set.of()).clock(clock).build();
    deploy(bare, shop("shop:1"));
    TaskState replica = web(bare).currentTasks().get(0);
    assertThat(bare.capabilities()).isEmpty();
    assertThatThrownBy(() -> bare.replicaAddress("shop", replica))
        .isInstanceOf(UnsupportedFeatureException.class);
    assertThatThrownBy(() -> bare.lease("shop", "l", "a", Duration.ofSeconds(1)))
        .isInstanceOf(UnsupportedFeatureException.class);
    assertThatThrownBy(() -> bare.replace("shop", replica, e -> {}))
        .isInstanceOf(UnsupportedFeatureException.class);

    InMemoryPlatform wired =
        InMemoryPlatform.builder()
            .clock(clock)
            .replicaAddress(task -> "127.0.0.1")
            .exec(
                (stack, task, command) ->
                    new ExecResult(command.get(0).equals("ok") ? 0 : 2, "", false))
            .build();
    deploy(wired, shop("shop:1"));
    TaskState running = web(wired).currentTasks().get(0);
    assertThat(wired.capabilities()).contains(Capability.REPLICA_ADDRESS, Capability.EXEC);
    assertThat(wired.replicaAddress("shop", running)).contains("127.0.0.1");
    assertThat(wired.exec("shop", running, List.of("ok"), Duration.ofSeconds(1)).succeeded())
        .isTrue();
    wired.crash("shop", running);
    assertThat(wired.replicaAddress("shop", running))
        .as("a failed replica has no address")
        .isEmpty();
  }

  @Test
  @DisplayName("scale changes the version, so a plan made before it is stale")
  void scaleMovesTheVersion() {
    InMemoryPlatform platform = InMemoryPlatform.builder().clock(clock).build();
    deploy(platform, shop("shop:1"));
    long before = web(platform).version();
    platform.scale("shop", "web", 4);
    assertThat(web(platform).version()).isGreaterThan(before);
    assertThat(web(platform).readyReplicas()).isEqualTo(4);
    assertThat(platform.applied("shop").orElseThrow().service("web").replicas()).isEqualTo(4);
    assertThat(platform.plan(shop("shop:1")).changes())
        .singleElement()
        .satisfies(c -> assertThat(c.toString()).contains("replicas"));
    assertThat(platform.appliedPlans()).hasSize(1);
    assertThat(platform.writes())
        .containsExactly(
            new InMemoryPlatform.Applied("shop", platform.appliedPlans().get(0)),
            new InMemoryPlatform.Scaled("shop", "web", 4));
  }
}
