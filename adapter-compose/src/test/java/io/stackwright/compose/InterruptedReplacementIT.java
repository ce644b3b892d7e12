package io.stackwright.compose;

import static io.stackwright.compose.ComposeTestSupport.dockerOk;
import static io.stackwright.compose.ComposeTestSupport.inspect;
import static io.stackwright.compose.ComposeTestSupport.labelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.compose.internal.ComposeNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a process killed in the middle of a container replacement leaves (compose's recreate: the
 * new container under {@code <old id[:12]>_<name>}, the old one stopped and removed, the new one
 * renamed and started), made on the real engine with the docker CLI at each of the two points, and
 * the next deploy recognising it: {@code plan} shows it, and the deploy undoes or finishes it and
 * converges (before, the next replacement of the old container failed with HTTP 409 on the name);
 * and a deploy killed right after it created the project's network.
 */
class InterruptedReplacementIT {
  private final ComposeTestSupport support = new ComposeTestSupport();
  private final ComposePlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  private static StackSpec version(String name, String version) {
    return StackSpec.builder(name)
        .service(ComposeTestSupport.service("web").env("VERSION", version).build())
        .build();
  }

  private void deploy(StackSpec stack) {
    platform.apply(stack, platform.plan(stack), e -> {});
    await()
        .atMost(ComposeTestSupport.CONVERGE)
        .until(() -> ComposeTestSupport.converged(platform.status(stack.name()), stack));
  }

  private static List<String> interrupted(Plan plan) {
    List<String> fields = new ArrayList<>();
    for (Change change : plan.changes()) {
      if (change instanceof Change.Update update) {
        update.fields().stream()
            .filter(f -> f.path().equals("interrupted"))
            .map(FieldChange::after)
            .forEach(fields::add);
      }
    }
    return fields;
  }

  @Test
  void killedBeforeTheOldContainerWentTheNextDeployUndoesItAndReplacesTheOld() throws Exception {
    String name = support.stack("intr-old");
    deploy(version(name, "1"));
    String old = name + "-web-1";
    String oldId = inspect(old, "{{.Id}}");
    // the replacement's new container, created under its temporary name with the labels it gets
    String temporary = oldId.substring(0, 12) + "_" + old;
    JsonNode labels = new ObjectMapper().readTree(inspect(old, "{{json .Config.Labels}}"));
    List<String> create = new ArrayList<>(List.of("create", "--name", temporary));
    labels
        .properties()
        .forEach(e -> create.addAll(List.of("--label", e.getKey() + "=" + e.getValue().asText())));
    create.add(ComposeTestSupport.IMAGE);
    dockerOk(create.toArray(String[]::new));

    StackSpec next = version(name, "2");
    assertThat(interrupted(platform.plan(next))).containsExactly(temporary + " removed");
    deploy(next);

    assertThat(labelled("container", name)).containsExactly(old);
    assertThat(inspect(old, "{{json .Config.Env}}")).contains("VERSION=2");
    assertThat(platform.plan(next).isEmpty()).isTrue();
  }

  @Test
  void killedBeforeTheNewContainerWasRenamedTheNextDeployFinishesIt() {
    String name = support.stack("intr-new");
    StackSpec stack = version(name, "1");
    deploy(stack);
    String container = name + "-web-1";
    String id = inspect(container, "{{.Id}}");
    // the old container gone; the new one (this one, of the current spec) not yet renamed
    String temporary = "0123456789ab_" + container;
    dockerOk("stop", "-t", "1", container);
    dockerOk("rename", container, temporary);

    assertThat(interrupted(platform.plan(stack))).containsExactly("renamed " + container);
    deploy(stack);

    assertThat(labelled("container", name)).containsExactly(container);
    assertThat(inspect(container, "{{.Id}}")).as("finished, not replaced").isEqualTo(id);
    assertThat(inspect(container, "{{.State.Running}}")).isEqualTo("true");
    assertThat(platform.plan(stack).isEmpty()).isTrue();
  }

  @Test
  void killedRightAfterItsNetworkWasCreatedTheNextDeployCreatesTheRest() {
    String name = support.stack("intr-net");
    StackSpec stack = version(name, "1");
    // what a deploy killed after its first write leaves: the project's network, nothing else
    String network = ComposeNames.network(stack, "default");
    dockerOk(
        "network",
        "create",
        "--label",
        ComposeNames.NETWORK + "=default",
        "--label",
        ComposeNames.PROJECT + "=" + name,
        "--label",
        ComposeNames.VERSION + "=" + ComposeNames.COMPOSE_VERSION,
        network);
    assertThat(labelled("network", name)).hasSize(1);

    Plan next = platform.plan(stack);
    assertThat(next.changes())
        .extracting(c -> c.getClass().getSimpleName() + " " + c.kind() + " " + c.key())
        .containsExactly("Create SERVICE web");
    deploy(stack);

    assertThat(labelled("network", name)).hasSize(1);
    assertThat(labelled("container", name)).containsExactly(name + "-web-1");
    assertThat(platform.plan(stack).isEmpty()).isTrue();
  }
}
