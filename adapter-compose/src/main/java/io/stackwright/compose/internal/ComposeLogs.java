package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient;
import io.stackwright.api.LogLine;
import io.stackwright.api.LogOptions;
import io.stackwright.api.spi.Subscription;
import io.stackwright.docker.internal.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logs of a project's containers ({@code GET /containers/{id}/logs}, each read on its own
 * thread, the multiplexed stdout/stderr frames taken apart), each line named by its service and
 * container number ({@code web.1}), as {@code docker compose logs} prints them.
 */
public final class ComposeLogs {
  private static final Logger LOG = LoggerFactory.getLogger(ComposeLogs.class);

  private final Engine engine;

  public ComposeLogs(Engine engine) {
    this.engine = engine;
  }

  public Subscription read(String stack, LogOptions options, Consumer<LogLine> lines) {
    Map<String, List<String>> filters =
        Map.of("label", List.of(ComposeNames.PROJECT + "=" + stack));
    JsonNode containers =
        engine.get(
            "listing the containers of project " + stack,
            Engine.path(
                "/containers/json", Map.of("all", "1", "filters", engine.filters(filters))));
    // A thread per container, its own: a followed stream holds it for as long as it runs, which
    // must not take the threads the platform's other work needs.
    ExecutorService executor =
        java.util.concurrent.Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "stackwright-logs-" + stack);
              thread.setDaemon(true);
              return thread;
            });
    List<DockerHttpClient.Response> open = new ArrayList<>();
    List<Future<?>> readers = new ArrayList<>();
    for (JsonNode container : containers) {
      String id = container.path("Id").asText();
      JsonNode labels = container.path("Labels");
      String service = labels.path(ComposeNames.SERVICE).asText("");
      String replica = service + "." + labels.path(ComposeNames.NUMBER).asText("1");
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("stdout", "1");
      query.put("stderr", "1");
      query.put("timestamps", "1");
      query.put("follow", options.follow() ? "1" : "0");
      query.put("tail", options.tail() >= 0 ? String.valueOf(options.tail()) : "all");
      if (options.since() != null) {
        query.put("since", String.valueOf(options.since().getEpochSecond()));
      }
      DockerHttpClient.Response response =
          engine.stream(
              "reading the logs of container " + id,
              Engine.path("/containers/" + id + "/logs", query));
      synchronized (open) {
        open.add(response);
      }
      readers.add(
          executor.submit(
              () -> {
                try (InputStream body = response.getBody()) {
                  demultiplex(body, service, replica, lines);
                } catch (IOException e) {
                  LOG.debug("The log stream of {} ended: {}", replica, e.toString());
                } finally {
                  closeQuietly(response);
                }
              }));
    }
    if (!options.follow()) {
      for (Future<?> reader : readers) {
        try {
          reader.get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (Exception e) {
          LOG.debug("Reading a log stream failed", e);
        }
      }
      executor.shutdown();
    }
    return () -> {
      synchronized (open) {
        open.forEach(ComposeLogs::closeQuietly);
      }
      readers.forEach(r -> r.cancel(true));
      executor.shutdownNow();
    };
  }

  /**
   * Frames of {@code [stream, 0, 0, 0, size (4 bytes, big-endian)]} and the payload; a container
   * with a TTY sends its output raw, which the first byte tells.
   */
  static void demultiplex(InputStream body, String service, String replica, Consumer<LogLine> lines)
      throws IOException {
    byte[] header = new byte[8];
    ByteArrayOutputStream[] partial = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    while (true) {
      int read = body.readNBytes(header, 0, 8);
      if (read == 0) {
        break;
      }
      boolean framed =
          read == 8 && header[0] >= 0 && header[0] <= 2 && header[1] == 0 && header[2] == 0;
      if (!framed) {
        // TTY: everything is stdout, raw.
        ByteArrayOutputStream raw = partial[0];
        raw.write(header, 0, read);
        byte[] rest = body.readAllBytes();
        raw.write(rest);
        emit(raw, service, replica, "stdout", lines, true);
        break;
      }
      int size =
          ((header[4] & 0xff) << 24)
              | ((header[5] & 0xff) << 16)
              | ((header[6] & 0xff) << 8)
              | (header[7] & 0xff);
      byte[] payload = body.readNBytes(size);
      int index = header[0] == 2 ? 1 : 0;
      partial[index].write(payload);
      emit(partial[index], service, replica, index == 1 ? "stderr" : "stdout", lines, false);
      if (payload.length < size) {
        break;
      }
    }
    emit(partial[0], service, replica, "stdout", lines, true);
    emit(partial[1], service, replica, "stderr", lines, true);
  }

  /** Sends every complete line in {@code buffer} (and the rest too when {@code all}). */
  private static void emit(
      ByteArrayOutputStream buffer,
      String service,
      String replica,
      String stream,
      Consumer<LogLine> lines,
      boolean all) {
    String text = buffer.toString(StandardCharsets.UTF_8);
    int start = 0;
    int newline;
    while ((newline = text.indexOf('\n', start)) >= 0) {
      lines.accept(line(service, replica, stream, text.substring(start, newline)));
      start = newline + 1;
    }
    String rest = text.substring(start);
    buffer.reset();
    if (all && !rest.isEmpty()) {
      lines.accept(line(service, replica, stream, rest));
    } else {
      buffer.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static LogLine line(String service, String replica, String stream, String raw) {
    int space = raw.indexOf(' ');
    if (space > 0) {
      try {
        return new LogLine(
            service,
            replica,
            stream,
            Instant.parse(raw.substring(0, space)),
            raw.substring(space + 1));
      } catch (DateTimeParseException e) {
        // no timestamp
      }
    }
    return new LogLine(service, replica, stream, null, raw);
  }

  private static void closeQuietly(DockerHttpClient.Response response) {
    try {
      response.close();
    } catch (RuntimeException e) {
      // already closed
    }
  }
}
