package io.stackwright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.metrics.InMemoryMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The examples the README shows, run against the local Swarm as a reader would run them. */
class ExamplesIT {

  @Test
  void theDemoDeploysTheDemoStackReportsItAndRemovesIt() throws Exception {
    Path jar = Path.of("target", "stackwright-examples.jar").toAbsolutePath();
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar.toString(),
                "io.stackwright.examples.QuickstartDemo",
                "demo/stack.yml")
            .redirectErrorStream(true)
            .start();
    demo.getOutputStream().close();
    assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("the demo ends within 5 minutes").isTrue();
    String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(demo.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("SUCCEEDED in", "web    2/2 replicas ready", "Removed stack 'demo'");
  }

  @Test
  void theHealthQuickstartReportsEveryReplicaReady() throws InterruptedException, IOException {
    StackSpec stack =
        StackSpec.builder("examples-health")
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .replicas(2)
                    .healthcheck(HealthcheckSpec.cmd("/server", "--probe"))
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .health(
                        HealthPolicy.builder()
                            .readiness(
                                ProbeSpec.http(8080, "/health").period(Duration.ofSeconds(2)))
                            .build())
                    .build())
            .build();
    try (Orchestrator orchestrator = Orchestrator.builder().platform("swarm").build()) {
      try {
        assertThat(
                orchestrator
                    .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
                    .await(Duration.ofMinutes(3))
                    .succeeded())
            .isTrue();
        InMemoryMetrics metrics = new InMemoryMetrics();
        List<ReplicaHealth> replicas =
            HealthQuickstart.watch(stack, "example".getBytes(StandardCharsets.UTF_8), metrics);
        assertThat(replicas).hasSize(2).allMatch(ReplicaHealth::ready);
        assertThat(metrics.prometheusText()).contains("stackwright_probe_results");
      } finally {
        orchestrator.remove(stack.name(), RemoveOptions.keepVolumes());
      }
    }
  }
}
