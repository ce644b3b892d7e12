package io.stackwright.docker.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.EngineSettings;
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

/** The event stream against the real engine: reopened every window, losing nothing. */
class EventStreamIT {
  private static final String LABEL = "io.stackwright.test";

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String run = "ds-events-" + UUID.randomUUID().toString().substring(0, 8);
  private final Engine engine =
      Engine.connect(
          new PlatformContext(Clock.systemUTC(), executor, Map.of(EngineSettings.EVENTS, "700ms")));

  @AfterEach
  void stop() {
    engine.delete("removing " + run, "/containers/" + run + "?force=true");
    engine.close();
    executor.shutdownNow();
  }

  @Test
  void aStreamReopenedEveryWindowStillSeesEveryEvent() {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    try (EventStream stream =
        EventStream.start(
            engine,
            "following test events",
            Map.of("type", List.of("container"), "label", List.of(LABEL + "=" + run)),
            events::add,
            Clock.systemUTC(),
            executor,
            true)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> stream.opens() >= 3);

      ObjectNode body = engine.mapper().createObjectNode();
      body.put("Image", "stackwright/workload:test");
      body.putObject("Labels").put(LABEL, run);
      engine.post("creating " + run, Engine.path("/containers/create", Map.of("name", run)), body);
      engine.delete("removing " + run, "/containers/" + run + "?force=true");

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  events.stream()
                      .map(e -> e.path("Action").asText())
                      .toList()
                      .containsAll(List.of("create", "destroy")));
      // each event once, though the stream was reopened meanwhile
      assertThat(events.stream().map(e -> e.path("Action").asText()).toList())
          .doesNotHaveDuplicates();
      assertThat(stream.opens()).isGreaterThanOrEqualTo(3);
    }
  }
}
