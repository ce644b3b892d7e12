package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.MountSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corners of the Compose specification that real files use, as compose-go (the reference
 * implementation) reads them. Each test failed on the loader before its fix.
 */
class ComposeCornersTest {
  @TempDir Path dir;

  private TestProject project(String yaml) {
    return TestProject.in(dir).file("compose.yml", yaml);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(Map<String, Object> model, String name) {
    return (Map<String, Object>) ((Map<String, Object>) model.get("services")).get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private Map<String, Object> model(String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("compose.yml"), yaml);
    return ComposeLoader.builder()
        .file(file)
        .projectName("p")
        .environment(Map.of())
        .noDotEnv()
        .build()
        .loadWithModel()
        .model();
  }

  @Nested
  @DisplayName("interpolation")
  class Interpolation {
    @Test
    @DisplayName(
        "a $ that starts no variable is kept: bcrypt hashes, $(...), $', regexes ending in $")
    void lonelyDollars() {
      ServiceSpec web =
          project(
                  "services:\n  web:\n    image: busybox\n"
                      + "    labels:\n"
                      + "      traefik.http.middlewares.auth.basicauth.users: 'admin:$2y$05$1xXq9.Ab'\n"
                      + "      rule: '^/api/v[0-9]+$'\n"
                      + "    command: [sh, -c, \"echo $(date) $$HOME $'x'\"]\n"
                      + "    user: $1\n")
              .service();
      assertThat(web.labels())
          .containsEntry("traefik.http.middlewares.auth.basicauth.users", "admin:$2y$05$1xXq9.Ab")
          .containsEntry("rule", "^/api/v[0-9]+$");
      assertThat(web.command()).containsExactly("sh", "-c", "echo $(date) $HOME $'x'");
      assertThat(web.user()).isEqualTo("$1");
    }

    @Test
    @DisplayName("a malformed ${ is still an error")
    void malformedBrace() {
      assertThat(project("services:\n  web:\n    image: busybox\n    user: ${1x}\n").problem())
          .isEqualTo(
              "compose.yml:4:11: services.web.user: invalid interpolation format in \"${1x}\"; you"
                  + " may need to escape any $ with another $");
    }

    @Test
    @DisplayName("config output escapes $ again, so that it loads back to the same model")
    void renderedModelLoadsBack() throws IOException {
      Path file =
          Files.writeString(
              dir.resolve("compose.yml"),
              "services:\n  web:\n    image: busybox\n    labels: {hash: '$$2y$$05$$1x', plain: '$1'}\n");
      ComposeLoader loader =
          ComposeLoader.builder()
              .file(file)
              .projectName("p")
              .environment(Map.of())
              .noDotEnv()
              .build();
      String rendered = loader.render(ComposeLoader.Format.YAML);
      assertThat(rendered).contains("hash: $$2y$$05$$1x").contains("plain: $$1");
      Path again = Files.writeString(dir.resolve("again.yml"), rendered);
      ComposeLoader reloaded =
          ComposeLoader.builder()
              .file(again)
              .projectName("p")
              .environment(Map.of())
              .noDotEnv()
              .build();
      assertThat(reloaded.loadWithModel().model()).isEqualTo(loader.loadWithModel().model());
      assertThat(reloaded.load().services().get("web").labels())
          .containsEntry("hash", "$2y$05$1x")
          .containsEntry("plain", "$1");
    }
  }

  @Nested
  @DisplayName("what the specification allows")
  class Allowed {
    @Test
    @DisplayName("a service with provider: needs no image; it stays in the model, not in the stack")
    void providerServices() throws IOException {
      String yaml =
          "services:\n  app:\n    image: busybox\n    depends_on: [ai]\n"
              + "  ai:\n    provider: {type: model, options: {model: ai/smollm2}}\n";
      StackSpec stack = project(yaml).load();
      assertThat(stack.services()).containsOnlyKeys("app");
      assertThat(stack.services().get("app").dependsOn()).isEmpty();
      assertThat(service(model(yaml), "ai")).containsKey("provider");
    }

    @Test
    @DisplayName("volume types image, cluster and npipe are valid (kept in the model only)")
    void volumeTypes() {
      TestProject p =
          project(
              "services:\n  web:\n    image: busybox\n    volumes:\n"
                  + "      - {type: image, source: alpine, target: /img}\n"
                  + "      - {type: cluster, source: c, target: /c}\n"
                  + "      - {type: npipe, source: '\\\\\\\\.\\\\pipe\\\\docker_engine', target: '\\\\\\\\.\\\\pipe\\\\x'}\n"
                  + "      - data:/data\n"
                  + "volumes: {data: {}}\n");
      assertThat(p.service().mounts()).containsExactly(MountSpec.volume("data", "/data"));
      assertThat(p.warnings())
          .anyMatch(w -> w.contains("a mount of type image cannot be represented"));
    }

    @Test
    @DisplayName("a long-syntax published port may be a range")
    void publishedRange() throws IOException {
      String yaml =
          "services:\n  web:\n    image: busybox\n    ports:\n      - {target: 443, published: \"8443-8444\"}\n";
      assertThat(project(yaml).service().ports().get(0).published()).isEqualTo(8443);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ports =
          (List<Map<String, Object>>) service(model(yaml), "web").get("ports");
      assertThat(ports.get(0)).containsEntry("published", "8443-8444");
    }

    @Test
    @DisplayName("pre_start hooks are accepted")
    void preStart() {
      assertThat(
              project(
                      "services:\n  web:\n    image: busybox\n"
                          + "    pre_start:\n      - command: [echo, hi]\n        user: root\n")
                  .service()
                  .image())
          .isEqualTo("busybox");
    }
  }

  @Nested
  @DisplayName("what must fail")
  class Refused {
    @Test
    @DisplayName("a host IP in ports that is not an IP address")
    void hostIps() {
      assertThat(
              project(
                      "services:\n  web:\n    image: busybox\n    ports:\n"
                          + "      - \"1.2.3:8080:80\"\n      - \"80:80:80:80\"\n"
                          + "      - \"127.0.0.1:8081:80\"\n      - \"[::1]:8082:80\"\n"
                          + "      - \"::1:8083:80\"\n")
                  .describedProblems())
          .containsExactly(
              "compose.yml:5:9: services.web.ports[0]: invalid host IP '1.2.3' in port"
                  + " '1.2.3:8080:80': it must be an IPv4 or IPv6 address",
              "compose.yml:6:9: services.web.ports[1]: invalid host IP '80:80' in port"
                  + " '80:80:80:80': it must be an IPv4 or IPv6 address");
    }

    @Test
    @DisplayName("links to a service the file does not define; never suggesting the service itself")
    void links() {
      assertThat(
              project(
                      "services:\n  web:\n    image: busybox\n    links: [wbe, db:database]\n"
                          + "  db:\n    image: postgres\n")
                  .problem())
          .isEqualTo(
              "compose.yml:4:13: services.web.links[0]: service \"web\" depends on undefined"
                  + " service \"wbe\"");
    }
  }

  @Nested
  @DisplayName("normalised as compose-go does")
  class Normalised {
    @Test
    @DisplayName("volume targets lose a trailing /")
    void volumeTargets() throws IOException {
      String yaml =
          "services:\n  web:\n    image: busybox\n    volumes: ['data:/data/', {type: volume, source: data, target: /d2/}]\nvolumes: {data: {}}\n";
      assertThat(project(yaml).service().mounts())
          .extracting(MountSpec::target)
          .containsExactly("/data", "/d2");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> volumes =
          (List<Map<String, Object>>) service(model(yaml), "web").get("volumes");
      assertThat(volumes).extracting(v -> v.get("target")).containsExactly("/data", "/d2");
    }

    @Test
    @DisplayName("an environment entry without a value, unset, stays as null in the model")
    void environmentWithoutValue() throws IOException {
      Map<String, Object> web =
          service(
              model("services:\n  web:\n    image: busybox\n    environment: [A=1, UNSET]\n"),
              "web");
      assertThat(map(web.get("environment"))).containsEntry("A", "1").containsEntry("UNSET", null);
    }

    @Test
    @DisplayName("links, service: namespaces and volumes_from are dependencies")
    void implicitDependencies() throws IOException {
      String yaml =
          "services:\n"
              + "  web:\n    image: busybox\n    links: [db]\n    network_mode: service:net\n"
              + "    ipc: service:shm\n    volumes_from: [store:ro]\n"
              + "  db: {image: busybox}\n  net: {image: busybox}\n  shm: {image: busybox}\n"
              + "  store: {image: busybox}\n";
      Map<String, DependsOn> dependsOn = project(yaml).load().services().get("web").dependsOn();
      assertThat(dependsOn).containsOnlyKeys("db", "net", "shm", "store");
      assertThat(dependsOn.get("db"))
          .isEqualTo(new DependsOn(DependsOn.Condition.SERVICE_STARTED, true, true));
      assertThat(dependsOn.get("store"))
          .isEqualTo(new DependsOn(DependsOn.Condition.SERVICE_STARTED, true, false));
      @SuppressWarnings("unchecked")
      Map<String, Object> modelDeps =
          (Map<String, Object>) service(model(yaml), "web").get("depends_on");
      assertThat(modelDeps)
          .containsEntry(
              "db", Map.of("condition", "service_started", "restart", true, "required", true))
          .containsEntry("store", Map.of("condition", "service_started", "required", true));
    }

    @Test
    @DisplayName("extra_hosts with a list of addresses")
    void extraHostsLists() throws IOException {
      String yaml =
          "services:\n  web:\n    image: busybox\n    extra_hosts:\n      db: [10.0.0.1, \"::1\"]\n";
      assertThat(project(yaml).service().extraHosts()).containsExactly("db:10.0.0.1", "db:::1");
      assertThat(map(service(model(yaml), "web").get("extra_hosts")))
          .containsEntry("db", List.of("10.0.0.1", "::1"));
    }

    @Test
    @DisplayName(
        "YAML 1.1 scalars (yes, on, 0755) stay as written in labels, args, logging, environment")
    void yaml11Scalars() throws IOException {
      String yaml =
          "services:\n  web:\n    image: busybox\n"
              + "    build: {context: ., args: {A: yes, B: 0755}}\n"
              + "    labels: {a: yes, b: on, c: 0755}\n"
              + "    environment: {A: yes, B: on, C: 0755}\n"
              + "    logging: {driver: json-file, options: {compress: on, mode: 0755}}\n";
      ServiceSpec web = project(yaml).service();
      assertThat(web.labels())
          .containsEntry("a", "yes")
          .containsEntry("b", "on")
          .containsEntry("c", "0755");
      assertThat(web.environment()).containsEntry("A", "yes").containsEntry("C", "0755");
      assertThat(web.logging().options())
          .containsEntry("compress", "on")
          .containsEntry("mode", "0755");
      Map<String, Object> model = service(model(yaml), "web");
      assertThat(map(model.get("labels"))).containsEntry("a", "yes").containsEntry("c", "0755");
      assertThat(map(((Map<?, ?>) model.get("build")).get("args")))
          .containsEntry("A", "yes")
          .containsEntry("B", "0755");
      assertThat(map(((Map<?, ?>) model.get("logging")).get("options")))
          .containsEntry("compress", "on");
    }

    @Test
    @DisplayName(
        "build: no default dockerfile beside dockerfile_inline; additional_contexts absolute")
    void build() throws IOException {
      Map<String, Object> build =
          map(
              service(
                      model(
                          "services:\n  web:\n    image: busybox\n    build:\n      context: .\n"
                              + "      dockerfile_inline: FROM scratch\n"
                              + "      additional_contexts: {src: ./src, img: docker-image://alpine}\n"),
                      "web")
                  .get("build"));
      assertThat(build).doesNotContainKey("dockerfile");
      assertThat(map(build.get("additional_contexts")))
          .containsEntry("src", dir.resolve("src").toString())
          .containsEntry("img", "docker-image://alpine");
    }

    @Test
    @DisplayName("develop.watch paths are absolute")
    void developWatch() throws IOException {
      Map<?, ?> develop =
          (Map<?, ?>)
              service(
                      model(
                          "services:\n  web:\n    image: busybox\n    develop:\n      watch:\n"
                              + "        - {path: ./src, action: sync, target: /app}\n"),
                      "web")
                  .get("develop");
      assertThat(((List<?>) develop.get("watch")).get(0))
          .isEqualTo(
              Map.of("path", dir.resolve("src").toString(), "action", "sync", "target", "/app"));
    }

    @Test
    @DisplayName("label_file contents merge into labels (the service's labels win); paths absolute")
    void labelFiles() throws IOException {
      Files.writeString(dir.resolve("web.labels"), "a=from-file\nb=from-file\n");
      String yaml =
          "services:\n  web:\n    image: busybox\n    label_file: ./web.labels\n    labels: {b: own}\n";
      assertThat(project(yaml).service().labels())
          .containsEntry("a", "from-file")
          .containsEntry("b", "own");
      Map<String, Object> web = service(model(yaml), "web");
      assertThat(map(web.get("labels"))).containsEntry("a", "from-file").containsEntry("b", "own");
      assertThat(web.get("label_file")).isEqualTo(List.of(dir.resolve("web.labels").toString()));
    }
  }

  @Nested
  @DisplayName("error messages")
  class Messages {
    @Test
    @DisplayName("a block scalar is not dumped whole into a message")
    void blockScalar() {
      String problem =
          project(
                  "services:\n  web:\n    image: busybox\n    deploy:\n      replicas: |\n"
                      + "        line one\n        line two\n        line three\n")
              .problem();
      assertThat(problem).doesNotContain("line two").doesNotContain("\n");
    }

    @Test
    @DisplayName("an unclosed quote is reported at the line it opens")
    void unclosedQuote() {
      assertThat(
              project(
                      "services:\n  web:\n    image: \"busybox\n    command: [a]\n"
                          + "    user: root\n    hostname: h\n")
                  .problem())
          .startsWith("compose.yml:3:12: ");
    }

    @Test
    @DisplayName("an -f that is a directory says so")
    void directory() throws IOException {
      Path sub = Files.createDirectories(dir.resolve("sub.yml"));
      assertThat(TestProject.in(dir).file(sub).problem())
          .isEqualTo("sub.yml:0:0: : file cannot be read: it is a directory");
    }

    @Test
    @DisplayName("no follow-on problem after a failed substitution")
    void noFollowOn() {
      assertThat(
              project(
                      "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n"
                          + "    deploy:\n      replicas: ${R:?set R}\n")
                  .describedProblems())
          .containsExactly(
              "compose.yml:3:12: services.web.image: required variable IMAGE is missing a value:"
                  + " set IMAGE",
              "compose.yml:5:17: services.web.deploy.replicas: required variable R is missing a"
                  + " value: set R");
    }

    @Test
    @DisplayName("a dependency on an undefined service never suggests the service itself")
    void noSelfSuggestion() {
      assertThat(
              project("services:\n  web:\n    image: busybox\n    depends_on: [wbe]\n").problem())
          .isEqualTo(
              "compose.yml:4:18: services.web.depends_on[0]: service \"web\" depends on undefined"
                  + " service \"wbe\"");
    }
  }
}
