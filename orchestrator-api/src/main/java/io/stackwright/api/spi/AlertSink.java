package io.stackwright.api.spi;

import io.stackwright.api.health.Alert;

/**
 * Where alerts go (a webhook, a pager, a chat). Registered in code on the orchestrator's builder,
 * or found through {@code ServiceLoader} ({@code
 * META-INF/services/io.stackwright.api.spi.AlertSink}; such sinks configure themselves, for
 * instance from system properties). Sinks are called on the orchestrator's executor, one alert at a
 * time per sink, and may block (retries included).
 */
public interface AlertSink extends AutoCloseable {

  String name();

  /**
   * Delivers one alert.
   *
   * @throws io.stackwright.api.OrchestratorException when it could not be delivered; the monitor
   *     reports it as {@code ALERT_FAILED}
   */
  void send(Alert alert);

  @Override
  default void close() {}
}
