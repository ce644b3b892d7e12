package io.stackwright.examples;

import io.stackwright.api.StackSpec;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.health.WebhookAlertSink;
import io.stackwright.core.metrics.InMemoryMetrics;
import java.net.URI;
import java.util.List;

/** The health snippet of README.md, compiled: monitors a deployed stack and alerts a webhook. */
public final class HealthQuickstart {
  private HealthQuickstart() {}

  /** Probes {@code stack} for a minute and returns the health of its replicas then. */
  public static List<ReplicaHealth> watch(StackSpec stack, byte[] secret, InMemoryMetrics metrics)
      throws InterruptedException {
    // health-begin
    try (Orchestrator orchestrator =
            Orchestrator.builder()
                .platform("swarm")
                .alertSink(
                    WebhookAlertSink.builder(URI.create("https://ops.example/hooks/stackwright"))
                        .signingSecret(secret)
                        .build()) // JSON POST, retries, HMAC-SHA256 signature
                .metrics(metrics) // InMemoryMetrics prints Prometheus text
                .build();
        HealthWatch watch = orchestrator.monitor(stack)) {
      Thread.sleep(60_000);
      return watch.replicas(); // current health per replica
    }
    // health-end
  }
}
