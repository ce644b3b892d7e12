package io.stackwright.core.health.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.StateStore;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's events: to the orchestrator's listeners, and appended to the stack's health history
 * in the state store (on the persistence thread, in order).
 */
final class HealthEvents {
  private static final Logger LOG = LoggerFactory.getLogger(HealthEvents.class);

  static final String HISTORY_NAMESPACE = "health-events";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String stack;
  private final Clock clock;
  private final EventListener listener;
  private final StateStore store;
  private final ExecutorService persistence;
  private final int keep;

  HealthEvents(
      String stack,
      Clock clock,
      EventListener listener,
      StateStore store,
      ExecutorService persistence,
      int keep) {
    this.stack = stack;
    this.clock = clock;
    this.listener = listener;
    this.store = store;
    this.persistence = persistence;
    this.keep = keep;
  }

  EventListener listener() {
    return this::publish;
  }

  void emit(EventDetail detail, String subject, String message) {
    publish(new OrchestratorEvent(clock.instant(), stack, subject, message, detail));
  }

  void publish(OrchestratorEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("An event listener failed on {}", event.type(), e);
    }
    ObjectNode record = JSON.createObjectNode();
    record.put("at", event.timestamp().toString());
    record.put("type", event.type().name());
    record.put("subject", event.subject());
    record.put("message", event.message());
    event.attributes().forEach(record.with("attributes")::put);
    try {
      persistence.execute(() -> append(record.toString()));
    } catch (RejectedExecutionException e) {
      LOG.debug("Health history closed; {} not recorded", event.type());
    }
  }

  private void append(String record) {
    try {
      store.append(HISTORY_NAMESPACE, stack, record, keep);
    } catch (RuntimeException e) {
      LOG.warn("Cannot record health history of {}: {}", stack, e.getMessage());
    }
  }
}
