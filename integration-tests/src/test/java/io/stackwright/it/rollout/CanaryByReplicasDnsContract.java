package io.stackwright.it.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A canary stepped by replica count, without a router, really gets traffic: during each step a
 * client container on the stack's network sends requests to the service's own DNS name and counts
 * which version answers (the workload answers {@code version=<VERSION>}).
 */
abstract class CanaryByReplicasDnsContract {
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofMinutes(3));
  private static final Duration WAIT = Duration.ofMinutes(4);
  private static final int REQUESTS = 60;

  private String stack;
  private Orchestrator orchestrator;

  abstract String platform();

  /** The names clients use for the service on its network. */
  abstract List<String> dnsNames();

  @BeforeEach
  void start() {
    stack = RolloutStacks.name(platform().charAt(0) + "cdns");
    orchestrator = Orchestrator.builder().platform(platform()).build();
  }

  @AfterEach
  void stop() {
    orchestrator.remove(stack, RemoveOptions.withVolumes());
    orchestrator.close();
  }

  private static RolloutPolicy byReplicas() {
    return RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
        .canary(
            CanaryPolicy.builder()
                .step(CanaryStep.replicas(1, Duration.ofSeconds(15)))
                .step(CanaryStep.replicas(2, Duration.ofSeconds(15)))
                .autoPromote(true)
                .build())
        .build();
  }

  private StackSpec stack(String image) {
    return RolloutStacks.stack(stack, RolloutStacks.web(image, 3).rollout(byReplicas()).build());
  }

  /** Which versions answer {@code REQUESTS} requests to {@code name}, from a client container. */
  private Map<String, Integer> versionsAnswering(String name) {
    String script =
        "i=0; while test $i -lt "
            + REQUESTS
            + "; do wget -q -O- http://"
            + name
            + ":8080/ || echo failed; i=$((i+1)); done";
    Shell.Result result =
        Shell.docker(
            "run",
            "--rm",
            "--name",
            stack + "-client-" + System.nanoTime() % 100000,
            "--network",
            stack + "_net",
            "--entrypoint",
            "/bin/sh",
            RolloutStacks.IMAGE_V1,
            "-c",
            script);
    assertThat(result.exitCode()).as(result.err()).isZero();
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : result.out().split("\n")) {
      String version =
          line.contains("version=") ? line.substring(line.indexOf("version=") + 8).trim() : line;
      counts.merge(version, 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void theCanaryReplicasAnswerUnderTheServicesNameDuringEveryStep() {
    DeploymentResult v1 = orchestrator.deploy(stack(RolloutStacks.IMAGE_V1), OPTIONS).await(WAIT);
    assertThat(v1.succeeded()).as(v1.message()).isTrue();

    Deployment rollout = orchestrator.deploy(stack(RolloutStacks.IMAGE_V2), OPTIONS);
    Map<String, Map<String, Map<String, Integer>>> seen = new LinkedHashMap<>();
    for (String step : List.of("canary-1", "canary-2")) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  rollout.events().stream()
                      .anyMatch(
                          e ->
                              e.type() == EventType.ROLLOUT_STEP
                                  && step.equals(e.attributes().get("step"))));
      Map<String, Map<String, Integer>> byName = new LinkedHashMap<>();
      for (String name : dnsNames()) {
        byName.put(name, versionsAnswering(name));
      }
      seen.put(step, byName);
    }
    DeploymentResult result = rollout.await(WAIT);
    System.out.println("versions answering the service's name, by step: " + seen);

    assertThat(result.succeeded()).as(result.message()).isTrue();
    seen.forEach(
        (step, byName) ->
            byName.forEach(
                (name, counts) ->
                    assertThat(counts)
                        .as("%s during %s (3 v1 replicas beside the canary's)", name, step)
                        .containsKeys("v1", "v2")
                        .doesNotContainKey("failed")));
  }
}
