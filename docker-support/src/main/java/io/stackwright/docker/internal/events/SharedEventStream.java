package io.stackwright.docker.internal.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.spi.Subscription;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine {@code /events} stream ({@link EventStream}) shared by every watch of a platform: each
 * subscriber says which events are its own (a stack's), and the stream hands each event to the
 * subscribers it belongs to, in order. So a process that watches 100 stacks holds one connection
 * and one reading task, not 100 of each. The stream opens with the first subscriber and closes with
 * the last.
 *
 * <p>A subscriber's consumer runs on the stream's task: it must be quick (hand work elsewhere), as
 * every other stack's events wait behind it.
 */
public final class SharedEventStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedEventStream.class);

  private final Engine engine;
  private final String what;
  private final Map<String, List<String>> filters;
  private final Clock clock;
  private final ExecutorService executor;
  private final Object lock = new Object();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private Generation current; // guarded by lock
  private boolean closed; // guarded by lock

  /**
   * @param what what the stream is for, in messages ("following the engine's container events")
   * @param filters the {@code filters} of {@code /events}: the union of what every subscriber needs
   */
  public SharedEventStream(
      Engine engine,
      String what,
      Map<String, List<String>> filters,
      Clock clock,
      ExecutorService executor) {
    this.engine = engine;
    this.what = what;
    this.filters = Map.copyOf(filters);
    this.clock = clock;
    this.executor = executor;
  }

  /**
   * Hands every event that {@code mine} accepts to {@code consumer}, from now until the returned
   * subscription is closed.
   *
   * @param mustOpen when true and no stream is open yet, it is open when this returns (so every
   *     event after it is seen) and a failure to open it is thrown; a stream already open (or
   *     reconnecting, which replays from its last event) serves at once
   */
  public Subscription subscribe(
      Predicate<JsonNode> mine, Consumer<JsonNode> consumer, boolean mustOpen) {
    Subscriber subscriber = new Subscriber(mine, consumer);
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(what + ": the platform is closed");
      }
      subscribers.add(subscriber);
      if (current == null) {
        Generation started = new Generation();
        try {
          started.stream =
              EventStream.start(engine, what, filters, started::deliver, clock, executor, mustOpen);
        } catch (RuntimeException e) {
          subscribers.remove(subscriber);
          throw e;
        }
        current = started;
      }
    }
    return () -> unsubscribe(subscriber);
  }

  private void unsubscribe(Subscriber subscriber) {
    Generation ended = null;
    synchronized (lock) {
      if (!subscribers.remove(subscriber)) {
        return;
      }
      if (subscribers.isEmpty() && current != null) {
        ended = current;
        current = null;
      }
    }
    if (ended != null) {
      ended.close();
    }
  }

  /** How many subscribers the stream serves (for tests). */
  public int subscribers() {
    return subscribers.size();
  }

  /** The stream being read, if one is (for tests). */
  EventStream stream() {
    synchronized (lock) {
      return current == null ? null : current.stream;
    }
  }

  /** Closes the stream; no subscription is served any more. */
  @Override
  public void close() {
    Generation ended;
    synchronized (lock) {
      closed = true;
      subscribers.clear();
      ended = current;
      current = null;
    }
    if (ended != null) {
      ended.close();
    }
  }

  private record Subscriber(Predicate<JsonNode> mine, Consumer<JsonNode> consumer) {}

  /**
   * One opening of the shared stream: once the last subscriber left, it delivers nothing more,
   * though its task may still be reading while a newer generation starts for a new subscriber.
   */
  private final class Generation {
    volatile EventStream stream;
    volatile boolean ended;

    void deliver(JsonNode event) {
      if (ended) {
        return;
      }
      for (Subscriber s : subscribers) {
        try {
          if (s.mine().test(event)) {
            s.consumer().accept(event);
          }
        } catch (RuntimeException e) {
          LOG.warn("{}: a subscriber failed on an event", what, e);
        }
      }
    }

    void close() {
      ended = true;
      EventStream s = stream;
      if (s != null) {
        s.close();
      }
    }
  }
}
