package io.stackwright.core.internal;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every event of one operation and fans it out to listeners; a late listener first gets the
 * events it missed. A listener that throws is logged and kept.
 */
public final class EventLog implements EventListener {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

  private final List<OrchestratorEvent> events = new ArrayList<>();
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

  public EventLog(List<EventListener> initialListeners) {
    listeners.addAll(initialListeners);
  }

  @Override
  public void onEvent(OrchestratorEvent event) {
    synchronized (this) {
      events.add(event);
      for (EventListener listener : listeners) {
        deliver(listener, event);
      }
    }
    LOG.debug("{}", event);
  }

  public synchronized void subscribe(EventListener listener) {
    for (OrchestratorEvent past : events) {
      deliver(listener, past);
    }
    listeners.add(listener);
  }

  public synchronized List<OrchestratorEvent> snapshot() {
    return List.copyOf(events);
  }

  private static void deliver(EventListener listener, OrchestratorEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("An event listener failed on {} and is ignored", event.type(), e);
    }
  }
}
