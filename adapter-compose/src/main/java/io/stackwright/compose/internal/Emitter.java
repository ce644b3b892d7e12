package io.stackwright.compose.internal;

import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends events to a listener, stamped by the context's clock; a failing listener is logged. */
final class Emitter {
  private static final Logger LOG = LoggerFactory.getLogger(Emitter.class);

  private final EventListener listener;
  private final Clock clock;
  private final String stack;

  Emitter(EventListener listener, Clock clock, String stack) {
    this.listener = listener == null ? EventListener.none() : listener;
    this.clock = clock;
    this.stack = stack;
  }

  void emit(EventType type, String subject, String message, Map<String, String> attributes) {
    try {
      listener.onEvent(
          new OrchestratorEvent(clock.instant(), type, stack, subject, message, attributes));
    } catch (RuntimeException e) {
      LOG.warn("An event listener of stack {} failed on {} {}", stack, type, subject, e);
    }
  }

  void emit(EventType type, String subject, String message) {
    emit(type, subject, message, Map.of());
  }

  void warn(String subject, String message) {
    LOG.warn("Stack {}: {}", stack, message);
    emit(EventType.WARNING, subject, message);
  }
}
