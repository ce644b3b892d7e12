package io.stackwright.swarm;

import static io.stackwright.swarm.SwarmTestSupport.dockerOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.MountSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.swarm.internal.StackNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An update the engine paused (a task of the new spec failed, and {@code failure_action} is the
 * engine's default, pause) leaves the service half updated with its spec already the desired one:
 * the next deploy of the same spec must see it as a change and finish the update.
 */
class PausedUpdateIT {
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  private final SwarmTestSupport support = new SwarmTestSupport();
  private final SwarmPlatform platform = support.platform;
  private Path hostDirectory;

  @AfterEach
  void cleanUp() throws IOException {
    support.close();
    if (hostDirectory != null) {
      Files.deleteIfExists(hostDirectory);
    }
  }

  private static StackSpec stack(String name, MountSpec mount) {
    ServiceSpec.Builder web =
        ServiceSpec.builder("web", SwarmTestSupport.IMAGE)
            .replicas(2)
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .stopGracePeriod(Duration.ofSeconds(1))
            .updatePolicy(
                new UpdatePolicy(
                    1,
                    Duration.ZERO,
                    UpdatePolicy.FailureAction.PAUSE,
                    Duration.ofSeconds(2),
                    0,
                    UpdatePolicy.Order.STOP_FIRST));
    if (mount != null) {
      web.mount(mount);
    }
    return StackSpec.builder(name).service(web.build()).build();
  }

  private String updateState(String name) {
    return dockerOk(
            "service",
            "inspect",
            StackNames.scope(name, "web"),
            "--format",
            "{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}")
        .strip();
  }

  @Test
  void theNextDeployOfTheSameSpecResumesAPausedUpdateAndConverges() throws IOException {
    String name = support.stack("paused");
    StackSpec first = stack(name, null);
    platform.apply(first, platform.plan(first), e -> {});
    await().atMost(CONVERGE).until(() -> StackLifecycleIT.converged(platform.status(name), first));

    // the second revision mounts a host directory that is not there yet: its first task is
    // rejected and the engine pauses the update
    hostDirectory = Path.of(System.getProperty("java.io.tmpdir"), "sw-paused-" + name);
    Files.deleteIfExists(hostDirectory);
    StackSpec second = stack(name, MountSpec.bind(hostDirectory.toString(), "/data", true));
    platform.apply(second, platform.plan(second), e -> {});
    await().atMost(CONVERGE).until(() -> updateState(name).equals("paused"));

    Plan resume = platform.plan(second);
    assertThat(resume.changes())
        .singleElement()
        .satisfies(
            change -> {
              assertThat(change).isInstanceOf(Change.Update.class);
              assertThat(change.key()).isEqualTo("web");
              assertThat(((Change.Update) change).fields())
                  .containsExactly(new FieldChange("UpdateStatus.State", "paused", "completed"));
            });

    // the cause is gone: applying the plan resumes the update, which now completes
    Files.createDirectories(hostDirectory);
    List<OrchestratorEvent> resumed = new CopyOnWriteArrayList<>();
    platform.apply(second, resume, resumed::add);
    assertThat(resumed)
        .extracting(OrchestratorEvent::message)
        .containsExactly("resumed the update of service " + StackNames.scope(name, "web"));
    await()
        .atMost(CONVERGE)
        .until(
            () ->
                updateState(name).equals("completed")
                    && StackLifecycleIT.converged(platform.status(name), second));
    assertThat(platform.plan(second).changes()).isEmpty();
    assertThat(platform.status(name).service("web").orElseThrow().currentTasks())
        .hasSize(2)
        .allSatisfy(t -> assertThat(t.current()).isTrue());
  }
}
