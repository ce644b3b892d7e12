package io.stackwright.docker.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventStreamTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void eventsReplayedAfterAReconnectAreSkipped() throws Exception {
    EventStream stream =
        new EventStream(
            null, "test", Map.of("type", List.of("container")), e -> {}, Clock.systemUTC());
    assertThat(stream.isNew(mapper.readTree("{\"timeNano\": 100}"))).isTrue();
    assertThat(stream.isNew(mapper.readTree("{\"timeNano\": 200}"))).isTrue();
    assertThat(stream.isNew(mapper.readTree("{\"timeNano\": 200}"))).isFalse();
    assertThat(stream.isNew(mapper.readTree("{\"timeNano\": 150}"))).isFalse();
    assertThat(stream.isNew(mapper.readTree("{\"timeNano\": 201}"))).isTrue();
    // events without a time cannot be placed: they are handed over
    assertThat(stream.isNew(mapper.readTree("{}"))).isTrue();
  }
}
