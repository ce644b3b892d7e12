package io.stackwright.swarm;

import static io.stackwright.swarm.SwarmTestSupport.dockerOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.swarm.internal.Resolution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling update the engine paused (its new tasks failed the update's monitor, as when a node is
 * lost mid-update) stays paused after the cause is gone: the next deploy of the same spec must see
 * it ({@code plan} shows {@code UpdateStatus.State}) and resume it to the end. Made on the real
 * Swarm: the new version's replicas are unhealthy while a file on the host exists (the workload's
 * {@code HEALTH_FAIL_FILE}, bind-mounted), which the test then removes.
 */
class PausedUpdateIT {
  private final SwarmTestSupport support = new SwarmTestSupport();
  private final SwarmPlatform platform = support.platform;
  @TempDir Path flags;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  private StackSpec version(String name, String version) {
    return StackSpec.builder(name)
        .service(
            ServiceSpec.builder("web", SwarmTestSupport.IMAGE)
                .replicas(2)
                .env("VERSION", version)
                .env("HEALTH_FAIL_FILE", "/flags/" + version)
                .mount(MountSpec.bind(flags.toString(), "/flags", true))
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .healthcheck(
                    HealthcheckSpec.cmd("/server", "--probe")
                        .withTimings(Duration.ofMillis(500), Duration.ofSeconds(1), null, 2))
                .stopGracePeriod(Duration.ofSeconds(1))
                .updatePolicy(
                    new UpdatePolicy(
                        1,
                        Duration.ZERO,
                        UpdatePolicy.FailureAction.PAUSE,
                        Duration.ofSeconds(3),
                        0,
                        UpdatePolicy.Order.STOP_FIRST))
                .build())
        .build();
  }

  private static String updateState(String service) {
    return dockerOk(
            "service",
            "inspect",
            "-f",
            "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}",
            service)
        .trim();
  }

  private static List<String> runningVersions(String service) {
    return dockerOk(
            "service",
            "ps",
            service,
            "--filter",
            "desired-state=running",
            "--format",
            "{{.CurrentState}}")
        .lines()
        .toList();
  }

  @Test
  void aPausedUpdateIsPlannedAndResumedByTheNextDeploy() throws Exception {
    String name = support.stack("paused");
    String service = name + "_web";
    StackSpec v1 = version(name, "v1");
    platform.apply(v1, platform.plan(v1), e -> {});
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> platform.status(name).service("web").orElseThrow().readyReplicas() == 2);

    Files.writeString(flags.resolve("v2"), "unhealthy while this file exists");
    StackSpec v2 = version(name, "v2");
    platform.apply(v2, platform.plan(v2), e -> {});
    await("the engine pauses the update")
        .atMost(Duration.ofSeconds(90))
        .until(() -> updateState(service).equals("paused"));

    Files.delete(flags.resolve("v2"));
    Plan plan = platform.plan(v2);
    assertThat(plan.changes()).hasSize(1);
    assertThat(((Change.Update) plan.changes().get(0)).fields())
        .containsExactly(new FieldChange(Resolution.UPDATE_STATE, "paused", "resumed"));

    platform.apply(v2, plan, e -> {});
    await("the update resumed to the end")
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                updateState(service).equals("completed")
                    && platform.status(name).service("web").orElseThrow().readyReplicas() == 2
                    && platform.status(name).service("web").orElseThrow().currentTasks().size()
                        == 2);
    assertThat(
            dockerOk(
                "service",
                "inspect",
                "-f",
                "{{json .Spec.TaskTemplate.ContainerSpec.Env}}",
                service))
        .contains("VERSION=v2");
    assertThat(platform.plan(v2).isEmpty()).as("nothing left to resume").isTrue();
    assertThat(runningVersions(service)).hasSize(2);
  }
}
