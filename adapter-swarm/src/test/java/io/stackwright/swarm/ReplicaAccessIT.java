package io.stackwright.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.state.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands in a task's container, and replacing one task by removing its container. */
class ReplicaAccessIT {
  private final SwarmTestSupport support = new SwarmTestSupport();
  private final SwarmPlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  private TaskState deployOneReplica(String name) {
    StackSpec stack =
        StackSpec.builder(name)
            .service(
                ServiceSpec.builder("app", SwarmTestSupport.IMAGE)
                    .replicas(1)
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();
    platform.apply(stack, platform.plan(stack), e -> {});
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> running(name), t -> !t.isEmpty())
        .get(0);
  }

  private List<TaskState> running(String name) {
    return platform.status(name).service("app").map(s -> s.tasks()).orElse(List.of()).stream()
        .filter(t -> t.status() == io.stackwright.api.state.TaskStatus.RUNNING)
        .toList();
  }

  @Test
  void execRunsInTheTasksContainerAndReportsExitCodeOutputAndTimeout() {
    TaskState task = deployOneReplica(support.stack("health-exec"));

    ExecResult ok =
        platform.exec(
            "x", task, List.of("/server", "--probe", "/health", "8080"), Duration.ofSeconds(5));
    assertThat(ok.succeeded()).as(ok.output()).isTrue();

    ExecResult failed =
        platform.exec(
            "x", task, List.of("/bin/sh", "-c", "echo nope; exit 3"), Duration.ofSeconds(5));
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.output()).contains("nope");

    ExecResult slow = platform.exec("x", task, List.of("/bin/sleep", "5"), Duration.ofMillis(300));
    assertThat(slow.timedOut()).isTrue();
    assertThat(slow.succeeded()).isFalse();
  }

  @Test
  void replaceRemovesTheContainerAndSwarmStartsANewTask() {
    String name = support.stack("health-replace");
    TaskState task = deployOneReplica(name);
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();

    platform.replace(name, task, events::add);

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.detail())
                  .isInstanceOfSatisfying(
                      EventDetail.ReplicaReplaced.class,
                      r -> {
                        assertThat(r.oldReplica()).isEqualTo(task.id());
                        // the task Swarm scheduled for the slot, as the single engine names its
                        // new container
                        assertThat(r.newReplica()).isNotNull().isNotEqualTo(task.id());
                        assertThat(r.slot()).isEqualTo(task.slot());
                      });
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> running(name),
            tasks -> tasks.size() == 1 && !tasks.get(0).id().equals(task.id()));
  }
}
