package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuietTransportTest {
  @Test
  void readsAPlainAndAChunkedAnswer() throws Exception {
    QuietTransport.Answer plain =
        QuietTransport.parse(
            "HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n{\"ID\":\"x\"}\n"
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(plain.status()).isEqualTo(201);
    assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ID\":\"x\"}\n");
    QuietTransport.Answer chunked =
        QuietTransport.parse(
            "HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"mes\r\n6;x=1\r\nsage\"}\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(chunked.status()).isEqualTo(409);
    assertThat(new String(chunked.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\"}");
  }

  @Test
  void refusesTlsRatherThanLetTheWireLogPrintTheBody() {
    assertThatThrownBy(
            () ->
                QuietTransport.post(
                    URI.create("tcp://engine:2376"),
                    true,
                    "/secrets/create",
                    new byte[0],
                    Duration.ofSeconds(1),
                    (d, r) -> null))
        .hasMessageContaining(QuietTransport.WIRE_LOGGER)
        .hasMessageContaining("lower that logger to INFO");
  }
}
