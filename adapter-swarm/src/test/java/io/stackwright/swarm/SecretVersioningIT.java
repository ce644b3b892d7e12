package io.stackwright.swarm;

import static io.stackwright.swarm.SwarmTestSupport.dockerOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.TaskState;
import io.stackwright.docker.internal.ContentDigest;
import io.stackwright.swarm.internal.StackNames;
import io.stackwright.testing.SecretGuard;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Secret and config content changes become new, hash-suffixed objects; old ones are pruned. */
class SecretVersioningIT {
  /** The platform's default key: this user's ~/.stackwright/keys/content.key. */
  static final ContentDigest DIGEST = ContentDigest.atKeyFile(ContentDigest.defaultKeyFile());

  private final SwarmTestSupport support = new SwarmTestSupport();
  private final SwarmPlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  static StackSpec stack(String name, String secret, String config) {
    return StackSpec.builder(name)
        .secret(SecretSpec.of("token", FileContent.secret(secret)))
        .config(ConfigSpec.of("conf", FileContent.plain(config)))
        .service(
            ServiceSpec.builder("app", SwarmTestSupport.IMAGE)
                .secret("token")
                .config("conf", "/conf.txt")
                .healthcheck(StackLifecycleIT.probe())
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .stopGracePeriod(Duration.ofSeconds(1))
                .build())
        .build();
  }

  /** Waits for the current replica and reads a file inside its container. */
  private String readInContainer(String name, StackSpec stack, String path) {
    return SwarmTestSupport.readInContainer(currentContainer(name, stack), path);
  }

  /** Which registered secret the current replica reads ({@link SecretGuard#describe}). */
  private String secretInContainer(String name, StackSpec stack) {
    return SecretGuard.describe(readInContainer(name, stack, "/run/secrets/token"));
  }

  private String currentContainer(String name, StackSpec stack) {
    await()
        .atMost(StackLifecycleIT.CONVERGE)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> StackLifecycleIT.converged(platform.status(name), stack));
    ServiceState app = platform.status(name).service("app").orElseThrow();
    TaskState task = app.currentTasks().get(0);
    return task.containerId();
  }

  @Test
  void aContentChangeRollsTheServiceOntoANewVersion() {
    String name = support.stack("secrets");
    String one = SecretGuard.secret("versioning-v1");
    String two = SecretGuard.secret("versioning-v2");
    String three = SecretGuard.secret("versioning-v3");
    StackSpec v1 = stack(name, one, "conf-one");
    platform.apply(v1, platform.plan(v1), EventListener.none());
    assertThat(secretInContainer(name, v1)).isEqualTo(SecretGuard.describe(one));
    assertThat(readInContainer(name, v1, "/conf.txt")).isEqualTo("conf-one");
    assertThat(platform.plan(v1).isEmpty()).isTrue();

    StackSpec v2 = stack(name, two, "conf-two");
    Plan plan2 = platform.plan(v2);
    assertThat(plan2.changes())
        .extracting(c -> c.getClass().getSimpleName() + " " + c.kind() + " " + c.key())
        .containsExactly("Update SECRET token", "Update CONFIG conf", "Update SERVICE app");
    Change.Update secretChange = (Change.Update) plan2.changes().get(0);
    assertThat(secretChange.fields())
        .containsExactly(new FieldChange("Data", FieldChange.REDACTED, FieldChange.REDACTED));
    Change.Update configChange = (Change.Update) plan2.changes().get(1);
    assertThat(configChange.fields().get(0).before())
        .isEqualTo(DIGEST.of(FileContent.plain("conf-one")));
    assertThat(plan2.toString()).doesNotContain(two).doesNotContain(one);
    platform.apply(v2, plan2, EventListener.none());

    String token2 =
        StackNames.versioned(
            name + "_token", ContentDigest.hex(DIGEST.of(FileContent.secret(two))));
    String conf2 =
        StackNames.versioned(
            name + "_conf", ContentDigest.hex(DIGEST.of(FileContent.plain("conf-two"))));
    // the previous versions stay while the service's previous spec (its rollback) uses them
    assertThat(platform.status(name).secrets()).containsExactly(name + "_token", token2);
    assertThat(platform.status(name).configs()).containsExactly(name + "_conf", conf2);
    assertThat(secretInContainer(name, v2)).isEqualTo(SecretGuard.describe(two));
    assertThat(readInContainer(name, v2, "/conf.txt")).isEqualTo("conf-two");
    assertThat(platform.plan(v2).isEmpty()).isTrue();

    StackSpec v3 = stack(name, three, "conf-two");
    Plan plan3 = platform.plan(v3);
    assertThat(plan3.changes())
        .extracting(c -> c.getClass().getSimpleName() + " " + c.kind() + " " + c.key())
        .containsExactly(
            "Update SECRET token",
            "Update SERVICE app",
            // the service's previous spec now is v2: v1 of both is released
            "Delete SECRET token",
            "Delete CONFIG conf");
    platform.apply(v3, plan3, EventListener.none());
    String token3 =
        StackNames.versioned(
            name + "_token", ContentDigest.hex(DIGEST.of(FileContent.secret(three))));
    assertThat(platform.status(name).secrets()).containsExactlyInAnyOrder(token2, token3);
    assertThat(platform.status(name).configs()).containsExactly(conf2);
    assertThat(dockerOk("secret", "inspect", token3, "--format", "{{json .Spec.Labels}}"))
        .contains(StackNames.CONTENT_HASH)
        .contains(DIGEST.of(FileContent.secret(three)))
        // keyed: the label is no bare hash a guessed secret could be checked against
        .doesNotContain(FileContent.secret(three).sha256());
    assertThat(secretInContainer(name, v3)).isEqualTo(SecretGuard.describe(three));
    assertThat(platform.plan(v3).isEmpty()).isTrue();

    // going back to an earlier content reuses its object when it still exists
    StackSpec back = stack(name, two, "conf-two");
    assertThat(platform.plan(back).changes())
        .extracting(c -> c.getClass().getSimpleName() + " " + c.kind() + " " + c.key())
        .containsExactly("Update SERVICE app");
    assertThat(
            ((Change.Update) platform.plan(back).changes().get(0))
                .fields().stream().map(FieldChange::path).toList())
        .isEqualTo(List.of("TaskTemplate.ContainerSpec.Secrets"));
  }
}
