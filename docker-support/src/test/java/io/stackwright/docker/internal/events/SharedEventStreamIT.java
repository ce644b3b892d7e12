package io.stackwright.docker.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.Subscription;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One engine event stream for many watchers, against the real engine. */
class SharedEventStreamIT {
  private static final String LABEL = "io.stackwright.test.shared";

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String run = "ds-shared-" + UUID.randomUUID().toString().substring(0, 8);
  private final Engine engine =
      Engine.connect(new PlatformContext(Clock.systemUTC(), executor, Map.of()));
  private final SharedEventStream shared =
      new SharedEventStream(
          engine,
          "following shared test events",
          Map.of("type", List.of("container"), "label", List.of(LABEL)),
          Clock.systemUTC(),
          executor);

  @AfterEach
  void stop() {
    for (String name : List.of(run + "-a", run + "-b")) {
      engine.delete("removing " + name, "/containers/" + name + "?force=true");
    }
    shared.close();
    engine.close();
    executor.shutdownNow();
  }

  private Subscription watch(String owner, List<String> seen) {
    return shared.subscribe(
        event -> owner.equals(event.path("Actor").path("Attributes").path(LABEL).asText(null)),
        event ->
            seen.add(
                event.path("Actor").path("Attributes").path("name").asText()
                    + " "
                    + event.path("Action").asText()),
        true);
  }

  private void createAndRemove(String name, String owner) {
    ObjectNode body = engine.mapper().createObjectNode();
    body.put("Image", "stackwright/workload:test");
    body.putObject("Labels").put(LABEL, owner);
    engine.post("creating " + name, Engine.path("/containers/create", Map.of("name", name)), body);
    engine.delete("removing " + name, "/containers/" + name + "?force=true");
  }

  @Test
  void everyWatcherGetsItsOwnEventsFromOneStreamThatEndsWithTheLastWatcher() {
    List<String> a = new CopyOnWriteArrayList<>();
    List<String> b = new CopyOnWriteArrayList<>();
    Subscription first = watch(run + "-a", a);
    EventStream stream = shared.stream();
    Subscription second = watch(run + "-b", b);
    assertThat(shared.stream())
        .as("the second watcher shares the first one's stream")
        .isSameAs(stream);
    assertThat(shared.subscribers()).isEqualTo(2);

    createAndRemove(run + "-a", run + "-a");
    createAndRemove(run + "-b", run + "-b");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> a.contains(run + "-a destroy") && b.contains(run + "-b destroy"));
    assertThat(a).containsExactly(run + "-a create", run + "-a destroy");
    assertThat(b).containsExactly(run + "-b create", run + "-b destroy");
    assertThat(stream.opens()).isEqualTo(1);

    first.close();
    assertThat(stream.isStopped()).as("one watcher is left").isFalse();
    second.close();
    await().atMost(Duration.ofSeconds(10)).until(stream::isStopped);
    assertThat(shared.stream()).isNull();

    // a watcher after the last one left opens a new stream, and sees what follows
    List<String> again = new CopyOnWriteArrayList<>();
    try (Subscription third = watch(run + "-a", again)) {
      assertThat(shared.stream()).isNotNull().isNotSameAs(stream);
      createAndRemove(run + "-a", run + "-a");
      await().atMost(Duration.ofSeconds(20)).until(() -> again.contains(run + "-a destroy"));
      assertThat(again).containsExactly(run + "-a create", run + "-a destroy");
    }
  }

  @Test
  void aWatcherThatFailsDoesNotStopTheOthers() {
    List<String> b = new CopyOnWriteArrayList<>();
    try (Subscription failing =
            shared.subscribe(
                event -> true,
                event -> {
                  throw new IllegalStateException("a broken watcher");
                },
                true);
        Subscription working = watch(run + "-b", b)) {
      createAndRemove(run + "-b", run + "-b");
      await().atMost(Duration.ofSeconds(20)).until(() -> b.contains(run + "-b destroy"));
      assertThat(b).containsExactly(run + "-b create", run + "-b destroy");
    }
  }

  @Test
  void aWatcherThatLeavesFromItsOwnEventEndsTheStreamWithoutWaitingForItself() {
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    Subscription[] self = new Subscription[1];
    self[0] =
        shared.subscribe(
            event -> run.equals(event.path("Actor").path("Attributes").path(LABEL).asText(null)),
            event -> {
              seen.add(event);
              self[0].close(); // the last watcher leaves on the stream's own task
            },
            true);
    EventStream stream = shared.stream();
    createAndRemove(run + "-a", run);
    await().atMost(Duration.ofSeconds(20)).until(stream::isStopped);
    assertThat(seen).hasSize(1);
    assertThat(shared.subscribers()).isZero();
  }
}
