package io.stackwright.it.rollout;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.rollout.RolloutPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The stacks the rollout tests deploy: one workload service {@code web} on network {@code net}. */
final class RolloutStacks {
  static final String IMAGE_V1 = "stackwright/workload:test";
  static final String IMAGE_V2 = "stackwright/workload:v2";

  private RolloutStacks() {}

  /** A stack name unique to this run. */
  static String name(String what) {
    return "ro" + what + Long.toString(System.nanoTime() % 1_000_000, 36);
  }

  /** The workload, {@code replicas} replicas, healthcheck every second, started first. */
  static ServiceSpec.Builder web(String image, int replicas) {
    return ServiceSpec.builder("web", image)
        .replicas(replicas)
        .network("net")
        .endpointMode(ServiceSpec.EndpointMode.DNSRR)
        .healthcheck(
            HealthcheckSpec.cmd("/server", "--probe")
                .withTimings(Duration.ofMillis(500), Duration.ofSeconds(2), null, 2))
        .stopGracePeriod(Duration.ofSeconds(2))
        .updatePolicy(
            new UpdatePolicy(
                1,
                Duration.ofMillis(500),
                UpdatePolicy.FailureAction.PAUSE,
                Duration.ofSeconds(3),
                0,
                UpdatePolicy.Order.START_FIRST))
        .rollout(RolloutPolicy.rolling(Duration.ofSeconds(3)));
  }

  static StackSpec stack(String name, ServiceSpec web) {
    return StackSpec.builder(name)
        .network(
            new NetworkSpec("net", null, null, Map.of(), true, false, false, List.of(), Map.of()))
        .service(web)
        .build();
  }
}
