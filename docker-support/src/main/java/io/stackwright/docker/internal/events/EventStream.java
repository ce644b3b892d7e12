package io.stackwright.docker.internal.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.github.dockerjava.transport.DockerHttpClient;
import io.stackwright.api.PlatformException;
import io.stackwright.docker.internal.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the engine's {@code /events} stream with the given filters and hands each event (its
 * JSON) to a consumer, in order, on one task of the given executor.
 *
 * <p>If the stream breaks (the engine restarted), it is opened again after {@link #RECONNECT_DELAY}
 * from the time of the last event seen ({@code since}), and events seen before are skipped, so
 * nothing is lost or handed over twice. Closing the stream closes the response, which ends the
 * blocked read and the task; {@link #close()} waits for it.
 */
public final class EventStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

  private final Engine engine;
  private final String what;
  private final Map<String, List<String>> filters;
  private final Consumer<JsonNode> consumer;
  private final Clock clock;
  private final Object lock = new Object();
  private volatile boolean closed;
  private DockerHttpClient.Response response;
  private boolean rotated;
  private Future<?> loop;
  private volatile Thread reader;
  private long lastTimeNano;
  private long firstOpenNano;
  private final java.util.concurrent.atomic.AtomicInteger opens =
      new java.util.concurrent.atomic.AtomicInteger();

  EventStream(
      Engine engine,
      String what,
      Map<String, List<String>> filters,
      Consumer<JsonNode> consumer,
      Clock clock) {
    this.engine = engine;
    this.what = what;
    this.filters = Map.copyOf(filters);
    this.consumer = consumer;
    this.clock = clock;
  }

  /**
   * Starts following.
   *
   * @param what what the stream is for, in messages ("following the events of project shop")
   * @param filters the {@code filters} of {@code /events} ({@code type}, {@code label}, ...)
   * @param mustOpen when true, the stream is open when this returns (so every event after it is
   *     seen), and a failure to open it is thrown; when false, the first opening is tried again
   *     like any reconnection
   */
  public static EventStream start(
      Engine engine,
      String what,
      Map<String, List<String>> filters,
      Consumer<JsonNode> consumer,
      Clock clock,
      ExecutorService executor,
      boolean mustOpen) {
    EventStream stream = new EventStream(engine, what, filters, consumer, clock);
    DockerHttpClient.Response first = null;
    if (mustOpen) {
      first = stream.open();
    } else {
      try {
        first = stream.open();
      } catch (RuntimeException e) {
        LOG.debug("{}: cannot open the event stream yet (will retry): {}", what, e.getMessage());
      }
    }
    DockerHttpClient.Response opened = first;
    try {
      stream.loop = executor.submit(() -> stream.run(opened));
    } catch (RejectedExecutionException e) {
      stream.close();
      throw new PlatformException(
          what + " failed: the executor refused the event reader", false, e);
    }
    return stream;
  }

  private DockerHttpClient.Response open() {
    Map<String, Object> query = new LinkedHashMap<>();
    long since = lastTimeNano > 0 ? lastTimeNano : firstOpenNano;
    if (since > 0) {
      query.put(
          "since",
          (since / 1_000_000_000L)
              + "."
              + String.format(Locale.ROOT, "%09d", since % 1_000_000_000L));
    }
    query.put("filters", engine.filters(filters));
    Instant now = clock.instant();
    DockerHttpClient.Response r = engine.stream(what, Engine.path("/events", query));
    if (firstOpenNano == 0) {
      firstOpenNano = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
    synchronized (lock) {
      if (closed) {
        Engine.closeQuietly(r);
        return null;
      }
      response = r;
      rotated = false;
    }
    opens.incrementAndGet();
    engine.later(engine.settings().eventWindow(), () -> rotate(r));
    return r;
  }

  /** Ends the stream {@code r} if it is still the one being read; the loop opens the next. */
  private void rotate(DockerHttpClient.Response r) {
    synchronized (lock) {
      if (closed || response != r) {
        return;
      }
      rotated = true;
      response = null;
    }
    Engine.closeQuietly(r);
  }

  private void run(DockerHttpClient.Response first) {
    reader = Thread.currentThread();
    DockerHttpClient.Response current = first;
    while (!closed) {
      if (current != null) {
        read(current);
      }
      if (closed) {
        break;
      }
      synchronized (lock) {
        try {
          if (!rotated) {
            lock.wait(RECONNECT_DELAY.toMillis());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (closed) {
        break;
      }
      try {
        current = open();
      } catch (RuntimeException e) {
        LOG.debug("{}: cannot open the event stream (will retry): {}", what, e.getMessage());
        current = null;
      }
    }
    LOG.debug("{}: stopped", what);
  }

  private void read(DockerHttpClient.Response r) {
    try (InputStream in = r.getBody();
        MappingIterator<JsonNode> it = engine.mapper().readerFor(JsonNode.class).readValues(in)) {
      while (!closed && it.hasNextValue()) {
        JsonNode event = it.nextValue();
        if (isNew(event)) {
          deliver(event);
        }
      }
    } catch (IOException | RuntimeException e) {
      boolean expected;
      synchronized (lock) {
        expected = closed || rotated;
      }
      if (!expected) {
        LOG.debug("{}: the event stream broke: {}", what, e.toString());
      }
    } finally {
      Engine.closeQuietly(r);
    }
  }

  /** Whether the event comes after every event already handed over (a reconnect replays some). */
  boolean isNew(JsonNode event) {
    long timeNano = event.path("timeNano").asLong();
    if (timeNano > 0 && timeNano <= lastTimeNano) {
      return false;
    }
    lastTimeNano = Math.max(lastTimeNano, timeNano);
    return true;
  }

  private void deliver(JsonNode event) {
    try {
      consumer.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("{}: handling an event failed", what, e);
    }
  }

  /** How many times the stream was opened (for tests: the window reopens it). */
  public int opens() {
    return opens.get();
  }

  /** Whether the reading task has ended (for tests). */
  public boolean isStopped() {
    return loop != null && loop.isDone();
  }

  @Override
  public void close() {
    DockerHttpClient.Response r;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      r = response;
      response = null;
      lock.notifyAll();
    }
    Engine.closeQuietly(r);
    Future<?> running = loop;
    // closed by a consumer, on the reading task itself: it ends once the consumer returns
    if (running != null && Thread.currentThread() != reader) {
      try {
        running.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        LOG.warn("{}: the event reader did not stop within 5 s; interrupting it", what);
        running.cancel(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("{}: the event reader ended with an error", what, e);
      }
    }
  }
}
