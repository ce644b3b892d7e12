package io.stackwright.core.internal;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
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
  private int openDeployments;

  public EventLog(List<EventListener> initialListeners) {
    listeners.addAll(initialListeners);
  }

  @Override
  public void onEvent(OrchestratorEvent event) {
    synchronized (this) {
      switch (event.type()) {
        case DEPLOYMENT_STARTED -> openDeployments++;
        case DEPLOYMENT_SUCCEEDED, DEPLOYMENT_FAILED ->
            openDeployments = Math.max(0, openDeployments - 1);
        default -> {}
      }
      events.add(event);
      for (EventListener listener : listeners) {
        deliver(listener, event);
      }
    }
    LOG.debug("{}", event);
  }

  /** Replays the events so far to {@code listener}, then sends it each new one until closed. */
  public synchronized Subscription subscribe(EventListener listener) {
    for (OrchestratorEvent past : events) {
      deliver(listener, past);
    }
    // a wrapper of its own, so that closing removes this subscription only
    EventListener own = listener::onEvent;
    listeners.add(own);
    return () -> listeners.remove(own);
  }

  /** Whether a DEPLOYMENT_STARTED of this log has had no end event yet. */
  public synchronized boolean deploymentOpen() {
    return openDeployments > 0;
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
