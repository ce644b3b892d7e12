package io.stackwright.compose;

import static io.stackwright.compose.ComposeTestSupport.dockerOk;
import static io.stackwright.compose.ComposeTestSupport.labelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.PortSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scaling by container number, and plan + apply repairing removed or crashed containers. */
class ScaleAndHealIT {
  private final ComposeTestSupport support = new ComposeTestSupport();
  private final ComposePlatform platform = support.platform;

  @AfterEach
  void cleanUp() {
    support.close();
  }

  private StackSpec oneService(String name) {
    return StackSpec.builder(name)
        .service(
            ComposeTestSupport.service("web")
                .port(PortSpec.of(8080))
                .healthcheck(ComposeTestSupport.probe())
                .build())
        .build();
  }

  private Map<Integer, String> containers(String stack) {
    ServiceState web = platform.status(stack).service("web").orElseThrow();
    return web.tasks().stream().collect(Collectors.toMap(TaskState::slot, TaskState::id));
  }

  @Test
  void scalesByContainerNumberWithoutTouchingTheOthers() {
    String name = support.stack("scale");
    StackSpec stack = oneService(name);
    platform.apply(stack, platform.plan(stack), e -> {});
    String first = containers(name).get(1);

    platform.scale(name, "web", 3);
    assertThat(labelled("container", name))
        .containsExactly(name + "-web-1", name + "-web-2", name + "-web-3");
    assertThat(containers(name).get(1)).isEqualTo(first);
    assertThat(platform.status(name).service("web").orElseThrow().desiredReplicas()).isEqualTo(3);
    await()
        .atMost(ComposeTestSupport.CONVERGE)
        .until(() -> platform.status(name).service("web").orElseThrow().readyReplicas() == 3);
    // the copies are complete members: on the network as the service, same config hash
    assertThat(dockerOk("inspect", "-f", "{{json .NetworkSettings.Networks}}", name + "-web-3"))
        .contains("\"" + name + "-web-3\"", "\"web\"")
        .doesNotContain(name + "-web-1");
    assertThat(platform.status(name).service("web").orElseThrow().currentTasks()).hasSize(3);
    // the spec still says 1: the plan scales back
    Plan plan = platform.plan(stack);
    assertThat(plan.changes()).hasSize(1);
    assertThat(((Change.Update) plan.changes().get(0)).fields())
        .containsExactly(new FieldChange("replicas", "3", "1"));

    platform.scale(name, "web", 1);
    assertThat(labelled("container", name)).containsExactly(name + "-web-1");
    assertThat(containers(name).get(1)).isEqualTo(first);
    assertThat(platform.status(name).service("web").orElseThrow().desiredReplicas()).isEqualTo(1);
    assertThat(platform.plan(stack).isEmpty()).isTrue();
  }

  @Test
  void planAndApplyBringBackARemovedOrCrashedContainer() {
    String name = support.stack("heal");
    StackSpec stack = oneService(name);
    platform.apply(stack, platform.plan(stack), e -> {});
    String web = name + "-web-1";

    // removed behind our back
    dockerOk("rm", "-f", web);
    Plan plan = platform.plan(stack);
    assertThat(plan.changes()).containsExactly(new Change.Create(ResourceKind.SERVICE, "web"));
    platform.apply(stack, plan, e -> {});
    assertThat(labelled("container", name)).containsExactly(web);
    await()
        .atMost(ComposeTestSupport.CONVERGE)
        .until(() -> ComposeTestSupport.converged(platform.status(name), stack));
    String id = containers(name).get(1);

    // crashed: the workload exits with 1 (the exec may die with it: its exit code says nothing)
    ComposeTestSupport.docker(
        "exec",
        web,
        "sh",
        "-c",
        "timeout 3 wget -q -O- --post-data='' 'http://127.0.0.1:8080/admin/exit?code=1' || true");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                platform.status(name).service("web").orElseThrow().tasks().get(0).status()
                    == TaskStatus.FAILED);
    TaskState crashed = platform.status(name).service("web").orElseThrow().tasks().get(0);
    assertThat(crashed.error()).isEqualTo("exit code 1");
    Plan repair = platform.plan(stack);
    assertThat(repair.changes()).hasSize(1);
    List<FieldChange> fields = ((Change.Update) repair.changes().get(0)).fields();
    assertThat(fields).extracting(FieldChange::path).containsExactly("containers");
    assertThat(fields.get(0).before()).isEqualTo(web + " exited (1)");
    platform.apply(stack, repair, e -> {});
    await()
        .atMost(ComposeTestSupport.CONVERGE)
        .until(() -> ComposeTestSupport.converged(platform.status(name), stack));
    assertThat(containers(name).get(1)).isEqualTo(id); // started again, not recreated
    assertThat(platform.plan(stack).isEmpty()).isTrue();
  }
}
