package io.stackwright.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.TaskState;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a single engine nothing replaces a container that dies: core does, while it keeps the stack
 * ({@link Orchestrator#keep}).
 */
class SingleEngineKeepIT {
  private static final String STACK = "swkeep";

  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private Orchestrator orchestrator;

  @BeforeEach
  void start() {
    orchestrator = Orchestrator.builder().platform("compose").listener(events::add).build();
  }

  @AfterEach
  void stop() {
    orchestrator.remove(STACK, RemoveOptions.withVolumes());
    orchestrator.close();
  }

  @Test
  void aContainerThatIsRemovedOrCrashesIsReplaced() {
    StackSpec stack =
        StackSpec.builder(STACK)
            .service(ServiceSpec.builder("web", "stackwright/workload:test").replicas(2).build())
            .build();
    DeploymentResult result =
        orchestrator
            .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
            .await(Duration.ofMinutes(3));
    assertThat(result.succeeded()).as(result.message()).isTrue();

    try (Subscription kept = orchestrator.keep(stack)) {
      String removed = runningContainers().get(0);
      assertThat(Shell.docker("rm", "-f", removed).exitCode()).isZero();
      await("the removed container is replaced")
          .atMost(Duration.ofMinutes(1))
          .until(() -> runningContainers().size() == 2 && !runningContainers().contains(removed));

      String crashing = runningContainers().get(0);
      Shell.docker("exec", crashing, "/bin/sh", "-c", "kill 1");
      await("the crashed container runs again")
          .atMost(Duration.ofMinutes(1))
          .until(() -> runningContainers().size() == 2 && orchestrator.plan(stack).isEmpty());
    }

    assertThat(events)
        .filteredOn(e -> e.type() == EventType.REPLICA_REPLACED)
        .extracting(OrchestratorEvent::subject)
        .contains("web");
  }

  private List<String> runningContainers() {
    ServiceState web = orchestrator.status(STACK).service("web").orElseThrow();
    return web.tasks().stream()
        .filter(t -> t.status() == io.stackwright.api.state.TaskStatus.RUNNING)
        .map(TaskState::containerId)
        .toList();
  }
}
