package io.stackwright.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code depends_on} on the real Swarm (which has none of its own, moby#31333): the order is read
 * from the tasks the engine records, not from Stackwright's own events.
 */
class SwarmDependsOnIT {
  private static final String IMAGE = "stackwright/workload:test";
  private String stack;
  private Orchestrator orchestrator;

  @BeforeEach
  void start() {
    stack = "codep" + Long.toString(System.nanoTime() % 1_000_000, 36);
    orchestrator = Orchestrator.builder().platform("swarm").build();
  }

  @AfterEach
  void stop() {
    orchestrator.remove(stack, RemoveOptions.withVolumes());
    orchestrator.close();
  }

  /** One task of a service: when the engine created it, and its state with the time reached. */
  private record TaskTimes(Instant created, String state, Instant stateSince) {}

  private TaskTimes task(String service) {
    Shell.Result ids = Shell.docker("service", "ps", "-q", "--no-trunc", stack + "_" + service);
    assertThat(ids.exitCode()).as(ids.err()).isZero();
    String id = ids.out().trim().split("\n")[0];
    Shell.Result times =
        Shell.docker(
            "inspect",
            "--format",
            "{{.CreatedAt.Format \"2006-01-02T15:04:05.999999999Z07:00\"}} {{.Status.State}}"
                + " {{.Status.Timestamp.Format \"2006-01-02T15:04:05.999999999Z07:00\"}}",
            id);
    assertThat(times.exitCode()).as(times.err()).isZero();
    String[] parts = times.out().trim().split(" ");
    return new TaskTimes(Instant.parse(parts[0]), parts[1], Instant.parse(parts[2]));
  }

  @Test
  void servicesStartInDependencyOrderWaitingForHealthyAndCompleted() {
    ServiceSpec db =
        ServiceSpec.builder("db", IMAGE)
            .env("STARTUP_DELAY_MS", "4000") // healthy only after 4 s
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .healthcheck(
                HealthcheckSpec.cmd("/server", "--probe")
                    .withTimings(Duration.ofMillis(500), Duration.ofSeconds(2), null, 30))
            .build();
    ServiceSpec migrate =
        ServiceSpec.builder("migrate", IMAGE)
            .entrypoint(List.of("/bin/sh", "-c", "sleep 2"))
            .mode(ServiceSpec.Mode.REPLICATED_JOB)
            .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.NONE))
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .dependsOn("db", DependsOn.started())
            .build();
    ServiceSpec web =
        ServiceSpec.builder("web", IMAGE)
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .dependsOn("db", DependsOn.healthy())
            .dependsOn(
                "migrate",
                new DependsOn(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY, true, false))
            .build();
    // declared dependants first: the order must come from depends_on, not from the file
    StackSpec spec = StackSpec.builder(stack).service(web).service(migrate).service(db).build();

    DeploymentResult result =
        orchestrator
            .deploy(spec, DeployOptions.waitingUpTo(Duration.ofMinutes(3)))
            .await(Duration.ofMinutes(4));

    assertThat(result.succeeded()).as(result.message()).isTrue();
    TaskTimes dbTask = task("db");
    TaskTimes migrateTask = task("migrate");
    TaskTimes webTask = task("web");
    System.out.println(
        "task times: db " + dbTask + ", migrate " + migrateTask + ", web " + webTask);
    assertThat(dbTask.state()).isEqualTo("running");
    assertThat(migrateTask.state()).isEqualTo("complete");
    // service_started: migrate's task came after db's
    assertThat(migrateTask.created()).isAfter(dbTask.created());
    // service_healthy: web's task was created after db became healthy (running on Swarm), which
    // its 4 s startup delay puts well after db's creation
    assertThat(webTask.created()).isAfterOrEqualTo(dbTask.stateSince());
    assertThat(Duration.between(dbTask.created(), webTask.created()))
        .isGreaterThan(Duration.ofSeconds(4));
    // service_completed_successfully: and after migrate completed
    assertThat(webTask.created()).isAfterOrEqualTo(migrateTask.stateSince());
  }

  @Test
  void aRequiredDependencyThatFailsStopsTheDependantBeforeItIsCreated() {
    ServiceSpec broken =
        ServiceSpec.builder("migrate", IMAGE)
            .entrypoint(List.of("/bin/sh", "-c", "exit 3"))
            .mode(ServiceSpec.Mode.REPLICATED_JOB)
            .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.NONE))
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .build();
    ServiceSpec web =
        ServiceSpec.builder("web", IMAGE)
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .dependsOn(
                "migrate",
                new DependsOn(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY, true, false))
            .build();
    StackSpec spec = StackSpec.builder(stack).service(web).service(broken).build();

    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    Deployment deployment =
        orchestrator.deploy(spec, DeployOptions.waitingUpTo(Duration.ofMinutes(2)));
    deployment.onEvent(events::add);
    DeploymentResult result = deployment.await(Duration.ofMinutes(3));

    assertThat(result.succeeded()).isFalse();
    assertThat(result.message()).contains("didn't complete successfully");
    // the job was created and failed; the dependant never was
    assertThat(events)
        .filteredOn(e -> e.type() == EventType.RESOURCE_CREATED)
        .extracting(OrchestratorEvent::subject)
        .contains("migrate")
        .doesNotContain("web");
    // and, a failed first deploy, nothing of the stack is left
    assertThat(
            Arrays.asList(Shell.docker("service", "ls", "--format", "{{.Name}}").out().split("\n")))
        .noneMatch(name -> name.startsWith(stack + "_"));
  }
}
