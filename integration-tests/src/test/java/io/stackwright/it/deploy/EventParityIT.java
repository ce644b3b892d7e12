package io.stackwright.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The same scenario on Swarm and on the single engine (deploy two replicas, remove one replica's
 * container, wait for its replacement, remove the stack) tells the same story in events: the same
 * kinds in the same order, with the same typed fields filled in.
 */
class EventParityIT {
  /** The kinds the story is told in (resources and jobs differ by nature between platforms). */
  private static final Set<EventType> STORY =
      EnumSet.of(
          EventType.DEPLOYMENT_STARTED,
          EventType.PLAN_COMPUTED,
          EventType.DEPLOYMENT_SUCCEEDED,
          EventType.DEPLOYMENT_FAILED,
          EventType.REPLICA_REPLACED,
          EventType.STACK_REMOVED);

  private record Story(List<OrchestratorEvent> events, String removedReplica) {
    List<EventType> kinds() {
      return events.stream().map(OrchestratorEvent::type).filter(STORY::contains).toList();
    }

    /** Per kind of the story, the fields its events fill in. */
    Map<EventType, Set<String>> fields() {
      Map<EventType, Set<String>> fields = new TreeMap<>();
      for (OrchestratorEvent e : events) {
        if (STORY.contains(e.type())) {
          fields.computeIfAbsent(e.type(), k -> new TreeSet<>()).addAll(e.attributes().keySet());
        }
      }
      return fields;
    }

    EventDetail.ReplicaReplaced replaced() {
      return events.stream()
          .map(OrchestratorEvent::detail)
          .filter(EventDetail.ReplicaReplaced.class::isInstance)
          .map(EventDetail.ReplicaReplaced.class::cast)
          .findFirst()
          .orElseThrow();
    }
  }

  private static Story run(String platform, String name) {
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    try (Orchestrator orchestrator =
        Orchestrator.builder().platform(platform).listener(events::add).build()) {
      StackSpec stack =
          StackSpec.builder(name)
              .service(
                  ServiceSpec.builder("web", "stackwright/workload:test")
                      .replicas(2)
                      .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                      .build())
              .build();
      try {
        DeploymentResult result =
            orchestrator
                .deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
                .await(Duration.ofMinutes(3));
        assertThat(result.succeeded()).as(platform + ": " + result.message()).isTrue();
        String removed;
        try (Subscription kept = orchestrator.keep(stack)) {
          TaskState victim = running(orchestrator, name).get(0);
          removed = victim.id();
          assertThat(Shell.docker("rm", "-f", victim.containerId()).exitCode()).isZero();
          await(platform + ": the removed replica is replaced and reported")
              .atMost(Duration.ofMinutes(1))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> events.stream().anyMatch(e -> e.type() == EventType.REPLICA_REPLACED));
          await(platform + ": two replicas run again")
              .atMost(Duration.ofMinutes(1))
              .until(() -> running(orchestrator, name).size() == 2);
        }
        orchestrator.remove(name, RemoveOptions.withVolumes());
        return new Story(List.copyOf(events), removed);
      } finally {
        if (!orchestrator.status(name).isEmpty()) {
          orchestrator.remove(name, RemoveOptions.withVolumes());
        }
      }
    }
  }

  private static List<TaskState> running(Orchestrator orchestrator, String name) {
    return orchestrator.status(name).service("web").orElseThrow().tasks().stream()
        .filter(t -> t.status() == TaskStatus.RUNNING && t.containerId() != null)
        .toList();
  }

  @Test
  void swarmAndTheSingleEngineTellTheSameStory() {
    Story swarm = run("swarm", "swe-parity-swarm");
    Story single = run("compose", "swe-parity-single");

    List<EventType> expected =
        List.of(
            EventType.DEPLOYMENT_STARTED,
            EventType.PLAN_COMPUTED,
            EventType.DEPLOYMENT_SUCCEEDED,
            EventType.REPLICA_REPLACED,
            EventType.STACK_REMOVED);
    assertThat(swarm.kinds()).as("swarm").isEqualTo(expected);
    assertThat(single.kinds()).as("single engine").isEqualTo(expected);
    assertThat(single.fields())
        .as(
            "the same fields on both; swarm %s, single engine %s",
            swarm.replaced(), single.replaced())
        .isEqualTo(swarm.fields());

    for (Story story : List.of(swarm, single)) {
      EventDetail.ReplicaReplaced replaced = story.replaced();
      assertThat(replaced.service()).isEqualTo("web");
      assertThat(replaced.oldReplica()).isEqualTo(story.removedReplica());
      assertThat(replaced.newReplica()).isNotBlank().isNotEqualTo(replaced.oldReplica());
      assertThat(replaced.slot()).isPositive();
    }
    System.out.printf(
        "EVENTS swarm: %s%nEVENTS single engine: %s%n", swarm.kinds(), single.kinds());
  }
}
