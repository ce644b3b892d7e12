package io.stackwright.compose.internal;

import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import java.time.Clock;
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

  void emit(EventDetail detail, String subject, String message) {
    try {
      listener.onEvent(new OrchestratorEvent(clock.instant(), stack, subject, message, detail));
    } catch (RuntimeException e) {
      LOG.warn("An event listener of stack {} failed on {} {}", stack, detail.type(), subject, e);
    }
  }

  void warn(String subject, String code, String message) {
    LOG.warn("Stack {}: {}", stack, message);
    emit(EventDetail.Warning.of(code), subject, message);
  }
}
