package io.stackwright.swarm;

import static io.stackwright.swarm.SwarmTestSupport.docker;
import static io.stackwright.swarm.SwarmTestSupport.dockerOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.ConflictException;
import io.stackwright.api.FileContent;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.docker.internal.Engine;
import io.stackwright.swarm.internal.StackNames;
import io.stackwright.testing.SecretGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole life of a stack against the real engine. */
class StackLifecycleIT {
  private static final String API_KEY = SecretGuard.secret("lifecycle-api-key");

  private static final Logger LOG = LoggerFactory.getLogger(StackLifecycleIT.class);
  static final Duration CONVERGE = Duration.ofSeconds(90);

  private final SwarmTestSupport support = new SwarmTestSupport();
  private final SwarmPlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  static HealthcheckSpec probe() {
    return HealthcheckSpec.cmd("/server", "--probe")
        .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, 3);
  }

  /** Three services on an overlay network, with a secret, a config and a healthcheck each. */
  static StackSpec threeServices(String name, String workerVersion) {
    ServiceSpec web =
        ServiceSpec.builder("web", SwarmTestSupport.IMAGE)
            .network("backend")
            .port(new PortSpec(8080, null, "tcp", PortSpec.PublishMode.HOST, null))
            .secret("api_key")
            .config("app_conf", "/etc/app.conf")
            .healthcheck(probe())
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .stopGracePeriod(Duration.ofSeconds(2))
            .build();
    ServiceSpec api =
        ServiceSpec.builder("api", SwarmTestSupport.IMAGE)
            .network("backend", "api-internal")
            .secret("api_key")
            .healthcheck(probe())
            .replicas(2)
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .stopGracePeriod(Duration.ofSeconds(2))
            .build();
    ServiceSpec worker =
        ServiceSpec.builder("worker", SwarmTestSupport.IMAGE)
            .network("backend")
            .env("VERSION", workerVersion)
            .healthcheck(probe())
            .endpointMode(ServiceSpec.EndpointMode.DNSRR)
            .stopGracePeriod(Duration.ofSeconds(2))
            .build();
    return StackSpec.builder(name)
        .network(NetworkSpec.of("backend"))
        .secret(SecretSpec.of("api_key", FileContent.secret(API_KEY)))
        .config(ConfigSpec.of("app_conf", FileContent.plain("mode=test\n")))
        .service(web)
        .service(api)
        .service(worker)
        .build();
  }

  /** Every declared replica runs the current spec and is healthy. */
  static boolean converged(StackState state, StackSpec stack) {
    for (ServiceSpec service : stack.services().values()) {
      ServiceState s = state.service(service.name()).orElse(null);
      if (s == null
          || s.readyReplicas() != service.replicas()
          || s.currentTasks().size() != service.replicas()) {
        return false;
      }
    }
    return true;
  }

  static Map<String, Long> versions(StackState state) {
    Map<String, Long> versions = new TreeMap<>();
    state.services().forEach(s -> versions.put(s.name(), s.version()));
    return versions;
  }

  @Test
  void deployConvergeReplanUpdateOneServiceSeeItFromTheCliAndRemove() {
    String name = support.stack("life");
    StackSpec stack = threeServices(name, "1");
    long started = System.nanoTime();

    List<OrchestratorEvent> watched = new CopyOnWriteArrayList<>();
    List<OrchestratorEvent> applied = new ArrayList<>();
    try (Subscription watch = platform.watch(name, watched::add)) {
      Plan plan = platform.plan(stack);
      assertThat(plan.changes())
          .extracting(c -> c.getClass().getSimpleName() + " " + c.kind() + " " + c.key())
          .containsExactly(
              "Create NETWORK backend",
              "Create SECRET api_key",
              "Create CONFIG app_conf",
              "Create SERVICE web",
              "Create SERVICE api",
              "Create SERVICE worker");
      platform.apply(stack, plan, applied::add);
      assertThat(applied)
          .extracting(OrchestratorEvent::type)
          .containsOnly(EventType.RESOURCE_CREATED);
      assertThat(applied).hasSize(6);
      assertThat(applied.toString()).doesNotContain(API_KEY);

      await()
          .atMost(CONVERGE)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> converged(platform.status(name), stack));
      LOG.info("3-service stack converged in {} ms", (System.nanoTime() - started) / 1_000_000);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(watched)
                      .filteredOn(e -> e.type() == EventType.TASK_STATE_CHANGED)
                      .extracting(OrchestratorEvent::subject)
                      .contains("web", "api", "worker"));
      assertThat(watched)
          .filteredOn(e -> e.type() == EventType.TASK_STATE_CHANGED)
          .allSatisfy(
              e ->
                  assertThat(e.attributes())
                      .containsKeys("replica", "slot", "state", "desired", "health"));
      assertThat(watched)
          .anySatisfy(
              e ->
                  assertThat(e.attributes())
                      .containsEntry("state", "RUNNING")
                      .containsEntry("health", "HEALTHY"));
    }

    StackState state = platform.status(name);
    ServiceState web = state.service("web").orElseThrow();
    assertThat(web.image()).isEqualTo(SwarmTestSupport.IMAGE);
    assertThat(web.desiredReplicas()).isEqualTo(1);
    assertThat(web.labels()).containsEntry(StackNames.NAMESPACE, name);
    TaskState task = web.currentTasks().get(0);
    assertThat(task.containerId()).isNotNull();
    assertThat(task.nodeId()).isNotNull();
    assertThat(task.slot()).isEqualTo(1);
    assertThat(task.health()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(task.desiredStatus()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task.updatedAt()).isNotNull();
    assertThat(state.networks()).containsExactly(name + "_backend");
    assertThat(state.secrets()).containsExactly(name + "_api_key");
    assertThat(state.configs()).containsExactly(name + "_app_conf");
    assertThat(platform.stacks()).contains(name);

    // unchanged: empty plan, and applying it writes nothing
    Plan replan = platform.plan(stack);
    assertThat(replan.changes()).isEmpty();
    Map<String, Long> before = versions(state);
    List<OrchestratorEvent> none = new ArrayList<>();
    platform.apply(stack, replan, none::add);
    assertThat(none).isEmpty();
    assertThat(versions(platform.status(name))).isEqualTo(before);

    // one service's environment changes: one update, only its version moves
    StackSpec changed = threeServices(name, "2");
    Plan update = platform.plan(changed);
    assertThat(update.changes()).hasSize(1);
    Change.Update change = (Change.Update) update.changes().get(0);
    assertThat(change.kind()).isEqualTo(ResourceKind.SERVICE);
    assertThat(change.key()).isEqualTo("worker");
    assertThat(change.version()).isEqualTo(before.get("worker"));
    assertThat(change.fields())
        .containsExactly(
            new FieldChange(
                "TaskTemplate.ContainerSpec.Env", FieldChange.REDACTED, FieldChange.REDACTED));
    List<OrchestratorEvent> updated = new ArrayList<>();
    platform.apply(changed, update, updated::add);
    assertThat(updated)
        .extracting(OrchestratorEvent::type)
        .containsExactly(EventType.RESOURCE_UPDATED);
    Map<String, Long> after = versions(platform.status(name));
    assertThat(after.get("web")).isEqualTo(before.get("web"));
    assertThat(after.get("api")).isEqualTo(before.get("api"));
    assertThat(after.get("worker")).isGreaterThan(before.get("worker"));
    await()
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> converged(platform.status(name), changed));
    assertThat(platform.plan(changed).changes()).isEmpty();

    // the docker CLI sees the stack
    assertThat(dockerOk("stack", "ls", "--format", "{{.Name}} {{.Services}}"))
        .contains(name + " 3");
    assertThat(dockerOk("stack", "services", name, "--format", "{{.Name}}"))
        .contains(name + "_web", name + "_api", name + "_worker");
    assertThat(dockerOk("stack", "ps", name, "--format", "{{.Name}} {{.CurrentState}}"))
        .contains(name + "_web.1", name + "_api.2", name + "_worker.1")
        .contains("Running");

    // remove: nothing with the namespace label remains
    List<OrchestratorEvent> removed = new ArrayList<>();
    long removing = System.nanoTime();
    platform.remove(name, RemoveOptions.keepVolumes(), removed::add);
    LOG.info("removed in {} ms", (System.nanoTime() - removing) / 1_000_000);
    assertThat(removed)
        .extracting(OrchestratorEvent::type)
        .containsOnly(EventType.RESOURCE_DELETED);
    assertThat(platform.status(name).isEmpty()).isTrue();
    String filter = "label=" + StackNames.NAMESPACE + "=" + name;
    for (String kind : List.of("service", "network", "secret", "config")) {
      assertThat(dockerOk(kind, "ls", "-q", "--filter", filter)).as(kind).isBlank();
    }
    assertThat(platform.stacks()).doesNotContain(name);
    // idempotent
    platform.remove(name, RemoveOptions.keepVolumes(), EventListener.none());
  }

  @Test
  void aConcurrentChangeBetweenPlanAndApplyIsAConflict() {
    String name = support.stack("race");
    StackSpec stack =
        StackSpec.builder(name)
            .service(
                ServiceSpec.builder("solo", SwarmTestSupport.IMAGE)
                    .env("A", "1")
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();
    platform.apply(stack, platform.plan(stack), EventListener.none());
    StackSpec changed =
        stack.toBuilder().service(stack.service("solo").toBuilder().env("A", "2").build()).build();
    Plan plan = platform.plan(changed);
    assertThat(plan.changes()).hasSize(1);

    dockerOk("service", "update", "--detach", "--label-add", "x=y", name + "_solo");
    long versionAfterCli = platform.status(name).service("solo").orElseThrow().version();

    assertThatThrownBy(() -> platform.apply(changed, plan, EventListener.none()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(name + "_solo");
    // nothing was overwritten: the CLI's label stays, the environment is unchanged
    ServiceState solo = platform.status(name).service("solo").orElseThrow();
    assertThat(solo.version()).isEqualTo(versionAfterCli);
    assertThat(solo.labels()).containsEntry("x", "y");
    assertThat(
            dockerOk(
                "service",
                "inspect",
                name + "_solo",
                "--format",
                "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
        .contains("A=1");

    // the engine itself rejects a stale version index, and that is a conflict too
    try (Engine engine = Engine.connect(support.context)) {
      var live = engine.docker().inspectServiceCmd(name + "_solo").exec();
      long stale = live.getVersion().getIndex() - 1;
      var spec =
          io.stackwright.swarm.internal.ServiceConverter.convert(
              changed,
              changed.service("solo"),
              new io.stackwright.swarm.internal.ServiceConverter.FileRefs() {
                @Override
                public String secretName(String key) {
                  return null;
                }

                @Override
                public String secretId(String n) {
                  return null;
                }

                @Override
                public String configName(String key) {
                  return null;
                }

                @Override
                public String configId(String n) {
                  return null;
                }
              });
      assertThatThrownBy(
              () ->
                  engine.run(
                      "updating service " + name + "_solo",
                      () ->
                          engine
                              .docker()
                              .updateServiceCmd(live.getId(), spec)
                              .withVersion(stale)
                              .exec()))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("out of sequence");
    }

    // after planning again, the change applies and the CLI's label is gone with the old spec
    Plan again = platform.plan(changed);
    assertThat(again.changes()).hasSize(1);
    assertThat(((Change.Update) again.changes().get(0)).fields())
        .extracting(FieldChange::path)
        .contains("Labels.x", "TaskTemplate.ContainerSpec.Env");
    platform.apply(changed, again, EventListener.none());
    assertThat(platform.plan(changed).changes()).isEmpty();
  }

  @Test
  void aMissingImageFailsTheTaskWithTheEngineError() {
    String name = support.stack("broken");
    StackSpec stack =
        StackSpec.builder(name)
            .service(
                ServiceSpec.builder("broken", "stackwright/does-not-exist:1")
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();
    platform.apply(stack, platform.plan(stack), EventListener.none());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(platform.status(name).service("broken").orElseThrow().tasks())
                    .anySatisfy(
                        t -> {
                          assertThat(t.status().isFailure()).as("status %s", t.status()).isTrue();
                          assertThat(t.error()).containsIgnoringCase("no such image");
                        }));
  }

  @Test
  void removingAStackThatDoesNotExistDoesNothing() {
    List<OrchestratorEvent> events = new ArrayList<>();
    platform.remove("swtest-never-deployed", RemoveOptions.withVolumes(), events::add);
    assertThat(events).isEmpty();
    assertThat(platform.status("swtest-never-deployed").isEmpty()).isTrue();
    assertThat(docker("stack", "ps", "swtest-never-deployed").output())
        .containsIgnoringCase("nothing found");
  }
}
