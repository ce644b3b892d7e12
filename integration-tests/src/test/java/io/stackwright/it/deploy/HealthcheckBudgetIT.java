package io.stackwright.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A deploy of a service whose healthcheck never passes fails once the engine has spent the
 * healthcheck's budget (start period, then retries times the interval), with the replica and how
 * its check failed, instead of waiting out its 3-minute timeout. On both platforms, real engine.
 */
class HealthcheckBudgetIT {

  @ParameterizedTest
  @ValueSource(strings = {"compose", "swarm"})
  void aDeployFailsAsSoonAsAReplicaHasSpentItsHealthcheckBudget(String platform) {
    String stack = "hcb" + platform.charAt(0);
    StackSpec spec =
        StackSpec.builder(stack)
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .replicas(1)
                    .env("FAIL_HEALTH", "1")
                    .healthcheck(
                        HealthcheckSpec.cmd("/server", "--probe")
                            .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(1), null, 2))
                    .stopGracePeriod(Duration.ofSeconds(1))
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();
    try (Orchestrator orchestrator = Orchestrator.builder().platform(platform).build()) {
      try {
        DeploymentResult result =
            orchestrator
                .deploy(spec, DeployOptions.waitingUpTo(Duration.ofMinutes(3)))
                .await(Duration.ofMinutes(4));
        System.out.printf(
            "[healthcheck budget] %s: %s after %d ms (budget 2 x 1 s; timeout 180 s): %s%n",
            platform, result.outcome(), result.elapsed().toMillis(), result.message());
        assertThat(result.outcome())
            .as(result.message())
            .isEqualTo(DeploymentResult.Outcome.FAILED);
        assertThat(result.message()).contains("web", "replica 1");
        if (platform.equals("compose")) {
          assertThat(result.message()).contains("unhealthy", "healthcheck failed");
        }
      } finally {
        orchestrator.remove(stack, RemoveOptions.withVolumes());
      }
    }
  }
}
