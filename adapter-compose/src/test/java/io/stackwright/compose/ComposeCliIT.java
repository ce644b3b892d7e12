package io.stackwright.compose;

import static io.stackwright.compose.ComposeTestSupport.dockerOk;
import static io.stackwright.compose.ComposeTestSupport.labelled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.NetworkSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's docker-compose (1.29, which reads the same labels as compose v2) sees Stackwright's
 * projects, and Stackwright adopts a project docker-compose created.
 */
class ComposeCliIT {
  private final ComposeTestSupport support = new ComposeTestSupport();
  private final ComposePlatform platform = support.platform;
  private Path dir;

  @BeforeEach
  void composeIsInstalled() throws IOException {
    assumeThat(ComposeTestSupport.run(List.of("sh", "-c", "command -v docker-compose")).exitCode())
        .as("docker-compose is installed (apt-get install -y docker-compose)")
        .isZero();
    dir = Files.createTempDirectory("cptest-compose");
    Files.writeString(
        dir.resolve("docker-compose.yml"),
        """
        version: "3.7"
        services:
          web:
            image: stackwright/workload:test
            stop_grace_period: 2s
          api:
            image: stackwright/workload:test
            stop_grace_period: 2s
        """);
  }

  @AfterEach
  void cleanUp() throws IOException {
    support.close();
    if (dir != null) {
      Files.deleteIfExists(dir.resolve("docker-compose.yml"));
      Files.deleteIfExists(dir);
    }
  }

  private ComposeTestSupport.Result compose(String project, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "docker-compose",
                "--no-ansi",
                "-p",
                project,
                "-f",
                dir.resolve("docker-compose.yml").toString()));
    command.addAll(List.of(args));
    return ComposeTestSupport.run(command);
  }

  private static StackSpec stack(String name) {
    return StackSpec.builder(name)
        .network(NetworkSpec.of("default"))
        .service(ComposeTestSupport.service("web").build())
        .service(ComposeTestSupport.service("api").build())
        .build();
  }

  @Test
  void dockerComposeListsAStackwrightProject() {
    String name = support.stack("cli");
    StackSpec stack = stack(name);
    platform.apply(stack, platform.plan(stack), e -> {});
    ComposeTestSupport.Result ps = compose(name, "ps");
    assertThat(ps.exitCode()).as(ps.output()).isZero();
    assertThat(ps.output()).contains(name + "-web-1", name + "-api-1").contains("Up");
    ComposeTestSupport.Result services =
        compose(name, "ps", "--services", "--filter", "status=running");
    assertThat(services.output()).contains("web", "api");
  }

  @Test
  void stackwrightAdoptsAProjectDockerComposeCreated() {
    String name = support.stack("adopt");
    ComposeTestSupport.Result up = compose(name, "up", "-d");
    assertThat(up.exitCode()).as(up.output()).isZero();
    // docker-compose 1.x names containers <project>_<service>_<n>; the labels are what count
    assertThat(labelled("container", name)).containsExactly(name + "_api_1", name + "_web_1");
    StackSpec stack = stack(name);
    Plan plan = platform.plan(stack);
    assertThat(plan.changes()).hasSize(2).allMatch(c -> c instanceof Change.Update);
    assertThat(plan.changes())
        .flatExtracting(c -> ((Change.Update) c).fields())
        .extracting(FieldChange::path)
        .contains("config-hash");
    platform.apply(stack, plan, e -> {});
    await()
        .atMost(ComposeTestSupport.CONVERGE)
        .until(() -> ComposeTestSupport.converged(platform.status(name), stack));
    assertThat(labelled("container", name)).containsExactly(name + "-api-1", name + "-web-1");
    assertThat(platform.plan(stack).isEmpty()).isTrue();
    assertThat(
            dockerOk(
                "network",
                "ls",
                "--format",
                "{{.Name}}",
                "--filter",
                "label=com.docker.compose.project=" + name))
        .isEqualTo(name + "_default");
    ComposeTestSupport.Result ps = compose(name, "ps");
    assertThat(ps.output()).contains(name + "-web-1", name + "-api-1");
  }
}
