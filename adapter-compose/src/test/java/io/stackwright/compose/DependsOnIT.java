package io.stackwright.compose;

import static io.stackwright.compose.ComposeTestSupport.inspect;
import static io.stackwright.compose.ComposeTestSupport.labelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.DependsOn;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.PlatformException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** depends_on conditions, against the real engine. */
class DependsOnIT {
  private final ComposeTestSupport support = new ComposeTestSupport();
  private final ComposePlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  @Test
  void aServiceStartsOnlyOnceItsDependencyIsHealthy() throws Exception {
    String name = support.stack("healthy");
    StackSpec stack =
        StackSpec.builder(name)
            .service(
                ComposeTestSupport.service("db")
                    .env("STARTUP_DELAY_MS", "2000")
                    .healthcheck(ComposeTestSupport.probe())
                    .build())
            .service(ComposeTestSupport.service("app").dependsOn("db", DependsOn.healthy()).build())
            .build();
    platform.apply(stack, platform.plan(stack), e -> {});

    // apply returned only after db was healthy, so app exists and started after that moment
    JsonNode health =
        new ObjectMapper().readTree(inspect(name + "-db-1", "{{json .State.Health}}"));
    Instant healthyAt = null;
    for (JsonNode probe : health.path("Log")) {
      if (probe.path("ExitCode").asInt() == 0) {
        healthyAt = Instant.parse(probe.path("End").asText());
        break;
      }
    }
    assertThat(healthyAt).as("a successful probe of db: %s", health).isNotNull();
    Instant dbStarted = Instant.parse(inspect(name + "-db-1", "{{.State.StartedAt}}"));
    Instant appStarted = Instant.parse(inspect(name + "-app-1", "{{.State.StartedAt}}"));
    assertThat(healthyAt).isAfter(dbStarted.plusMillis(1900));
    assertThat(appStarted).isAfter(healthyAt);
    assertThat(
            inspect(name + "-app-1", "{{index .Config.Labels \"com.docker.compose.depends_on\"}}"))
        .isEqualTo("db:service_healthy:false");
  }

  @Test
  void failingDependenciesFailRequiredDependantsAndWarnOptionalOnes() {
    String name = support.stack("failing");
    HealthcheckSpec quick =
        HealthcheckSpec.cmd("/server", "--probe")
            .withTimings(Duration.ofMillis(300), Duration.ofSeconds(1), null, 1);
    ServiceSpec sick =
        ComposeTestSupport.service("sick").env("FAIL_HEALTH", "1").healthcheck(quick).build();
    ServiceSpec init =
        ComposeTestSupport.service("init").entrypoint(List.of("/bin/sh", "-c", "exit 3")).build();
    ServiceSpec strict =
        ComposeTestSupport.service("strict").dependsOn("sick", DependsOn.healthy()).build();
    ServiceSpec lenient =
        ComposeTestSupport.service("lenient")
            .dependsOn("sick", new DependsOn(DependsOn.Condition.SERVICE_HEALTHY, false, false))
            .build();
    ServiceSpec afterInit =
        ComposeTestSupport.service("after")
            .dependsOn(
                "init",
                new DependsOn(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY, true, false))
            .build();
    StackSpec stack =
        StackSpec.builder(name)
            .service(sick)
            .service(init)
            .service(strict)
            .service(lenient)
            .service(afterInit)
            .build();
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    assertThatThrownBy(() -> platform.apply(stack, platform.plan(stack), events::add))
        .isInstanceOf(PlatformException.class)
        .hasMessageContaining(
            "dependency failed to start: container " + name + "-sick-1 is unhealthy")
        .hasMessageContaining("service \"init\" didn't complete successfully: exit 3");
    assertThat(labelled("container", name))
        .containsExactlyInAnyOrder(name + "-sick-1", name + "-init-1", name + "-lenient-1");
    assertThat(events)
        .filteredOn(e -> e.type() == EventType.WARNING)
        .extracting(OrchestratorEvent::message)
        .anyMatch(m -> m.startsWith("optional dependency \"sick\" is not running or is unhealthy"));
    // the one-shot that exited is done: the plan does not run it again, but still wants the others
    assertThat(platform.plan(stack).changes().toString())
        .doesNotContain("init")
        .contains("strict", "after");
  }
}
