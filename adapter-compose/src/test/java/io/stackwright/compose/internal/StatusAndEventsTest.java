package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.compose.internal.Observed.Container;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusAndEventsTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void containerStatesMapToTaskStates() {
    assertThat(StatusReader.status("created", 0)).isEqualTo(TaskStatus.READY);
    assertThat(StatusReader.status("running", 0)).isEqualTo(TaskStatus.RUNNING);
    assertThat(StatusReader.status("paused", 0)).isEqualTo(TaskStatus.RUNNING);
    assertThat(StatusReader.status("restarting", 0)).isEqualTo(TaskStatus.STARTING);
    assertThat(StatusReader.status("exited", 0)).isEqualTo(TaskStatus.COMPLETE);
    assertThat(StatusReader.status("exited", 2)).isEqualTo(TaskStatus.FAILED);
    assertThat(StatusReader.status("dead", 0)).isEqualTo(TaskStatus.FAILED);
    assertThat(StatusReader.status("removing", 0)).isEqualTo(TaskStatus.REMOVE);
  }

  @Test
  void anUnhealthyContainerSaysHowItsHealthcheckFailed() throws Exception {
    JsonNode inspect =
        mapper.readTree(
            """
            {"Created": "2024-05-01T10:00:00.5Z",
             "State": {"Status": "running", "ExitCode": 0, "Error": "",
                       "StartedAt": "2024-05-01T10:00:01Z", "FinishedAt": "0001-01-01T00:00:00Z",
                       "Health": {"Status": "unhealthy", "FailingStreak": 3,
                                  "Log": [{"Start": "2024-05-01T10:00:07Z", "End": "2024-05-01T10:00:07.2Z",
                                           "ExitCode": 1, "Output": "first"},
                                          {"Start": "2024-05-01T10:00:08Z", "End": "2024-05-01T10:00:08.2Z",
                                           "ExitCode": 1, "Output": "probe: connection\\n refused\\n"}]}}}
            """);
    Container c =
        Container.fromList(
            mapper.readTree(
                """
                {"Id": "abc", "Names": ["/p-web-1"], "State": "running", "Status": "Up 9 seconds (unhealthy)",
                 "Labels": {"com.docker.compose.service": "web", "com.docker.compose.container-number": "1",
                            "com.docker.compose.config-hash": "h"}, "ImageID": "sha256:i", "Created": 5}
                """));
    TaskState task = StatusReader.task("web", c, inspect, true, false);
    assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task.health()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(task.error())
        .isEqualTo(
            "healthcheck failed 3 times; last at 2024-05-01T10:00:08.2Z (exit 1): probe:"
                + " connection refused");
  }

  @Test
  void aCrashedContainerIsAFailedTaskWithItsExitCode() throws Exception {
    JsonNode inspect =
        mapper.readTree(
            """
            {"Created": "2024-05-01T10:00:00.5Z",
             "State": {"Status": "exited", "ExitCode": 3, "Error": "",
                       "StartedAt": "2024-05-01T10:00:01Z", "FinishedAt": "2024-05-01T10:00:09.123456789Z"}}
            """);
    Container c =
        Container.fromList(
            mapper.readTree(
                """
                {"Id": "abc", "Names": ["/p-web-2"], "State": "exited", "Status": "Exited (3) 2 seconds ago",
                 "Labels": {"com.docker.compose.service": "web", "com.docker.compose.container-number": "2",
                            "com.docker.compose.config-hash": "h"}, "ImageID": "sha256:i", "Created": 5}
                """));
    assertThat(c.exitCode()).isEqualTo(3);
    assertThat(c.number()).isEqualTo(2);
    assertThat(c.describeState()).isEqualTo("exited (3)");
    TaskState task = StatusReader.task("web", c, inspect, true, false);
    assertThat(task.id()).isEqualTo("abc");
    assertThat(task.slot()).isEqualTo(2);
    assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(task.desiredStatus()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task.error()).isEqualTo("exit code 3");
    assertThat(task.updatedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:09.123456789Z"));
  }

  @Test
  void engineEventsBecomeTaskAttributes() throws Exception {
    JsonNode die =
        mapper.readTree(
            """
            {"Type": "container", "Action": "die", "Actor": {"ID": "abcdef", "Attributes":
              {"name": "p-web-1", "exitCode": "137", "com.docker.compose.service": "web",
               "com.docker.compose.container-number": "1"}}, "timeNano": 1}
            """);
    assertThat(EventWatcher.toAttributes(die).orElseThrow())
        .isEqualTo(
            Map.of(
                "action", "die",
                "container", "p-web-1",
                "containerId", "abcdef",
                "service", "web",
                "number", "1",
                "state", "FAILED",
                "exitCode", "137"));
    JsonNode health =
        mapper.readTree(
            """
            {"Type": "container", "Action": "health_status: healthy", "Actor": {"ID": "x", "Attributes":
              {"name": "p-web-1", "com.docker.compose.service": "web"}}}
            """);
    assertThat(EventWatcher.toAttributes(health).orElseThrow())
        .containsEntry("health", "HEALTHY")
        .containsEntry("state", "RUNNING")
        .containsEntry("action", "health_status");
    JsonNode exec = mapper.readTree("{\"Type\": \"container\", \"Action\": \"exec_start: sh\"}");
    assertThat(EventWatcher.toAttributes(exec)).isEmpty();
  }

  @Test
  void engineEventsBecomeTypedDetailsAndSentences() throws Exception {
    JsonNode die =
        mapper.readTree(
            """
            {"Type": "container", "Action": "die", "Actor": {"ID": "abcdef", "Attributes":
              {"name": "p-web-1", "exitCode": "137", "com.docker.compose.service": "web",
               "com.docker.compose.container-number": "1"}}, "timeNano": 1}
            """);
    Map<String, String> died = EventWatcher.toAttributes(die).orElseThrow();
    assertThat(EventWatcher.detail(died))
        .isEqualTo(
            new EventDetail.TaskStateChanged(
                "web",
                "abcdef",
                1,
                TaskStatus.FAILED,
                null,
                HealthStatus.NONE,
                "abcdef",
                137,
                "exit code 137",
                null));
    assertThat(EventWatcher.message(died)).isEqualTo("container p-web-1 exited with code 137");
    JsonNode destroy =
        mapper.readTree(
            """
            {"Type": "container", "Action": "destroy", "Actor": {"ID": "abcdef", "Attributes":
              {"name": "p-web-1", "com.docker.compose.service": "web"}}}
            """);
    // not "is remove [destroy]"
    assertThat(EventWatcher.message(EventWatcher.toAttributes(destroy).orElseThrow()))
        .isEqualTo("container p-web-1 was removed");
    JsonNode healthy =
        mapper.readTree(
            """
            {"Type": "container", "Action": "health_status: healthy", "Actor": {"ID": "x",
              "Attributes": {"name": "p-web-1", "com.docker.compose.service": "web"}}}
            """);
    Map<String, String> health = EventWatcher.toAttributes(healthy).orElseThrow();
    assertThat(EventWatcher.message(health)).isEqualTo("container p-web-1 is healthy");
    assertThat(EventWatcher.detail(health).health()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void aProjectTakesItsContainersAndItsNetworksFromTheSharedStream() throws Exception {
    JsonNode container =
        mapper.readTree(
            """
            {"Type": "container", "Action": "start", "Actor": {"ID": "a", "Attributes":
              {"name": "shop-web-1", "com.docker.compose.project": "shop"}}}
            """);
    JsonNode otherContainer =
        mapper.readTree(
            """
            {"Type": "container", "Action": "start", "Actor": {"ID": "b", "Attributes":
              {"name": "shop-web-1", "com.docker.compose.project": "shopping"}}}
            """);
    JsonNode network =
        mapper.readTree(
            """
            {"Type": "network", "Action": "destroy", "Actor": {"ID": "n1", "Attributes":
              {"name": "shop_default", "type": "bridge"}}}
            """);
    JsonNode otherNetwork =
        mapper.readTree(
            """
            {"Type": "network", "Action": "destroy", "Actor": {"ID": "n2", "Attributes":
              {"name": "shopping_default", "type": "bridge"}}}
            """);
    JsonNode ownName =
        mapper.readTree(
            """
            {"Type": "network", "Action": "destroy", "Actor": {"ID": "n3", "Attributes":
              {"name": "payments-backbone", "type": "bridge"}}}
            """);
    NetworkNames names = new NetworkNames();
    assertThat(EventWatcher.belongsTo("shop", names, container)).isTrue();
    assertThat(EventWatcher.belongsTo("shop", names, otherContainer)).isFalse();
    assertThat(EventWatcher.belongsTo("shop", names, network)).isTrue();
    assertThat(EventWatcher.belongsTo("shop", names, otherNetwork)).isFalse();
    // a network with a name of its own is the project's once a spec declaring it was planned
    assertThat(EventWatcher.belongsTo("shop", names, ownName)).isFalse();
    names.remember(
        StackSpec.builder("shop")
            .network(
                new io.stackwright.api.NetworkSpec(
                    "back",
                    "payments-backbone",
                    null,
                    Map.of(),
                    false,
                    false,
                    false,
                    java.util.List.of(),
                    Map.of()))
            .network(io.stackwright.api.NetworkSpec.external("edge", "edge-net"))
            .service(ServiceSpec.builder("web", "img").network("back").network("edge").build())
            .build());
    assertThat(EventWatcher.belongsTo("shop", names, ownName)).isTrue();
    assertThat(EventWatcher.belongsTo("shopping", names, ownName)).isFalse();
    assertThat(names.isOf("shop", "edge-net")).isFalse(); // external: not the project's
    names.forget("shop");
    assertThat(EventWatcher.belongsTo("shop", names, ownName)).isFalse();
    // the project's labelled networks, as the engine lists them when a watch begins
    names.remember("shop", java.util.List.of("payments-backbone"));
    assertThat(EventWatcher.belongsTo("shop", names, ownName)).isTrue();

    java.util.List<io.stackwright.api.event.OrchestratorEvent> seen = new java.util.ArrayList<>();
    Emitter emitter = new Emitter(seen::add, java.time.Clock.systemUTC(), "shop");
    EventWatcher.handleNetwork(emitter, network);
    EventWatcher.handleNetwork(
        emitter,
        mapper.readTree(
            """
            {"Type": "network", "Action": "connect", "Actor": {"ID": "n1", "Attributes":
              {"name": "shop_default", "container": "a"}}}
            """));
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).detail())
        .isEqualTo(
            new EventDetail.ResourceDeleted(EventDetail.Resource.NETWORK, "shop_default", "n1"));
    assertThat(seen.get(0).message()).isEqualTo("network shop_default was removed");
  }
}
