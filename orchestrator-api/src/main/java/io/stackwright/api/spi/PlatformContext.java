package io.stackwright.api.spi;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What the orchestrator hands a platform: its clock, its executor for blocking calls, the host
 * application's settings, and where the platform's own metrics go.
 *
 * @param clock for event timestamps and timeouts
 * @param executor for blocking engine calls and watchers; owned by the orchestrator
 * @param properties settings such as {@code docker.host}
 * @param metrics where the platform records its calls to the engine or cluster (the Docker
 *     adapters: {@code stackwright.engine.requests}); {@link MetricsRecorder#NONE} when absent
 */
public record PlatformContext(
    Clock clock,
    ExecutorService executor,
    Map<String, String> properties,
    MetricsRecorder metrics) {

  /** The Docker endpoint to use; {@code DOCKER_HOST} or the local socket when absent. */
  public static final String DOCKER_HOST = "docker.host";

  public PlatformContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    metrics = metrics == null ? MetricsRecorder.NONE : metrics;
  }

  /** A context whose platform records no metrics. */
  public PlatformContext(Clock clock, ExecutorService executor, Map<String, String> properties) {
    this(clock, executor, properties, MetricsRecorder.NONE);
  }

  public Optional<String> property(String key) {
    return Optional.ofNullable(properties.get(key));
  }
}
