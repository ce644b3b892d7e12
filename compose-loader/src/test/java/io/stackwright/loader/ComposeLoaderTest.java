package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.FileReference;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.MountSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.PortSpec.PublishMode;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API: {@link ComposeLoader#load(Path, String)} and the builder. */
class ComposeLoaderTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.createDirectories(path.getParent());
    Files.writeString(path, content, StandardCharsets.UTF_8);
    return path;
  }

  @Nested
  @DisplayName("the three-services example")
  class ThreeServices {

    @Test
    @DisplayName("loads with the one-line API")
    void loads() {
      StackSpec stack = ComposeLoader.load(TestProject.resource("three-services.yml"), "shop");

      assertThat(stack.name()).isEqualTo("shop");
      assertThat(stack.services()).containsOnlyKeys("web", "api", "worker");
      assertThat(stack.services().values())
          .allSatisfy(
              s -> {
                assertThat(s.image()).isEqualTo("stackwright/workload:test");
                assertThat(s.networks()).containsExactly(ServiceNetwork.of("backend"));
                assertThat(s.endpointMode()).isEqualTo(ServiceSpec.EndpointMode.DNSRR);
                assertThat(s.healthcheck().test()).startsWith("CMD", "/server", "--probe");
              });
      ServiceSpec web = stack.service("web");
      assertThat(web.replicas()).isEqualTo(2);
      assertThat(web.ports()).containsExactly(PortSpec.host(18080, 8080));
      assertThat(web.configs())
          .containsExactly(
              new FileReference("web_config", "/etc/workload/web.conf", null, null, null));
      assertThat(web.healthcheck())
          .isEqualTo(
              HealthcheckSpec.cmd("/server", "--probe")
                  .withTimings(
                      Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), 3));
      assertThat(web.updatePolicy().order()).isEqualTo(UpdatePolicy.Order.START_FIRST);
      assertThat(web.updatePolicy().failureAction()).isEqualTo(UpdatePolicy.FailureAction.ROLLBACK);
      assertThat(stack.service("api").secrets()).containsExactly(FileReference.of("db_password"));
      assertThat(stack.service("worker").healthcheck().test())
          .containsExactly("CMD", "/server", "--probe", "/health", "9090");
      assertThat(stack.networks().get("backend").driver()).isEqualTo("overlay");
      assertThat(stack.secrets().get("db_password").content().bytes())
          .asString()
          .isEqualTo("s3cr3t-db-password\n");
      // Where it was read from, so that another process can read it again to resume a deploy.
      assertThat(stack.secrets().get("db_password").content().origin())
          .get()
          .satisfies(
              o -> {
                assertThat(o.kind()).isEqualTo(io.stackwright.api.FileContent.Origin.Kind.FILE);
                assertThat(Path.of(o.where())).isAbsolute().exists();
              });
      assertThat(stack.configs().get("web_config").content().bytes())
          .asString()
          .isEqualTo("greeting=hello from web\n");
    }

    @Test
    @DisplayName("takes its name from the top-level name when none is given")
    void nameFromTheFile() {
      assertThat(ComposeLoader.load(TestProject.resource("three-services.yml"), null).name())
          .isEqualTo("three-services");
    }
  }

  @Nested
  @DisplayName("the project name")
  class ProjectName {

    @Test
    void anExplicitNameWinsOverTheFile() throws IOException {
      Path file = write("compose.yml", "name: from-file\nservices: {}\n");
      assertThat(ComposeLoader.load(file, "explicit").name()).isEqualTo("explicit");
      assertThat(ComposeLoader.load(file, null).name()).isEqualTo("from-file");
    }

    @Test
    void theDirectoryNameIsNormalized() throws IOException {
      Path file = write("My Project.Dir_1/compose.yml", "services: {}\n");
      assertThat(ComposeLoader.load(file, null).name()).isEqualTo("myprojectdir_1");
      Path leading = write("-_Leading/compose.yml", "services: {}\n");
      assertThat(ComposeLoader.load(leading, null).name()).isEqualTo("leading");
    }

    @Test
    void theTopLevelNameIsInterpolatedAndNormalized() throws IOException {
      Path file = write("compose.yml", "name: Shop-${ENV}\nservices: {}\n");
      StackSpec stack =
          ComposeLoader.builder().file(file).environment(Map.of("ENV", "Prod")).build().load();
      assertThat(stack.name()).isEqualTo("shop-prod");
    }

    @Test
    void theProjectNameIsAVariable() throws IOException {
      Path file =
          write(
              "compose.yml",
              "name: interpolated\nservices:\n  web:\n    image: web\n    hostname: ${COMPOSE_PROJECT_NAME}-web\n");
      assertThat(
              ComposeLoader.builder()
                  .file(file)
                  .environment(Map.of())
                  .build()
                  .load()
                  .service("web")
                  .hostname())
          .isEqualTo("interpolated-web");
    }

    @Test
    void anInvalidExplicitNameIsAProblem() throws IOException {
      Path file = write("compose.yml", "services: {}\n");
      assertThatThrownBy(() -> ComposeLoader.load(file, "My_Project"))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessage(
              "invalid stack: name: invalid project name \"My_Project\": use lower-case letters, digits, '_' or '-', starting with a letter or digit");
    }
  }

  @Nested
  @DisplayName("the environment")
  class Environment {

    @Test
    void dotEnvBesideTheFirstFileIsReadAndTheGivenEnvironmentWins() throws IOException {
      write(".env", "TAG=from-dotenv\nREGISTRY=registry.local\n# comment\nFULL=${REGISTRY}/app\n");
      Path file =
          write(
              "compose.yml",
              "services:\n  app:\n    image: ${FULL}:${TAG}\n    environment:\n      - REGISTRY\n");
      ServiceSpec app =
          ComposeLoader.builder()
              .file(file)
              .projectName("p")
              .environment(Map.of("TAG", "from-env"))
              .build()
              .load()
              .service("app");
      assertThat(app.image()).isEqualTo("registry.local/app:from-env");
      assertThat(app.environment()).containsExactly(Map.entry("REGISTRY", "registry.local"));
    }

    @Test
    void anotherDotEnvFileOrNone() throws IOException {
      write(".env", "TAG=default\n");
      Path other = write("prod.env", "TAG=prod\n");
      Path file = write("compose.yml", "services:\n  app:\n    image: app:${TAG:-none}\n");
      ComposeLoader.Builder builder =
          ComposeLoader.builder().file(file).projectName("p").environment(Map.of());
      assertThat(builder.build().load().service("app").image()).isEqualTo("app:default");
      assertThat(builder.dotEnvFile(other).build().load().service("app").image())
          .isEqualTo("app:prod");
      assertThat(builder.noDotEnv().build().load().service("app").image()).isEqualTo("app:none");
    }

    @Test
    void theProcessEnvironmentIsTheDefault() {
      String path = System.getenv("PATH");
      org.junit.jupiter.api.Assumptions.assumeTrue(path != null && !path.contains("$"));
      StackSpec stack =
          TestProject.in(dir)
              .file(
                  "compose.yml",
                  "services:\n  app:\n    image: busybox\n    environment:\n      - PATH\n")
              .load();
      // TestProject passes an explicit (empty) environment: PATH is not inherited there
      assertThat(stack.service("app").environment()).isEmpty();
      ServiceSpec fromProcess = ComposeLoader.load(dir.resolve("compose.yml"), "p").service("app");
      assertThat(fromProcess.environment()).containsExactly(Map.entry("PATH", path));
    }

    @Test
    void aWorkingDirectoryMovesDotEnvAndRelativePaths() throws IOException {
      Path project = Files.createDirectories(dir.resolve("project"));
      write("project/.env", "SOURCE=./data\n");
      write("project/secret.txt", "s");
      Path file =
          write(
              "files/compose.yml",
              """
              services:
                app:
                  image: busybox
                  volumes: ["${SOURCE}:/data"]
                  secrets: [s]
              secrets:
                s:
                  file: secret.txt
              """);
      StackSpec stack =
          ComposeLoader.builder()
              .file(file)
              .projectName("p")
              .environment(Map.of())
              .workingDir(project)
              .build()
              .load();
      assertThat(stack.service("app").mounts())
          .containsExactly(MountSpec.bind(project.resolve("data").toString(), "/data", false));
    }
  }

  @Nested
  @DisplayName("several files")
  class SeveralFiles {

    @Test
    @DisplayName("merge in order: mappings deep, command replaced, lists by key or appended")
    void mergeInOrder() throws IOException {
      Path base =
          write(
              "compose.yml",
              """
              services:
                app:
                  image: app:1
                  command: [serve, --port, "80"]
                  environment:
                    - A=1
                    - B=1
                  labels: {team: a}
                  ports: ["8080:80", "9090:90"]
                  volumes: ["data:/data", "./logs:/logs"]
                  secrets: [token]
                  cap_add: [NET_ADMIN]
                  deploy:
                    replicas: 1
                    resources:
                      limits: {cpus: '1', memory: 1g}
              volumes:
                data:
                other:
              secrets:
                token:
                  environment: TOKEN
              """);
      Path override =
          write(
              "compose.prod.yml",
              """
              services:
                app:
                  image: app:2
                  command: serve --port 81
                  environment:
                    B: 2
                    C: 3
                  ports:
                    - "8443:443"
                  volumes:
                    - other:/data
                  secrets:
                    - source: token
                      target: /run/secrets/api-token
                  cap_add: [SYS_TIME]
                  deploy:
                    replicas: 3
                    resources:
                      limits: {memory: 2g}
              """);
      ServiceSpec app =
          ComposeLoader.builder()
              .file(base)
              .file(override)
              .projectName("p")
              .environment(Map.of("TOKEN", "t"))
              .build()
              .load()
              .service("app");

      assertThat(app.image()).isEqualTo("app:2");
      assertThat(app.command()).containsExactly("serve", "--port", "81");
      assertThat(app.environment())
          .containsExactly(Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("C", "3"));
      assertThat(app.labels()).containsExactly(Map.entry("team", "a"));
      assertThat(app.ports())
          .containsExactly(
              new PortSpec(80, 8080, "tcp", PublishMode.INGRESS, null),
              new PortSpec(90, 9090, "tcp", PublishMode.INGRESS, null),
              new PortSpec(443, 8443, "tcp", PublishMode.INGRESS, null));
      assertThat(app.mounts())
          .containsExactly(
              MountSpec.volume("other", "/data"),
              MountSpec.bind(dir.resolve("logs").toString(), "/logs", false));
      // secrets are unique by target: a new target adds a second mount of the same secret
      assertThat(app.secrets())
          .containsExactly(
              FileReference.of("token"),
              new FileReference("token", "/run/secrets/api-token", null, null, null));
      assertThat(app.capAdd()).containsExactly("NET_ADMIN", "SYS_TIME");
      assertThat(app.replicas()).isEqualTo(3);
      assertThat(app.resources().limits().nanoCpus()).isEqualTo(1_000_000_000L);
      assertThat(app.resources().limits().memoryBytes()).isEqualTo(2L << 30);
    }

    @Test
    @DisplayName("a problem names the file it is in")
    void problemsNameTheirFile() throws IOException {
      Path base = write("compose.yml", "services:\n  app:\n    image: app\n");
      Path override = write("override.yml", "services:\n  app:\n    replicas: 2\n");
      assertThatThrownBy(
              () ->
                  ComposeLoader.builder().file(base).file(override).projectName("p").build().load())
          .isInstanceOfSatisfying(
              InvalidSpecException.class,
              e ->
                  assertThat(e.problems())
                      .containsExactly(
                          new SpecProblem(
                              override.toString(),
                              3,
                              5,
                              "services.app.replicas",
                              "additional properties 'replicas' not allowed")));
    }
  }

  @Nested
  @DisplayName("failures")
  class Failures {

    @Test
    @DisplayName("every problem in one exception, with a readable message and no stack trace text")
    void oneExceptionWithEveryProblem() throws IOException {
      Path file =
          write(
              "compose.yml",
              """
              services:
                web:
                  imgae: nginx
                  ports: ["70000:80"]
              networkz: {}
              """);
      assertThatThrownBy(() -> ComposeLoader.load(file, "p"))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessage(
              "invalid stack (4 problems):\n"
                  + "  - "
                  + file
                  + ":2:3: services.web: service \"web\" has neither an image nor a build context specified\n"
                  + "  - "
                  + file
                  + ":3:5: services.web.imgae: additional properties 'imgae' not allowed (did you mean 'image'?)\n"
                  + "  - "
                  + file
                  + ":4:13: services.web.ports[0]: invalid published port in '70000:80': ports must be 1-65535\n"
                  + "  - "
                  + file
                  + ":5:1: networkz: additional properties 'networkz' not allowed (did you mean 'networks'?)");
    }

    @Test
    @DisplayName("a missing file is a problem, not an IOException")
    void missingFile() {
      Path missing = dir.resolve("nope.yml");
      assertThatThrownBy(() -> ComposeLoader.load(missing, "p"))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessage("invalid stack: " + missing + ": file not found");
    }

    @Test
    @DisplayName("a YAML syntax error is a located problem without Jackson's text")
    void syntaxError() throws IOException {
      Path file = write("compose.yml", "services:\n  web:\n    image: [nginx\n    ports: []\n");
      assertThatThrownBy(() -> ComposeLoader.load(file, "p"))
          .isInstanceOfSatisfying(
              InvalidSpecException.class,
              e -> {
                assertThat(e.problems())
                    .containsExactly(
                        new SpecProblem(
                            file.toString(),
                            4,
                            10,
                            "services.web.image[0]",
                            "invalid YAML: while parsing a flow sequence: expected ',' or ']', but got :"));
                assertThat(e.getMessage()).doesNotContain("jackson", "Source:", "\tat ");
              });
    }

    @Test
    @DisplayName("building a loader needs a file")
    void needsAFile() {
      assertThatThrownBy(() -> ComposeLoader.builder().build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("a ComposeLoader needs at least one file");
    }
  }

  @Test
  @DisplayName("a loader reads its files again on each load")
  void reloads() throws IOException {
    Path file = write("compose.yml", "services:\n  app:\n    image: app:1\n");
    ComposeLoader loader = ComposeLoader.builder().file(file).projectName("p").build();
    assertThat(loader.load().service("app").image()).isEqualTo("app:1");
    write("compose.yml", "services:\n  app:\n    image: app:2\n");
    assertThat(loader.load().service("app").image()).isEqualTo("app:2");
    assertThat(loader.files()).containsExactly(file);
  }

  @Test
  @DisplayName("loading never writes: the project directory is unchanged (see also NoWritesTest)")
  void neverWrites() throws IOException {
    write(".env", "TAG=1\n");
    write("app.env", "A=1\n");
    write("secret.txt", "s");
    Path file =
        write(
            "compose.yml",
            """
            services:
              app:
                image: app:${TAG}
                env_file: app.env
                volumes: ["./data:/data", "cache:/cache"]
                secrets: [s]
            volumes:
              cache:
            secrets:
              s:
                file: secret.txt
            """);
    Map<String, String> before = snapshot(dir);

    ComposeLoader.load(file, "p");
    assertThatThrownBy(() -> ComposeLoader.load(write("bad.yml", "services: [\n"), "p"))
        .isInstanceOf(InvalidSpecException.class);

    before.put("bad.yml", snapshot(dir).get("bad.yml"));
    assertThat(snapshot(dir)).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
  }

  /** Every file under root with its size and modification time. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        files.put(
            root.relativize(p).toString(),
            Files.isDirectory(p)
                ? "dir"
                : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }
}
