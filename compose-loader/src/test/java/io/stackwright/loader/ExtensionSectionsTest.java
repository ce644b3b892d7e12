package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every {@code x-stackwright} section checks its keys the same way and reports in one format. */
class ExtensionSectionsTest {
  @TempDir Path dir;

  private TestProject project(String extension) {
    return TestProject.in(dir)
        .file(
            "compose.yml",
            "services:\n  web:\n    image: nginx\n    x-stackwright:\n" + extension.indent(6));
  }

  @ParameterizedTest
  @ValueSource(strings = {"health", "autoscaling", "routing", "rollout", "drift"})
  void anUnknownKeyInAnySectionIsOneProblemInTheSharedFormat(String section) {
    String problem = project(section + ":\n  colour: red\n").problems().get(0).toString();
    assertThat(TestProject.describe(project(section + ":\n  colour: red\n").problems().get(0)))
        .as(problem)
        .startsWith(
            "compose.yml:6:9: services.web.x-stackwright."
                + section
                + ".colour: unknown key 'colour'; expected one of ");
  }

  @Test
  void anUnknownSectionNamesTheSectionsThereAre() {
    assertThat(project("helth:\n  liveness: {tcp: 80}\n").problems())
        .extracting(TestProject::describe)
        .containsExactly(
            "compose.yml:5:7: services.web.x-stackwright.helth: unknown key 'helth' (did you mean"
                + " 'health'?); expected one of autoscaling, drift, health, rollout, routing");
  }
}
