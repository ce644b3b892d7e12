package io.stackwright.examples;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.StackSpec;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.loader.ComposeLoader;
import io.stackwright.micrometer.MicrometerMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A host application that exposes Stackwright's meters to Prometheus: Micrometer's Prometheus
 * registry behind {@code GET /metrics} (the JDK's HTTP server here; Spring Boot's actuator or
 * Quarkus serve the same registry at {@code /actuator/prometheus} or {@code /q/metrics}).
 *
 * <pre>
 * java -cp examples/target/stackwright-examples.jar io.stackwright.examples.MetricsEndpointExample \
 *     stack.yml shop 9464
 * # prometheus.yml: scrape_configs: [{job_name: stackwright, static_configs: [{targets: ['host:9464']}]}]
 * </pre>
 */
public final class MetricsEndpointExample {
  private MetricsEndpointExample() {}

  // metrics-begin
  /** An orchestrator whose meters go to the host's registry, rollout meters included. */
  public static Orchestrator orchestrator(MeterRegistry registry, String platform) {
    MicrometerMetrics metrics = MicrometerMetrics.of(registry);
    return Orchestrator.builder()
        .platform(platform)
        .metrics(metrics) // health, scaling: replicas, probes, crash loops, decisions
        .build();
  }

  /** {@code GET /metrics} in the Prometheus text format, on {@code port} (0: any free port). */
  public static HttpServer serve(PrometheusMeterRegistry registry, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  // metrics-end

  /** Deploys a Compose file, watches its health and serves the meters until interrupted. */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: MetricsEndpointExample <compose-file> <stack> [port]");
      System.exit(2);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server = serve(registry, args.length > 2 ? Integer.parseInt(args[2]) : 9464);
    System.out.println("metrics at http://localhost:" + server.getAddress().getPort() + "/metrics");
    StackSpec stack = ComposeLoader.load(Path.of(args[0]), args[1]);
    try (Orchestrator orchestrator = orchestrator(registry, "swarm")) {
      DeploymentResult result =
          orchestrator.deploy(stack, DeployOptions.defaults()).await(Duration.ofMinutes(5));
      System.out.println(result.outcome() + ": " + result.message());
      try (HealthWatch watch = orchestrator.monitor(stack)) {
        Thread.currentThread().join(); // until the process is stopped
      }
    } finally {
      server.stop(0);
    }
  }
}
