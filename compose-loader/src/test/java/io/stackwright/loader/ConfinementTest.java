package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.StackSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files from people the host does not trust: a confined load keeps every path the project names
 * inside the project directory (symlinks followed) and the names of what it creates inside the
 * stack; reserved labels and secret targets that climb out are refused in every load.
 */
class ConfinementTest {
  @TempDir Path root;
  Path project;
  Path outside;

  @BeforeEach
  void layout() throws IOException {
    project = Files.createDirectories(root.resolve("project"));
    outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("shadow"), "root:secret\n", StandardCharsets.UTF_8);
    Files.writeString(outside.resolve("other.env"), "A=1\n", StandardCharsets.UTF_8);
    Files.writeString(
        outside.resolve("other.yml"),
        "services:\n  base: {image: busybox}\n",
        StandardCharsets.UTF_8);
    Files.writeString(project.resolve("token"), "t", StandardCharsets.UTF_8);
  }

  private Path compose(String yaml) throws IOException {
    return Files.writeString(project.resolve("compose.yml"), yaml, StandardCharsets.UTF_8);
  }

  private ComposeLoader.Builder loader(Path file) {
    return ComposeLoader.builder().file(file).projectName("p").environment(Map.of()).noDotEnv();
  }

  private static List<String> problems(ComposeLoader loader) {
    try {
      loader.load();
      return List.of();
    } catch (InvalidSpecException e) {
      return e.problems().stream()
          .map(p -> p.line() + ":" + p.column() + ": " + p.path() + ": " + p.message())
          .toList();
    }
  }

  private String refusal(String what, Path path) {
    return what
        + " "
        + path
        + " is outside the project directory "
        + Confined.real(project)
        + " (the load is confined; allow a directory with ComposeLoader.Builder.confined)";
  }

  /** The real path, as the messages name the directories. */
  static final class Confined {
    static Path real(Path p) {
      try {
        return p.toRealPath();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Nested
  @DisplayName("paths, when confined")
  class Paths {
    @Test
    @DisplayName("a secret file ../../etc/shadow or an absolute path outside is refused")
    void secretFiles() throws IOException {
      Path file =
          compose(
              "services:\n  web: {image: busybox, secrets: [a, b]}\n"
                  + "secrets:\n  a: {file: ../outside/shadow}\n  b: {file: "
                  + outside.resolve("shadow")
                  + "}\n");
      assertThat(problems(loader(file).confined().build()))
          .containsExactly(
              "4:13: secrets.a.file: " + refusal("secret file", outside.resolve("shadow")),
              "5:13: secrets.b.file: " + refusal("secret file", outside.resolve("shadow")));
      assertThat(problems(loader(file).build())).as("not confined").isEmpty();
      assertThat(problems(loader(file).confined(outside).build()))
          .as("the directory allowed")
          .isEmpty();
    }

    @Test
    @DisplayName("a symlink in the project that points out of it is followed, and refused")
    void symlinks() throws IOException {
      Files.createSymbolicLink(project.resolve("link"), outside.resolve("shadow"));
      Files.createSymbolicLink(project.resolve("inside-link"), project.resolve("token"));
      Path file =
          compose(
              "services:\n  web: {image: busybox, secrets: [a, b]}\n"
                  + "secrets:\n  a: {file: ./link}\n  b: {file: ./inside-link}\n");
      assertThat(problems(loader(file).confined().build()))
          .singleElement()
          .asString()
          .startsWith("4:13: secrets.a.file: secret file " + project.resolve("link") + " (")
          .contains(outside.resolve("shadow").toRealPath() + ") is outside the project directory");
    }

    @Test
    @DisplayName("env files, includes and extended files outside are refused")
    void envIncludeExtends() throws IOException {
      Path file =
          compose(
              "include: [../outside/other.yml]\n"
                  + "services:\n  web:\n    image: busybox\n    env_file: ../outside/other.env\n"
                  + "  child:\n    extends: {file: ../outside/other.yml, service: base}\n");
      assertThat(problems(loader(file).confined().build()))
          .containsExactly(
              "1:11: include[0]: " + refusal("included file", outside.resolve("other.yml")),
              "5:15: services.web.env_file: " + refusal("env file", outside.resolve("other.env")),
              "7:14: services.child.extends: "
                  + refusal("extended file", outside.resolve("other.yml")));
      assertThat(problems(loader(file).build())).as("not confined").isEmpty();
    }

    @Test
    @DisplayName("bind-mount sources and local volume devices outside are refused")
    void bindMounts() throws IOException {
      Path file =
          compose(
              "services:\n  web:\n    image: busybox\n    volumes:\n"
                  + "      - /var/run/docker.sock:/var/run/docker.sock\n"
                  + "      - ../outside:/data\n"
                  + "      - {type: bind, source: /etc, target: /host-etc}\n"
                  + "      - ./data:/data2\n"
                  + "      - named:/named\n"
                  + "volumes:\n  named:\n    driver_opts: {type: none, o: bind, device: /etc}\n");
      List<String> problems = problems(loader(file).confined().build());
      assertThat(problems).hasSize(4);
      assertThat(problems.get(0))
          .startsWith("5:9: services.web.volumes[0]: bind mount source /var/run/docker.sock")
          .endsWith(refusal("", project).substring(refusal("", project).indexOf(" is outside")));
      assertThat(problems.subList(1, 4))
          .containsExactly(
              "6:9: services.web.volumes[1]: " + refusal("bind mount source", outside),
              "7:30: services.web.volumes[2]: " + refusal("bind mount source", Path.of("/etc")),
              "12:48: volumes.named.driver_opts.device: "
                  + refusal("volume device", Path.of("/etc")));
      assertThat(problems(loader(file).build())).as("not confined").isEmpty();
    }
  }

  @Nested
  @DisplayName("names, when confined")
  class Names {
    @Test
    @DisplayName("a network or volume named like another stack's is refused unless external")
    void resourceNames() throws IOException {
      Path file =
          compose(
              "services:\n  web: {image: busybox, networks: [front, shared], volumes: [data:/d]}\n"
                  + "networks:\n  front: {name: other_default}\n"
                  + "  shared: {name: other_default, external: true}\n"
                  + "volumes:\n  data: {name: p_data}\n");
      assertThat(problems(loader(file).confined().build()))
          .containsExactly(
              "4:17: networks.front.name: network name other_default is outside this stack: in a"
                  + " confined load a network the stack creates is named p_..., and another"
                  + " stack's network must be declared external");
      assertThat(problems(loader(file).build())).as("not confined").isEmpty();
    }
  }

  @Nested
  @DisplayName("in every load")
  class Always {
    @Test
    @DisplayName("labels under com.docker. and io.stackwright. are refused")
    void reservedLabels() throws IOException {
      Path file =
          compose(
              "services:\n  web:\n    image: busybox\n"
                  + "    labels: {com.docker.stack.namespace: other, app: web}\n"
                  + "    deploy:\n      labels: [io.stackwright.stack=other]\n"
                  + "networks:\n  default:\n    labels: {com.docker.compose.project: other}\n");
      String reserved =
          " is reserved: labels under com.docker. and io.stackwright. are set by Stackwright, not"
              + " by a Compose file";
      assertThat(problems(loader(file).build()))
          .containsExactly(
              "4:14: services.web.labels.com.docker.stack.namespace: label"
                  + " com.docker.stack.namespace"
                  + reserved,
              "6:16: services.web.deploy.labels[0]: label io.stackwright.stack" + reserved,
              "9:14: networks.default.labels.com.docker.compose.project: label"
                  + " com.docker.compose.project"
                  + reserved);
    }

    @Test
    @DisplayName("a secret or config target that climbs with .. is refused")
    void targets() throws IOException {
      Path file =
          compose(
              "services:\n  web:\n    image: busybox\n"
                  + "    secrets: [{source: s, target: ../../../../etc/evil}]\n"
                  + "    configs: [{source: c, target: /etc/../../root/.ssh/authorized_keys}]\n"
                  + "secrets:\n  s: {file: ./token}\nconfigs:\n  c: {file: ./token}\n");
      assertThat(problems(loader(file).build()))
          .containsExactly(
              "4:35: services.web.secrets[0].target: secret target '../../../../etc/evil' must"
                  + " not contain '..': it would escape /run/secrets",
              "5:35: services.web.configs[0].target: config target"
                  + " '/etc/../../root/.ssh/authorized_keys' must not contain '..': it would escape"
                  + " the config's directory");
    }

    @Test
    @DisplayName("the loader's own output carries no reserved label")
    void noReservedLabelsWritten() throws IOException {
      Path file =
          compose(
              "services:\n  web: {image: busybox, labels: {app: web}, deploy: {labels: [a=b]}}\n"
                  + "networks:\n  n: {labels: [x=y]}\n");
      StackSpec stack = loader(file).build().load();
      assertThat(stack.services().get("web").labels()).containsOnlyKeys("app");
      assertThat(stack.services().get("web").deployLabels()).containsOnlyKeys("a");
      assertThat(stack.networks().get("n").labels()).containsOnlyKeys("x");
    }
  }
}
