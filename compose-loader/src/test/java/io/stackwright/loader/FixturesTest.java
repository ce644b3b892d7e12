package io.stackwright.loader;

import static io.stackwright.loader.TestProject.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.DependsOn;
import io.stackwright.api.FileReference;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.LoggingSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.Placement;
import io.stackwright.api.PortSpec;
import io.stackwright.api.PortSpec.PublishMode;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.Ulimit;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.VolumeSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream fixtures in shared/peer-data/compose-fixtures (read in place, never copied), with
 * the expectations the reference implementations state for them, where they fall within this
 * loader's scope.
 */
class FixturesTest {

  @Nested
  @DisplayName("docker/cli full-example.yml")
  class FullExample {

    @Test
    @DisplayName("reports every problem of the file at once, in file order")
    void reportsEveryProblemAtOnce() {
      List<String> problems =
          TestProject.in(Path.of("unused"))
              .file(resource("docker-cli/full-example.yml"))
              .env("HOME", "/home/foo")
              .env("QUX", "qux_from_environment")
              .describedProblems();

      assertThat(problems)
          .containsExactly(
              "full-example.yml:46:9: services.foo.depends_on[0]: service \"foo\" depends on undefined service \"db\"",
              "full-example.yml:47:9: services.foo.depends_on[1]: service \"foo\" depends on undefined service \"redis\"",
              "full-example.yml:185:8: services.foo.links[0]: service \"foo\" depends on undefined service \"db\"",
              "full-example.yml:186:8: services.foo.links[1]: service \"foo\" depends on undefined service \"db\"",
              "full-example.yml:187:8: services.foo.links[2]: service \"foo\" depends on undefined service \"redis\"",
              "full-example.yml:205:5: services.foo.networks: service foo declares mutually exclusive `network_mode` and `networks`",
              "full-example.yml:216:7: services.foo.networks.other-other-network: service \"foo\" refers to undefined network \"other-other-network\"",
              "full-example.yml:285:9: services.foo.volumes[5]: service \"foo\" refers to undefined volume \"datavolume\"",
              "full-example.yml:421:11: configs.config1.file: config file "
                  + resource("docker-cli").resolve("config_data")
                  + " not found",
              "full-example.yml:429:3: configs.config4: config config4 needs file, environment or content unless it is external",
              "full-example.yml:436:11: secrets.secret1.file: secret file "
                  + resource("docker-cli").resolve("secret_data")
                  + " not found",
              "full-example.yml:444:3: secrets.secret4: secret secret4 needs file or environment unless it is external");
    }

    /**
     * The file again, with an override that supplies what this model needs (the services it depends
     * on, the undeclared network and volume, secret and config content) and replaces the cluster
     * volume by target, as a second Compose file would.
     */
    private StackSpec loadCompleted(Path dir) throws IOException {
      for (String name : List.of("full-example.yml", "example1.env", "example2.env")) {
        Files.copy(resource("docker-cli/" + name), dir.resolve(name));
      }
      Files.writeString(dir.resolve("secret_data"), "the secret", StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("config_data"), "the config", StandardCharsets.UTF_8);
      return TestProject.in(dir)
          .file(dir.resolve("full-example.yml"))
          .file(
              "override.yml",
              """
              services:
                foo:
                  network_mode: !reset
                  volumes:
                    - type: volume
                      source: cluster-volume
                      target: /srv
                db:
                  image: postgres
                redis:
                  image: redis
              networks:
                other-other-network:
              volumes:
                datavolume:
              configs:
                config4:
                  content: four
              secrets:
                secret4:
                  environment: QUX
              """)
          .env("HOME", "/home/foo")
          .env("QUX", "qux_from_environment")
          .projectName(null)
          .load();
    }

    @Test
    @DisplayName("maps every key the model covers like the reference does (golden file)")
    void mapsLikeTheGolden(@TempDir Path dir) throws IOException {
      StackSpec stack = loadCompleted(dir);
      ServiceSpec foo = stack.service("foo");

      assertThat(stack.name()).isEqualTo(dir.getFileName().toString().toLowerCase());
      assertThat(foo.image()).isEqualTo("redis");
      assertThat(foo.command()).containsExactly("bundle", "exec", "thin", "-p", "3000");
      assertThat(foo.entrypoint()).containsExactly("/code/entrypoint.sh", "-p", "3000");
      assertThat(foo.capAdd()).containsExactly("ALL");
      assertThat(foo.capDrop()).containsExactly("NET_ADMIN", "SYS_ADMIN");
      assertThat(foo.configs())
          .containsExactly(
              FileReference.of("config1"),
              new FileReference("config2", "/my_config", "103", "103", 0440));
      assertThat(foo.secrets())
          .containsExactly(
              FileReference.of("secret1"),
              new FileReference("secret2", "my_secret", "103", "103", 0440));
      assertThat(foo.dependsOn())
          .containsExactly(
              Map.entry("db", DependsOn.started()), Map.entry("redis", DependsOn.started()));

      assertThat(foo.mode()).isEqualTo(ServiceSpec.Mode.REPLICATED);
      assertThat(foo.replicas()).isEqualTo(6);
      assertThat(foo.deployLabels()).containsExactly(Map.entry("FOO", "BAR"));
      UpdatePolicy policy =
          new UpdatePolicy(
              3,
              Duration.ofSeconds(10),
              UpdatePolicy.FailureAction.CONTINUE,
              Duration.ofSeconds(60),
              0.3,
              UpdatePolicy.Order.START_FIRST);
      assertThat(foo.updatePolicy()).isEqualTo(policy);
      assertThat(foo.rollbackPolicy()).isEqualTo(policy);
      // golden: cpus "0.001", memory 52428800, pids 100; reservations "0.0001", 20971520
      assertThat(foo.resources().limits())
          .isEqualTo(new ResourceLimits(1_000_000, 52_428_800, 100));
      assertThat(foo.resources().reservations())
          .isEqualTo(new ResourceLimits(100_000, 20_971_520, 0));
      assertThat(foo.restartPolicy())
          .isEqualTo(
              new RestartPolicy(
                  RestartPolicy.Condition.ON_FAILURE,
                  Duration.ofSeconds(5),
                  3,
                  Duration.ofMinutes(2)));
      assertThat(foo.placement())
          .isEqualTo(new Placement(List.of("node=foo"), List.of("node.labels.az"), 5));
      assertThat(foo.endpointMode()).isEqualTo(ServiceSpec.EndpointMode.DNSRR);

      // golden: env_file values, overridden by environment, QUX from the environment
      assertThat(foo.environment())
          .containsExactly(
              Map.entry("BAR", "bar_from_env_file_2"),
              Map.entry("BAZ", "baz_from_service_def"),
              Map.entry("FOO", "foo_from_env_file"),
              Map.entry("QUX", "qux_from_environment"));
      assertThat(foo.extraHosts())
          .containsExactly(
              "somehost:162.242.195.82",
              "otherhost:50.31.209.229",
              "host.docker.internal:host-gateway");
      assertThat(foo.hostname()).isEqualTo("foo");
      assertThat(foo.healthcheck())
          .isEqualTo(
              new HealthcheckSpec(
                  List.of("CMD-SHELL", "echo \"hello world\""),
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(15),
                  Duration.ofSeconds(1),
                  5));
      assertThat(foo.labels())
          .containsExactly(
              Map.entry("com.example.description", "Accounting webapp"),
              Map.entry("com.example.empty-label", ""),
              Map.entry("com.example.number", "42"));
      assertThat(foo.logging())
          .isEqualTo(new LoggingSpec("syslog", Map.of("syslog-address", "tcp://192.168.0.42:123")));
      assertThat(foo.networks())
          .containsExactly(
              new ServiceNetwork("some-network", List.of("alias1", "alias3"), null),
              new ServiceNetwork("other-network", List.of(), "172.16.238.10"),
              ServiceNetwork.of("other-other-network"));
      assertThat(foo.readOnly()).isTrue();
      assertThat(foo.securityOpt())
          .containsExactly("label=level:s0:c100,c200", "label=type:svirt_apache_t");
      assertThat(foo.stopGracePeriod()).isEqualTo(Duration.ofSeconds(20));
      assertThat(foo.stopSignal()).isEqualTo("SIGUSR1");
      assertThat(foo.sysctls())
          .containsExactly(
              Map.entry("net.core.somaxconn", "1024"), Map.entry("net.ipv4.tcp_syncookies", "0"));
      assertThat(foo.ulimits())
          .containsExactly(
              Map.entry("nofile", new Ulimit(20000, 40000)), Map.entry("nproc", Ulimit.of(65535)));
      assertThat(foo.user()).isEqualTo("someone");
      assertThat(foo.workingDir()).isEqualTo("/code");
      assertThat(foo.extensions())
          .containsExactly(Map.entry("x-bar", "baz"), Map.entry("x-foo", "bar"));
      assertThat(stack.extensions())
          .containsExactly(
              Map.entry("x-bar", "baz"),
              Map.entry("x-foo", "bar"),
              Map.entry("x-nested", Map.of("bar", "baz", "foo", "bar")));
    }

    @Test
    @DisplayName("expands the port ranges and keeps host addresses")
    void ports(@TempDir Path dir) throws IOException {
      List<PortSpec> ports = loadCompleted(dir).service("foo").ports();

      assertThat(ports).hasSize(1 + 5 + 1 + 2 + 1 + 1 + 11);
      assertThat(ports.get(0)).isEqualTo(PortSpec.of(3000));
      assertThat(ports.subList(1, 6))
          .extracting(PortSpec::target, PortSpec::published)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(3001, null),
              org.assertj.core.groups.Tuple.tuple(3002, null),
              org.assertj.core.groups.Tuple.tuple(3003, null),
              org.assertj.core.groups.Tuple.tuple(3004, null),
              org.assertj.core.groups.Tuple.tuple(3005, null));
      assertThat(ports.get(7))
          .isEqualTo(new PortSpec(8080, 9090, "tcp", PublishMode.INGRESS, null));
      assertThat(ports.get(8))
          .isEqualTo(new PortSpec(8081, 9091, "tcp", PublishMode.INGRESS, null));
      assertThat(ports.get(10))
          .isEqualTo(new PortSpec(8001, 8001, "tcp", PublishMode.INGRESS, "127.0.0.1"));
      assertThat(ports.get(21))
          .isEqualTo(new PortSpec(5010, 5010, "tcp", PublishMode.INGRESS, "127.0.0.1"));
    }

    @Test
    @DisplayName("resolves volumes against the working directory and HOME")
    void mounts(@TempDir Path dir) throws IOException {
      List<MountSpec> mounts = loadCompleted(dir).service("foo").mounts();

      assertThat(mounts)
          .containsExactly(
              MountSpec.volume(null, "/var/lib/mysql"),
              MountSpec.bind("/opt/data", "/var/lib/mysql", false),
              MountSpec.bind(dir.toString(), "/code", false),
              MountSpec.bind(dir.resolve("static").toString(), "/var/www/html", false),
              MountSpec.bind("/home/foo/configs", "/etc/configs", true), // trailing '/' dropped
              MountSpec.volume("datavolume", "/var/lib/mysql"),
              MountSpec.bind(dir.resolve("opt").toString(), "/opt", false),
              new MountSpec(MountSpec.Type.TMPFS, null, "/opt", false, false, null, 10000L),
              MountSpec.volume("cluster-volume", "/srv"),
              MountSpec.tmpfs("/run"),
              MountSpec.tmpfs("/tmp"));
    }

    @Test
    @DisplayName("maps the top-level networks, volumes, secrets and configs")
    void resources(@TempDir Path dir) throws IOException {
      StackSpec stack = loadCompleted(dir);

      assertThat(stack.networks().get("other-network"))
          .isEqualTo(
              new NetworkSpec(
                  "other-network",
                  null,
                  "overlay",
                  Map.of("foo", "bar", "baz", "1"),
                  false,
                  false,
                  false,
                  List.of("172.16.238.0/24", "2001:3984:3989::/64"),
                  Map.of("foo", "bar")));
      assertThat(stack.networks().get("external-network"))
          .isEqualTo(NetworkSpec.external("external-network", null));
      assertThat(stack.networks().get("other-external-network"))
          .isEqualTo(NetworkSpec.external("other-external-network", "my-cool-network"));
      assertThat(stack.volumes().get("another-volume"))
          .isEqualTo(
              new VolumeSpec(
                  "another-volume",
                  "user_specified_name",
                  "vsphere",
                  Map.of("foo", "bar", "baz", "1"),
                  false,
                  Map.of()));
      assertThat(stack.volumes().get("external-volume3"))
          .isEqualTo(
              new VolumeSpec(
                  "external-volume3", "this-is-volume3", null, Map.of(), true, Map.of()));
      assertThat(stack.volumes().get("other-external-volume").name()).isEqualTo("my-cool-volume");
      SecretSpec secret1 = stack.secrets().get("secret1");
      assertThat(secret1.content().bytes()).asString().isEqualTo("the secret");
      assertThat(secret1.content().sensitive()).isTrue();
      assertThat(secret1.labels()).containsExactly(Map.entry("foo", "bar"));
      assertThat(stack.secrets().get("secret2"))
          .isEqualTo(SecretSpec.external("secret2", "my_secret"));
      assertThat(stack.secrets().get("secret4").name()).isEqualTo("bar");
      ConfigSpec config1 = stack.configs().get("config1");
      assertThat(config1.content().bytes()).asString().isEqualTo("the config");
      assertThat(config1.content().sensitive()).isFalse();
      assertThat(stack.configs().get("config3").external()).isTrue();
    }
  }

  @Nested
  @DisplayName("compose-go")
  class ComposeGo {

    @Test
    @DisplayName("TestLoadWithEnvironmentInterpolation: $VAR, ${VAR}, unset, ${VAR-default}")
    void environmentInterpolation() {
      var project =
          TestProject.in(Path.of("unused"))
              .file(resource("compose-go/loader/inline-TestLoadWithEnvironmentInterpolation.yaml"))
              .env("HOME", "/home/foo")
              .env("FOO", "foo")
              .projectName(null);
      StackSpec stack = project.load();

      assertThat(stack.name()).isEqualTo("load-with-environment-interpolation");
      assertThat(stack.service("test").labels())
          .containsExactly(
              Map.entry("default", "default"),
              Map.entry("home1", "/home/foo"),
              Map.entry("home2", "/home/foo"),
              Map.entry("nonexistent", ""));
      assertThat(stack.networks().get("test").driver()).isEqualTo("/home/foo");
      assertThat(stack.volumes().get("test").driver()).isEqualTo("/home/foo");
      assertThat(project.warnings())
          .singleElement()
          .asString()
          .endsWith(
              "inline-TestLoadWithEnvironmentInterpolation.yaml:10:9: services.test.labels[2]: the \"NONEXISTENT\" variable is not set. Defaulting to a blank string.");
    }

    @Test
    @DisplayName("TestLoadExpandedPortFormat: 10 ports, ranges expanded, mode host kept")
    void expandedPortFormat() {
      List<PortSpec> ports =
          TestProject.in(Path.of("unused"))
              .file(resource("compose-go/loader/inline-TestLoadExpandedPortFormat.yaml"))
              .service()
              .ports();

      assertThat(ports)
          .containsExactly(
              new PortSpec(8080, 80, "tcp", PublishMode.INGRESS, null),
              new PortSpec(8081, 81, "tcp", PublishMode.INGRESS, null),
              new PortSpec(8082, 82, "tcp", PublishMode.INGRESS, null),
              new PortSpec(8090, 90, "udp", PublishMode.INGRESS, null),
              new PortSpec(8091, 91, "udp", PublishMode.INGRESS, null),
              new PortSpec(8092, 92, "udp", PublishMode.INGRESS, null),
              new PortSpec(8500, 85, "tcp", PublishMode.INGRESS, null),
              new PortSpec(8600, null, "tcp", PublishMode.INGRESS, null),
              new PortSpec(53, 10053, "udp", PublishMode.INGRESS, null),
              new PortSpec(22, 10022, "tcp", PublishMode.HOST, null));
    }

    @Test
    @DisplayName("compose-depends-on-cycle.yaml: the cycle, named like compose-go")
    void dependsOnCycle() {
      assertThat(
              TestProject.in(Path.of("unused"))
                  .file(resource("compose-go/loader/compose-depends-on-cycle.yaml"))
                  .problem())
          .isEqualTo(
              "compose-depends-on-cycle.yaml:6:9: services.service1.depends_on[0]: dependency cycle detected: service1 -> service2 -> service3 -> service1");
    }

    @Test
    @DisplayName("compose-depends-on-self.yaml: a service depending on itself")
    void dependsOnSelf() {
      assertThat(
              TestProject.in(Path.of("unused"))
                  .file(resource("compose-go/loader/compose-depends-on-self.yaml"))
                  .problem())
          .isEqualTo(
              "compose-depends-on-self.yaml:6:9: services.service1.depends_on[0]: dependency cycle detected: service1 -> service1");
    }

    @Test
    @DisplayName("empty.yaml: empty compose file")
    void emptyFile() {
      assertThat(
              TestProject.in(Path.of("unused"))
                  .file(resource("compose-go/loader/empty.yaml"))
                  .problem())
          .isEqualTo("empty.yaml:0:0: : empty compose file");
    }

    @Test
    @DisplayName("TestNonMappingObject: services.foo must be a mapping")
    void nonMappingService() {
      assertThat(
              TestProject.in(Path.of("unused"))
                  .file(resource("compose-go/loader/inline-TestNonMappingObject-2.yaml"))
                  .problem())
          .isEqualTo(
              "inline-TestNonMappingObject-2.yaml:4:8: services.foo: must be a mapping (found a string 'busybox')");
    }

    @Test
    @DisplayName("TestLoadTmpfsVolumeSizeMustBeGTEQZero")
    void negativeTmpfsSize() {
      assertThat(
              TestProject.in(Path.of("unused"))
                  .file(
                      resource(
                          "compose-go/loader/inline-TestLoadTmpfsVolumeSizeMustBeGTEQZero.yaml"))
                  .problem())
          .isEqualTo(
              "inline-TestLoadTmpfsVolumeSizeMustBeGTEQZero.yaml:10:17: services.tmpfs.volumes[0].tmpfs.size: must be greater than or equal to 0 (found a number -1)");
    }

    @Test
    @DisplayName("TestInvalidExternalAndDriverCombination")
    void externalWithDriver() {
      assertThat(
              TestProject.in(Path.of("unused"))
                  .file(
                      resource(
                          "compose-go/loader/inline-TestInvalidExternalAndDriverCombination.yaml"))
                  .problem())
          .isEqualTo(
              "inline-TestInvalidExternalAndDriverCombination.yaml:6:5: volumes.external_volume: conflicting parameters \"external\" and \"driver\" specified");
    }

    @Test
    @DisplayName("TestLoadMulmtiDocumentYaml: documents merge in order")
    void multiDocument() {
      assertThat(
              TestProject.in(Path.of("unused"))
                  .file(resource("compose-go/loader/inline-TestLoadMulmtiDocumentYaml.yaml"))
                  .service()
                  .image())
          .isEqualTo("nginx:override");
    }

    @Test
    @DisplayName("cli/testdata/simple: name from the directory, overrides, .env")
    void simple() {
      Path simple = resource("compose-go/simple");
      var base = TestProject.in(simple).projectName(null).file(simple.resolve("compose.yaml"));
      assertThat(base.load().name()).isEqualTo("simple");

      StackSpec overridden =
          TestProject.in(simple)
              .projectName(null)
              .file(simple.resolve("compose.yaml"))
              .file(simple.resolve("compose-with-overrides.yaml"))
              .load();
      assertThat(overridden.service("simple").image()).isEqualTo("haproxy");

      StackSpec withVariables =
          TestProject.in(simple).file(simple.resolve("compose-with-variables.yaml")).load();
      assertThat(withVariables.service("simple").ports())
          .containsExactly(new PortSpec(80, 8000, "tcp", PublishMode.INGRESS, null));

      StackSpec named =
          TestProject.in(simple)
              .projectName(null)
              .env("TEST", "expected")
              .file(simple.resolve("compose-name.yaml"))
              .load();
      assertThat(named.name()).isEqualTo("test-expected-test");
    }
  }

  @Nested
  @DisplayName("docker/compose e2e")
  class DockerCompose {

    @Test
    @DisplayName("TestEnvInterpolation: .env values use variables, and the shell wins")
    void envInterpolation() {
      Path file = resource("docker-compose/TestEnvInterpolation/compose.yaml");

      assertThat(
              TestProject.in(file.getParent())
                  .file(file)
                  .env("WHEREAMI", "shell")
                  .service()
                  .environment())
          .containsEntry("IMAGE", "default_env:shell");
      assertThat(TestProject.in(file.getParent()).file(file).service().environment())
          .containsEntry("IMAGE", "default_env:EnvFile");
    }

    @Test
    @DisplayName("TestConfigFromEnv: file, environment and interpolated content configs")
    void configFromEnv() throws IOException {
      Path file = resource("docker-compose/TestConfigFromEnv/compose.yaml");
      StackSpec stack = TestProject.in(file.getParent()).file(file).env("CONFIG", "config").load();

      assertThat(stack.configs().get("from_env").content().bytes()).asString().isEqualTo("config");
      assertThat(stack.configs().get("from_file").content().bytes())
          .isEqualTo(Files.readAllBytes(file.resolveSibling("config.txt")))
          .asString()
          .startsWith("This is my config file\n");
      assertThat(stack.configs().get("inlined").content().bytes())
          .asString()
          .isEqualTo("This is my config");
      assertThat(stack.service("target").configs())
          .containsExactly(new FileReference("inlined", "/target", null, null, null));
      assertThat(stack.service("from_env").command()).containsExactly("cat", "/from_env");
    }
  }
}
