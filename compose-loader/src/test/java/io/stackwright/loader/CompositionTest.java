package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DependsOn;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.LoggingSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.Ulimit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several files, merge rules and tags, extends, include, profiles, env files and the model. */
class CompositionTest {
  @TempDir Path dir;

  private TestProject project() {
    return TestProject.in(dir);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @Nested
  @DisplayName("merge rules of the Compose specification")
  class MergeRules {

    @Test
    @DisplayName("scalars are replaced, mappings merge, command and healthcheck.test are replaced")
    void scalarsMappingsAndReplacedSequences() {
      ServiceSpec s =
          project()
              .file(
                  "a.yml",
                  """
                  services:
                    s:
                      image: a
                      command: [run, --fast]
                      entrypoint: [/init]
                      healthcheck: {test: [CMD, a, b], interval: 5s}
                      labels: {x: "1"}
                  """)
              .file(
                  "b.yml",
                  """
                  services:
                    s:
                      image: b
                      command: [serve]
                      healthcheck: {test: [CMD, c]}
                      labels: [y=2]
                  """)
              .service();
      assertThat(s.image()).isEqualTo("b");
      assertThat(s.command()).containsExactly("serve");
      assertThat(s.entrypoint()).containsExactly("/init");
      assertThat(s.healthcheck().test()).containsExactly("CMD", "c");
      assertThat(s.healthcheck().interval()).hasSeconds(5);
      assertThat(s.labels()).containsExactly(Map.entry("x", "1"), Map.entry("y", "2"));
    }

    @Test
    @DisplayName("ports, volumes and secrets are unique by their key; dns and expose by value")
    void uniqueSequences() {
      TestProject p =
          project()
              .file(
                  "a.yml",
                  """
                  services:
                    s:
                      image: a
                      ports: ["8080:80"]
                      volumes: ["data:/data", "./a:/a"]
                      dns: 1.1.1.1
                      expose: ["80"]
                      cap_add: [NET_ADMIN]
                  volumes: {data: {}, other: {}}
                  """)
              .file(
                  "b.yml",
                  """
                  services:
                    s:
                      ports: ["8080:80", "9090:90"]
                      volumes: ["other:/data"]
                      dns: [1.1.1.1, 8.8.8.8]
                      expose: ["80", "81"]
                      cap_add: [NET_ADMIN, SYS_TIME]
                  """);
      ServiceSpec s = p.service();
      assertThat(s.ports())
          .containsExactly(
              new PortSpec(80, 8080, "tcp", PortSpec.PublishMode.INGRESS, null),
              new PortSpec(90, 9090, "tcp", PortSpec.PublishMode.INGRESS, null));
      assertThat(s.mounts())
          .containsExactly(
              MountSpec.volume("other", "/data"),
              MountSpec.bind(dir.resolve("a").toString(), "/a", false));
      assertThat(s.capAdd()).containsExactly("NET_ADMIN", "SYS_TIME");
      Map<String, Object> model = map(map(p.result().model().get("services")).get("s"));
      assertThat(model.get("dns")).isEqualTo(List.of("1.1.1.1", "8.8.8.8"));
      assertThat(model.get("expose")).isEqualTo(List.of("80", "81"));
    }

    @Test
    @DisplayName("depends_on and networks merge as mappings; ulimits and logging drivers replace")
    void mappingsOfNames() {
      ServiceSpec s =
          project()
              .file(
                  "a.yml",
                  """
                  services:
                    s:
                      image: a
                      depends_on: [db]
                      networks: [front]
                      ulimits: {nofile: {soft: 1, hard: 2}}
                      logging: {driver: syslog, options: {a: "1"}}
                    db: {image: db}
                    cache: {image: cache}
                  networks: {front: {}, back: {}}
                  """)
              .file(
                  "b.yml",
                  """
                  services:
                    s:
                      depends_on: {cache: {condition: service_healthy}}
                      networks: {back: {aliases: [b]}}
                      ulimits: {nofile: 3}
                      logging: {driver: json-file, options: {b: "2"}}
                  """)
              .load()
              .service("s");
      assertThat(s.dependsOn())
          .containsExactly(
              Map.entry("db", DependsOn.started()), Map.entry("cache", DependsOn.healthy()));
      assertThat(s.networks()).extracting(n -> n.network()).containsExactly("front", "back");
      assertThat(s.ulimits()).containsExactly(Map.entry("nofile", Ulimit.of(3)));
      assertThat(s.logging()).isEqualTo(new LoggingSpec("json-file", Map.of("b", "2")));
    }

    @Test
    @DisplayName("!reset removes a value, !override replaces it without merging")
    void resetAndOverride() {
      ServiceSpec s =
          project()
              .file(
                  "a.yml",
                  """
                  services:
                    s:
                      image: a
                      command: [run]
                      ports: ["8080:80"]
                      environment: {A: "1", B: "1"}
                  """)
              .file(
                  "b.yml",
                  """
                  services:
                    s:
                      command: !reset null
                      ports: !override ["9090:90"]
                      environment: !override {C: "3"}
                  """)
              .service();
      assertThat(s.command()).isNull();
      assertThat(s.ports()).extracting(PortSpec::published).containsExactly(9090);
      assertThat(s.environment()).containsExactly(Map.entry("C", "3"));
    }

    @Test
    @DisplayName("anchors, aliases and merge keys")
    void anchors() {
      ServiceSpec s =
          project()
              .file(
                  "a.yml",
                  """
                  x-base: &base
                    image: a
                    environment: &env {A: "1"}
                  services:
                    s:
                      <<: *base
                      labels: *env
                  """)
              .service();
      assertThat(s.image()).isEqualTo("a");
      assertThat(s.environment()).containsExactly(Map.entry("A", "1"));
      assertThat(s.labels()).containsExactly(Map.entry("A", "1"));
    }
  }

  @Nested
  @DisplayName("extends")
  class Extends {

    @Test
    @DisplayName("a service of the same file, in a chain, merged with the merge rules")
    void sameFile() {
      StackSpec stack =
          project()
              .file(
                  "compose.yml",
                  """
                  services:
                    base: {image: base, environment: {A: "1"}, ports: ["80"]}
                    middle: {extends: base, environment: {B: "2"}}
                    top:
                      extends: {service: middle}
                      environment: {A: "3"}
                      ports: ["81"]
                  """)
              .load();
      ServiceSpec top = stack.service("top");
      assertThat(top.image()).isEqualTo("base");
      assertThat(top.environment()).containsExactly(Map.entry("A", "3"), Map.entry("B", "2"));
      assertThat(top.ports()).extracting(PortSpec::target).containsExactly(80, 81);
    }

    @Test
    @DisplayName("another file: its relative paths resolve against its own directory")
    void otherFile() {
      TestProject p = project();
      p.write(
          "common/base.yml",
          """
          services:
            web:
              image: web
              env_file: web.env
              volumes: ["./static:/static"]
          """);
      p.write("common/web.env", "FROM=common\n");
      p.file(
          "compose.yml", "services:\n  app:\n    extends: {file: common/base.yml, service: web}\n");
      ServiceSpec app = p.service();
      assertThat(app.environment()).containsExactly(Map.entry("FROM", "common"));
      assertThat(app.mounts())
          .containsExactly(
              MountSpec.bind(dir.resolve("common/static").toString(), "/static", false));
    }

    @Test
    @DisplayName("cycles and missing services are problems at the extends key")
    void cyclesAndMissing() {
      assertThat(
              project()
                  .file(
                      "compose.yml",
                      """
                      services:
                        a: {image: x, extends: b}
                        b: {image: x, extends: a}
                        c: {image: x, extends: nope}
                      """)
                  .describedProblems())
          .anyMatch(p -> p.contains("extends cycle detected"))
          .anyMatch(
              p ->
                  p.contains(
                      "services.c.extends: cannot extend service \"nope\": service not found"));
    }
  }

  @Nested
  @DisplayName("include")
  class Include {

    @Test
    @DisplayName("an included project, with its env_file, paths relative to its directory")
    void include() {
      TestProject p = project();
      p.write(
          "lib/compose.yml",
          """
          services:
            db:
              image: postgres:${PG:-15}
              volumes: ["./init:/docker-entrypoint-initdb.d"]
          """);
      p.write("lib/db.env", "PG=16\n");
      p.file(
          "compose.yml",
          """
          include:
            - path: lib/compose.yml
              env_file: lib/db.env
          services:
            app: {image: app, depends_on: [db]}
          """);
      StackSpec stack = p.load();
      assertThat(stack.service("db").image()).isEqualTo("postgres:16");
      assertThat(stack.service("db").mounts())
          .containsExactly(
              MountSpec.bind(
                  dir.resolve("lib/init").toString(), "/docker-entrypoint-initdb.d", false));
      assertThat(stack.service("app").dependsOn()).containsKey("db");
    }

    @Test
    @DisplayName("a resource defined differently in both, and an include cycle, are problems")
    void conflictsAndCycles() {
      TestProject p = project();
      p.write("other.yml", "services:\n  app: {image: other}\n");
      p.write("loop.yml", "include: [compose.yml]\n");
      p.file("compose.yml", "include: [other.yml, loop.yml]\nservices:\n  app: {image: mine}\n");
      assertThat(p.describedProblems())
          .anyMatch(s -> s.contains("services.app conflicts with imported resource"))
          .anyMatch(s -> s.contains("include cycle detected"));
    }
  }

  @Nested
  @DisplayName("profiles")
  class Profiles {
    private static final String YAML =
        """
        services:
          app: {image: app, depends_on: {db: {condition: service_started, required: false}}}
          db: {image: db, profiles: [db]}
          debug: {image: debug, profiles: [debug], depends_on: [db]}
        """;

    @Test
    @DisplayName("--profile, COMPOSE_PROFILES and '*' enable profiled services")
    void active() {
      assertThat(project().file("c.yml", YAML).load().services()).containsOnlyKeys("app");
      assertThat(project().file("c.yml", YAML).profiles("db").load().services())
          .containsOnlyKeys("app", "db");
      assertThat(
              project().file("c.yml", YAML).env("COMPOSE_PROFILES", "db,debug").load().services())
          .containsOnlyKeys("app", "db", "debug");
      assertThat(project().file("c.yml", YAML).profiles("*").load().services()).hasSize(3);
    }

    @Test
    @DisplayName("an optional dependency on a disabled service is dropped with a warning")
    void optionalDependency() {
      TestProject p = project().file("c.yml", YAML);
      assertThat(p.load().service("app").dependsOn()).isEmpty();
      assertThat(p.warnings()).anyMatch(w -> w.contains("optional dependency \"db\" is disabled"));
    }

    @Test
    @DisplayName("a service named explicitly pulls in what it depends on, whatever the profiles")
    void pulledInByDependency() {
      StackSpec stack =
          ComposeLoader.builder()
              .file(project().file("c.yml", YAML).dir().resolve("c.yml"))
              .projectName("p")
              .environment(Map.of())
              .services("debug")
              .build()
              .load();
      assertThat(stack.services()).containsOnlyKeys("debug", "db");
    }
  }

  @Nested
  @DisplayName("env files and the rendered model")
  class EnvFilesAndModel {

    @Test
    @DisplayName("--env-file replaces .env, a later one wins, the environment wins over both")
    void envFiles() {
      TestProject p = project();
      p.write(".env", "TAG=dotenv\n");
      Path one = p.write("one.env", "TAG=one\nPORT=1\n");
      Path two = p.write("two.env", "TAG=two\n");
      p.write(
          "compose.yml", "services:\n  s: {image: \"s:${TAG}\", labels: {port: \"${PORT}\"}}\n");
      ComposeLoader.Builder loader =
          ComposeLoader.builder()
              .file(dir.resolve("compose.yml"))
              .projectName("p")
              .environment(Map.of())
              .envFile(one)
              .envFile(two);
      ServiceSpec s = loader.build().load().service("s");
      assertThat(s.image()).isEqualTo("s:two");
      assertThat(s.labels()).containsEntry("port", "1");
      assertThat(loader.environment(Map.of("TAG", "env")).build().load().service("s").image())
          .isEqualTo("s:env");
    }

    @Test
    @DisplayName("a missing --env-file is a problem")
    void missingEnvFile() {
      project().write("compose.yml", "services:\n  s: {image: s}\n");
      assertThatThrownBy(
              () ->
                  ComposeLoader.builder()
                      .file(dir.resolve("compose.yml"))
                      .envFile(dir.resolve("nope.env"))
                      .projectName("p")
                      .build()
                      .load())
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("nope.env: env file (--env-file) not found");
    }

    @Test
    @DisplayName("render: the normalized model as YAML and JSON, never a secret's content")
    void render() {
      project()
          .write(
              "compose.yml",
              """
              name: shop
              services:
                web:
                  image: nginx
                  command: nginx -g "daemon off;"
                  ports: ["8080:80"]
                  environment: [A=1]
                  secrets: [token]
                  x-team: web
              secrets:
                token: {environment: TOKEN}
              """);
      ComposeLoader loader =
          ComposeLoader.builder()
              .file(dir.resolve("compose.yml"))
              .environment(Map.of("TOKEN", "s3cr3t-value"))
              .build();
      String yaml = loader.render(ComposeLoader.Format.YAML);
      assertThat(yaml)
          .startsWith("name: shop\n")
          .contains("published: \"8080\"")
          .contains("- daemon off;")
          .contains("x-team: web")
          .contains("environment: TOKEN")
          .doesNotContain("s3cr3t-value");
      String json = loader.render(ComposeLoader.Format.JSON);
      assertThat(json).contains("\"target\" : 80").doesNotContain("s3cr3t-value");
      assertThat(loader.loadWithModel().model())
          .containsKeys("name", "services", "secrets", "networks");
    }
  }
}
