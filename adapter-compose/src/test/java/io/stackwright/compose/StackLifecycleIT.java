package io.stackwright.compose;

import static io.stackwright.compose.ComposeTestSupport.docker;
import static io.stackwright.compose.ComposeTestSupport.dockerOk;
import static io.stackwright.compose.ComposeTestSupport.inspect;
import static io.stackwright.compose.ComposeTestSupport.labelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.DependsOn;
import io.stackwright.api.FileContent;
import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.testing.SecretGuard;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deploy, re-plan, update one service, change a secret, remove: against the real engine. */
class StackLifecycleIT {
  private static final String API_KEY = SecretGuard.secret("lifecycle-api-key");
  private static final String ROTATED_KEY = SecretGuard.secret("lifecycle-rotated-key");

  /** Which registered secret a container reads as its api_key ({@link SecretGuard#describe}). */
  private static String secretIn(String container) {
    return SecretGuard.describe(
        ComposeTestSupport.readInContainer(container, "/run/secrets/api_key"));
  }

  private final ComposeTestSupport support = new ComposeTestSupport();
  private final ComposePlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  /** Three services on one network, a secret as a file, a config, a healthcheck each. */
  static StackSpec threeServices(String name, String workerVersion, String secret) {
    ServiceSpec web =
        ComposeTestSupport.service("web")
            .network("backend", "frontdoor")
            .port(PortSpec.of(8080))
            .secret("api_key")
            .config("app_conf", "/etc/app.conf")
            .healthcheck(ComposeTestSupport.probe())
            .mount(MountSpec.volume("data", "/data"))
            .dependsOn("api", DependsOn.started())
            .build();
    ServiceSpec api =
        ComposeTestSupport.service("api")
            .network("backend")
            .secret("api_key")
            .healthcheck(ComposeTestSupport.probe())
            .build();
    ServiceSpec worker =
        ComposeTestSupport.service("worker")
            .network("backend")
            .env("VERSION", workerVersion)
            .healthcheck(ComposeTestSupport.probe())
            .build();
    return StackSpec.builder(name)
        .network(NetworkSpec.of("backend"))
        .volume(VolumeSpec.of("data"))
        .secret(SecretSpec.of("api_key", FileContent.secret(secret)))
        .config(ConfigSpec.of("app_conf", FileContent.plain("mode=test\n")))
        .service(web)
        .service(api)
        .service(worker)
        .build();
  }

  private Map<String, String> ids(String stack) {
    Map<String, String> ids = new TreeMap<>();
    platform
        .status(stack)
        .services()
        .forEach(s -> s.tasks().forEach(t -> ids.put(s.name() + "." + t.slot(), t.id())));
    return ids;
  }

  private void awaitConverged(StackSpec stack) {
    await()
        .atMost(ComposeTestSupport.CONVERGE)
        .pollInterval(java.time.Duration.ofMillis(250))
        .until(() -> ComposeTestSupport.converged(platform.status(stack.name()), stack));
  }

  @Test
  void deploysReplansEmptyUpdatesOnlyWhatChangedAndRemovesEverything() throws Exception {
    String name = support.stack("life");
    StackSpec stack = threeServices(name, "v1", API_KEY);
    assertThat(platform.validate(stack)).isEmpty();

    Plan plan = platform.plan(stack);
    assertThat(plan.changes())
        .containsExactly(
            new Change.Create(ResourceKind.NETWORK, "backend"),
            new Change.Create(ResourceKind.VOLUME, "data"),
            new Change.Create(ResourceKind.SERVICE, "api"),
            new Change.Create(ResourceKind.SERVICE, "worker"),
            new Change.Create(ResourceKind.SERVICE, "web"));
    List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    platform.apply(stack, plan, events::add);
    awaitConverged(stack);
    assertThat(events).extracting(OrchestratorEvent::type).contains(EventType.RESOURCE_CREATED);

    StackState state = platform.status(name);
    assertThat(state.networks()).containsExactly(name + "_backend");
    assertThat(state.volumes()).containsExactly(name + "_data");
    assertThat(state.secrets()).containsExactly(name + "_api_key");
    for (TaskState task : state.service("web").orElseThrow().tasks()) {
      assertThat(task.health()).isEqualTo(HealthStatus.HEALTHY);
      assertThat(task.slot()).isEqualTo(1);
    }

    // names and labels as compose writes them
    String web = name + "-web-1";
    assertThat(labelled("container", name))
        .containsExactly(name + "-api-1", web, name + "-worker-1");
    assertThat(inspect(web, "{{index .Config.Labels \"com.docker.compose.project\"}}"))
        .isEqualTo(name);
    assertThat(inspect(web, "{{index .Config.Labels \"com.docker.compose.service\"}}"))
        .isEqualTo("web");
    assertThat(inspect(web, "{{index .Config.Labels \"com.docker.compose.container-number\"}}"))
        .isEqualTo("1");
    assertThat(inspect(web, "{{index .Config.Labels \"com.docker.compose.oneoff\"}}"))
        .isEqualTo("False");
    assertThat(inspect(web, "{{index .Config.Labels \"com.docker.compose.depends_on\"}}"))
        .isEqualTo("api:service_started:false");
    assertThat(inspect(web, "{{index .Config.Labels \"com.docker.compose.config-hash\"}}"))
        .hasSize(64);
    assertThat(inspect(web, "{{index .Config.Labels \"io.stackwright.replicas\"}}")).isEqualTo("1");
    assertThat(
            dockerOk(
                "network",
                "inspect",
                "-f",
                "{{index .Labels \"com.docker.compose.network\"}}",
                name + "_backend"))
        .isEqualTo("backend");
    assertThat(inspect(web, "{{json .NetworkSettings.Networks}}"))
        .contains("\"" + web + "\"", "\"web\"", "\"frontdoor\"");

    // the secret is a read-only file, and nowhere in the container's config
    assertThat(secretIn(web)).isEqualTo(SecretGuard.describe(API_KEY));
    assertThat(docker("exec", web, "sh", "-c", "echo x > /run/secrets/api_key").exitCode())
        .isNotZero();
    assertThat(dockerOk("exec", web, "cat", "/etc/app.conf")).isEqualTo("mode=test");
    assertThat(secretIn(name + "-api-1")).isEqualTo(SecretGuard.describe(API_KEY));
    assertThat(dockerOk("inspect", web)).doesNotContain(API_KEY);
    assertThat(Files.getPosixFilePermissions(platform.stateDirectory(name)))
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
    // the service name resolves on the network
    assertThat(dockerOk("exec", web, "sh", "-c", "timeout 3 wget -q -O- http://worker:8080/"))
        .contains("version=v1");

    // unchanged: empty plan, and applying it writes nothing
    Map<String, String> before = ids(name);
    String created = inspect(web, "{{.Created}}");
    Plan again = platform.plan(stack);
    assertThat(again.isEmpty()).as("%s", again).isTrue();
    platform.apply(stack, again, events::add);
    assertThat(ids(name)).isEqualTo(before);
    assertThat(inspect(web, "{{.Created}}")).isEqualTo(created);

    // one env change recreates that service only
    StackSpec changed = threeServices(name, "v7", API_KEY);
    Plan update = platform.plan(changed);
    assertThat(update.changes()).hasSize(1);
    Change.Update u = (Change.Update) update.changes().get(0);
    assertThat(u.key()).isEqualTo("worker");
    assertThat(u.fields()).extracting(FieldChange::path).contains("config-hash", "containers");
    platform.apply(changed, update, events::add);
    awaitConverged(changed);
    Map<String, String> after = ids(name);
    assertThat(after.get("worker.1")).isNotEqualTo(before.get("worker.1"));
    assertThat(after.get("web.1")).isEqualTo(before.get("web.1"));
    assertThat(after.get("api.1")).isEqualTo(before.get("api.1"));
    assertThat(
            dockerOk(
                "exec",
                name + "-worker-1",
                "sh",
                "-c",
                "timeout 3 wget -q -O- http://127.0.0.1:8080/"))
        .contains("version=v7");
    assertThat(
            inspect(name + "-worker-1", "{{index .Config.Labels \"com.docker.compose.replace\"}}"))
        .isEqualTo("worker-1");
    assertThat(platform.plan(changed).isEmpty()).isTrue();

    // a changed secret recreates the services that use it, and they read the new content
    StackSpec rotated = threeServices(name, "v7", ROTATED_KEY);
    Plan rotate = platform.plan(rotated);
    assertThat(rotate.changes()).extracting(Change::key).containsExactly("api", "web");
    assertThat(rotate.toString()).doesNotContain(ROTATED_KEY);
    platform.apply(rotated, rotate, events::add);
    awaitConverged(rotated);
    assertThat(secretIn(web)).isEqualTo(SecretGuard.describe(ROTATED_KEY));
    assertThat(ids(name).get("worker.1")).isEqualTo(after.get("worker.1"));
    assertThat(events.toString()).doesNotContain(API_KEY).doesNotContain(ROTATED_KEY);

    // remove: nothing with the project label is left, nor the files
    platform.remove(name, RemoveOptions.withVolumes(), events::add);
    assertThat(labelled("container", name)).isEmpty();
    assertThat(labelled("network", name)).isEmpty();
    assertThat(labelled("volume", name)).isEmpty();
    assertThat(platform.stateDirectory(name)).doesNotExist();
    assertThat(platform.status(name).isEmpty()).isTrue();
    // the platform reports what it removed; STACK_REMOVED is the controller's, once per remove
    assertThat(events).extracting(OrchestratorEvent::type).contains(EventType.RESOURCE_DELETED);
    assertThat(events).extracting(OrchestratorEvent::type).doesNotContain(EventType.STACK_REMOVED);
    platform.remove(name, RemoveOptions.withVolumes(), events::add); // idempotent
  }
}
