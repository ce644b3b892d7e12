package io.stackwright.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The snippet of README.md, compiled and run. */
class ReadmeExampleTest {

  // README: begin
  @Test
  void aCrashedReplicaComesBackOnceTheRestartDelayHasPassed() {
    ManualClock clock = new ManualClock();
    InMemoryPlatform platform =
        InMemoryPlatform.builder().clock(clock).restartDelay(Duration.ofSeconds(10)).build();
    StackSpec shop =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("web", "shop:1").replicas(2).build())
            .build();
    platform.apply(shop, platform.plan(shop), EventListener.none());

    platform.crash("shop", "web"); // a replica exits with code 1
    assertThat(readyReplicas(platform)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(10)); // no sleeping: the platform's time is the clock's
    assertThat(readyReplicas(platform)).isEqualTo(2);
    assertThat(platform.plan(shop).isEmpty()).isTrue(); // self-healing is not a change of spec
  }

  private static long readyReplicas(InMemoryPlatform platform) {
    return platform.status("shop").service("web").orElseThrow().readyReplicas();
  }
  // README: end
}
