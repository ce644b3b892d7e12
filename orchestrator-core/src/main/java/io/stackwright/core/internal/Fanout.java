package io.stackwright.core.internal;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one handle (a health watch, an autoscaling, a stack): each gets the events
 * from its subscription on, until it closes it. Keeps no history. A subscriber that throws is
 * logged and kept.
 */
public final class Fanout implements EventListener {
  private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

  private final List<Entry> subscribers = new CopyOnWriteArrayList<>();

  private record Entry(EventListener listener, Predicate<OrchestratorEvent> filter) {}

  public Subscription subscribe(EventListener listener) {
    return subscribe(listener, e -> true);
  }

  /** Subscribes {@code listener} to the events {@code filter} accepts. */
  public Subscription subscribe(EventListener listener, Predicate<OrchestratorEvent> filter) {
    Entry entry = new Entry(Objects.requireNonNull(listener, "listener"), filter);
    subscribers.add(entry);
    return () -> subscribers.remove(entry);
  }

  @Override
  public void onEvent(OrchestratorEvent event) {
    for (Entry entry : subscribers) {
      if (!entry.filter().test(event)) {
        continue;
      }
      try {
        entry.listener().onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("A subscriber failed on {} and is ignored", event.type(), e);
      }
    }
  }

  /** {@code first}, then this fan-out. */
  public EventListener after(EventListener first) {
    return event -> {
      first.onEvent(event);
      onEvent(event);
    };
  }
}
