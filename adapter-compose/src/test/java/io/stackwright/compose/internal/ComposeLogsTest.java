package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.LogLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComposeLogsTest {
  private static void frame(ByteArrayOutputStream out, int stream, String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    out.write(new byte[] {(byte) stream, 0, 0, 0});
    out.write(
        new byte[] {
          (byte) (payload.length >>> 24),
          (byte) (payload.length >>> 16),
          (byte) (payload.length >>> 8),
          (byte) payload.length
        });
    out.write(payload);
  }

  @Test
  void framesAreTakenApartIntoLinesWithTheirStreamAndTimestamp() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    frame(body, 1, "2026-01-01T00:00:01.5Z hello\n2026-01-01T00:00:02Z wor");
    frame(body, 2, "2026-01-01T00:00:03Z oops\n");
    frame(body, 1, "ld\n");
    List<LogLine> lines = new ArrayList<>();

    ComposeLogs.demultiplex(
        new ByteArrayInputStream(body.toByteArray()), "web", "web.1", lines::add);

    assertThat(lines)
        .containsExactly(
            new LogLine("web", "web.1", "stdout", Instant.parse("2026-01-01T00:00:01.5Z"), "hello"),
            new LogLine("web", "web.1", "stderr", Instant.parse("2026-01-01T00:00:03Z"), "oops"),
            new LogLine("web", "web.1", "stdout", Instant.parse("2026-01-01T00:00:02Z"), "world"));
  }

  @Test
  void aTtyContainerSendsRawOutput() throws IOException {
    List<LogLine> lines = new ArrayList<>();
    ComposeLogs.demultiplex(
        new ByteArrayInputStream(
            "2026-01-01T00:00:01Z one\n2026-01-01T00:00:02Z two\n"
                .getBytes(StandardCharsets.UTF_8)),
        "web",
        "web.1",
        lines::add);
    assertThat(lines).extracting(LogLine::text).containsExactly("one", "two");
  }
}
