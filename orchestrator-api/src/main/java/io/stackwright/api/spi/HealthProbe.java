package io.stackwright.api.spi;

import io.stackwright.api.health.ProbeResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A custom probe kind ({@code kind: custom, name: <name>} in {@code x-stackwright.health}): an
 * application-specific check such as a database query. Found through {@code ServiceLoader} ({@code
 * META-INF/services/io.stackwright.api.spi.HealthProbe}) or registered in code on the
 * orchestrator's builder. Probes run on the health monitor's single scheduler: return a stage that
 * completes later and never block the calling thread.
 */
public interface HealthProbe {

  /** The name probes refer to. */
  String name();

  /**
   * Checks one replica. The monitor counts a stage that has not completed within {@code timeout} as
   * a failure, and a stage that completes exceptionally as a failure with the exception's message.
   */
  CompletionStage<ProbeResult> probe(
      ProbeTarget target, Map<String, String> settings, Duration timeout);
}
