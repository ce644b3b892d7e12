package io.stackwright.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Commands in a container, and recreating one container of a service. */
class ReplicaAccessIT {
  private final ComposeTestSupport support = new ComposeTestSupport();
  private final ComposePlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  private List<TaskState> running(String name) {
    return platform.status(name).service("app").map(s -> s.tasks()).orElse(List.of()).stream()
        .filter(t -> t.status() == TaskStatus.RUNNING)
        .toList();
  }

  private List<TaskState> deploy(String name, int replicas) {
    StackSpec stack =
        StackSpec.builder(name)
            .service(ComposeTestSupport.service("app").replicas(replicas).build())
            .build();
    platform.apply(stack, platform.plan(stack), e -> {});
    return await()
        .atMost(ComposeTestSupport.CONVERGE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> running(name), t -> t.size() == replicas);
  }

  @Test
  void execRunsInTheContainerAndReportsExitCodeAndTimeout() {
    TaskState replica = deploy(support.stack("health-exec"), 1).get(0);

    ExecResult ok =
        platform.exec(
            "x", replica, List.of("/server", "--probe", "/health", "8080"), Duration.ofSeconds(5));
    assertThat(ok.succeeded()).isTrue();
    ExecResult failed =
        platform.exec("x", replica, List.of("/bin/sh", "-c", "exit 3"), Duration.ofSeconds(5));
    assertThat(failed.exitCode()).isEqualTo(3);
    ExecResult slow =
        platform.exec("x", replica, List.of("/bin/sleep", "5"), Duration.ofMillis(300));
    assertThat(slow.timedOut()).isTrue();
  }

  @Test
  void replaceRecreatesOneContainerUnderTheSameNumberAndLeavesTheOthers() {
    String name = support.stack("health-replace");
    List<TaskState> before = deploy(name, 2);
    TaskState victim = before.stream().filter(t -> t.slot() == 1).findFirst().orElseThrow();
    TaskState other = before.stream().filter(t -> t.slot() == 2).findFirst().orElseThrow();
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();

    platform.replace(name, victim, events::add);

    assertThat(events)
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.REPLICA_REPLACED));
    List<TaskState> after = running(name);
    assertThat(after).hasSize(2);
    assertThat(after).extracting(TaskState::id).contains(other.id()).doesNotContain(victim.id());
    assertThat(after).extracting(TaskState::slot).containsExactlyInAnyOrder(1, 2);
    // the recreated container is still the service as deployed: nothing to plan
    assertThat(
            platform
                .plan(
                    StackSpec.builder(name)
                        .service(ComposeTestSupport.service("app").replicas(2).build())
                        .build())
                .isEmpty())
        .isTrue();
  }
}
