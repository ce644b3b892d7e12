package io.stackwright.compose;

import static io.stackwright.compose.ComposeTestSupport.dockerOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.TaskStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's event stream as TASK_STATE_CHANGED events; closing ends it. One thread for
 * everything: the watch occupies it, apply still completes (the caller runs the services itself),
 * and closing the watch gives the thread back.
 */
class WatchIT {
  private final ExecutorService single = Executors.newSingleThreadExecutor();
  private final Path state;
  private final ComposePlatform platform;
  private final String name = "cptest-watch-" + Long.toString(System.nanoTime() % 1_000_000, 36);

  WatchIT() throws IOException {
    state = Files.createTempDirectory("cptest-watch");
    platform =
        new ComposePlatform(
            new PlatformContext(
                Clock.systemUTC(), single, Map.of(ComposePlatform.STATE_DIR, state.toString())));
  }

  @AfterEach
  void cleanUp() throws IOException {
    try {
      platform.remove(name, RemoveOptions.withVolumes(), e -> {});
    } finally {
      platform.close();
      single.shutdownNow();
      try (var walk = Files.walk(state)) {
        walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void reportsContainerChangesAndStopsWhenClosed() throws Exception {
    StackSpec stack =
        StackSpec.builder(name)
            .service(
                ComposeTestSupport.service("web").healthcheck(ComposeTestSupport.probe()).build())
            .service(ComposeTestSupport.service("api").build())
            .build();
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    Subscription watch = platform.watch(name, events::add);
    platform.apply(stack, platform.plan(stack), e -> {});
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> events.stream().anyMatch(e -> "HEALTHY".equals(e.attributes().get("health"))));
    dockerOk("kill", name + "-api-1");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                events.stream()
                    .anyMatch(
                        e ->
                            e.detail() instanceof EventDetail.TaskStateChanged t
                                && t.exitCode() != null
                                && "api".equals(e.subject())));
    OrchestratorEvent died =
        events.stream()
            .filter(
                e -> e.detail() instanceof EventDetail.TaskStateChanged t && t.exitCode() != null)
            .findFirst()
            .orElseThrow();
    assertThat(died.type()).isEqualTo(EventType.TASK_STATE_CHANGED);
    assertThat(died.message()).isEqualTo("container " + name + "-api-1 exited with code 137");
    assertThat(died.detail())
        .isInstanceOfSatisfying(
            EventDetail.TaskStateChanged.class,
            t -> {
              assertThat(t.service()).isEqualTo("api");
              assertThat(t.slot()).isEqualTo(1);
              assertThat(t.state()).isEqualTo(TaskStatus.FAILED);
              assertThat(t.exitCode()).isEqualTo(137);
              assertThat(t.replica()).isNotBlank();
            });
    assertThat(events)
        .extracting(OrchestratorEvent::message)
        .anyMatch(m -> m.endsWith("was created"))
        .anyMatch(m -> m.endsWith("started"))
        .anyMatch(m -> m.endsWith("is healthy"));

    watch.close();
    // the only thread is free again: the reading task has ended
    assertThat(single.submit(() -> "free").get(3, TimeUnit.SECONDS)).isEqualTo("free");
    int seen = events.size();
    dockerOk("rm", "-f", name + "-web-1");
    // a negative check: nothing arrives after close
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.size() == seen);
  }
}
