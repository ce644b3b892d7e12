package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.SpecProblem;
import io.stackwright.api.SpecSources;
import io.stackwright.api.StackSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems found after loading (admission, platforms) point into the Compose files. */
class SpecSourcesTest {
  @TempDir Path dir;

  @Test
  @DisplayName("key paths of a loaded stack resolve to file:line:col, dotted label keys included")
  void locates() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(
        file,
        """
        services:
          web:
            image: stackwright/workload:test
            cap_add:
              - NET_ADMIN
            labels:
              traefik.http.routers.web.rule: Host(`a.example`)
            networks: [back]
        networks:
          back: {}
        """);
    StackSpec stack = ComposeLoader.load(file, "shop");
    List<SpecProblem> located =
        SpecSources.locate(
            stack,
            List.of(
                SpecProblem.at("services.web.cap_add[0]", "refused"),
                SpecProblem.at("services.web.labels.traefik.http.routers.web.rule", "refused"),
                SpecProblem.at("services.web.networks.back", "refused"),
                SpecProblem.at("services.web.deploy.resources.limits", "refused"),
                SpecProblem.at("", "a host check failed")));
    assertThat(located)
        .extracting(p -> p.line() + ":" + p.column())
        .containsExactly("5:9", "7:7", "8:16", "2:3", "0:0");
    assertThat(located.get(0).toString())
        .isEqualTo(file + ":5:9: services.web.cap_add[0]: refused");
    // a stack built in code has no sources: its problems stay as they are
    StackSpec inCode = stack.toBuilder().build();
    assertThat(SpecSources.locate(inCode, List.of(SpecProblem.at("services.web", "x"))))
        .extracting(SpecProblem::file)
        .containsOnlyNulls();
  }
}
