package io.stackwright.core.health.internal;

import io.stackwright.api.event.EventDetail;
import io.stackwright.api.health.Alert;
import io.stackwright.api.spi.AlertSink;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each alert to every sink on the blocking executor (a sink may retry for a while) and
 * reports the outcome per sink as {@code ALERT_SENT} or {@code ALERT_FAILED}.
 */
final class AlertDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);

  private final List<AlertSink> sinks;
  private final Executor blocking;
  private final HealthEvents events;

  AlertDispatcher(List<AlertSink> sinks, Executor blocking, HealthEvents events) {
    this.sinks = List.copyOf(sinks);
    this.blocking = blocking;
    this.events = events;
  }

  void send(Alert alert) {
    if (sinks.isEmpty()) {
      LOG.warn(
          "Alert {} of {}/{} has no sink to go to: {}",
          alert.kind(),
          alert.stack(),
          alert.service(),
          alert.summary());
      return;
    }
    for (AlertSink sink : sinks) {
      try {
        blocking.execute(() -> deliver(sink, alert));
      } catch (RejectedExecutionException e) {
        LOG.warn(
            "Alert {} was not sent to {}: the executor is shut down", alert.kind(), sink.name());
      }
    }
  }

  private void deliver(AlertSink sink, Alert alert) {
    try {
      sink.send(alert);
      events.emit(
          new EventDetail.AlertSent(alert.service(), alert.kind(), sink.name()),
          alert.service(),
          alert.kind() + " alert sent to " + sink.name());
    } catch (RuntimeException e) {
      LOG.warn("Alert sink {} failed on {}: {}", sink.name(), alert.kind(), e.getMessage());
      events.emit(
          new EventDetail.AlertFailed(alert.service(), alert.kind(), sink.name(), e.getMessage()),
          alert.service(),
          alert.kind() + " alert could not be sent to " + sink.name() + ": " + e.getMessage());
    }
  }
}
