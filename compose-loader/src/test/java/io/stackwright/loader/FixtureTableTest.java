package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.PortSpec.PublishMode;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.Ulimit;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.loader.internal.ProjectLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML fixture of {@code shared/peer-data/compose-fixtures}, read in place (never copied),
 * with the result its README states for the reference implementation: OK (loads) or ERR (fails,
 * with the reference's message where the README quotes one). The table mirrors the README, row by
 * row; the few places where this loader knowingly differs are rows with {@link Outcome#DIVERGES},
 * which state what happens here and why.
 *
 * <p>Messages are compared after writing list indexes as the reference does ({@code volumes.0} for
 * {@code volumes[0]}) and joining path and message with a space, so that the reference's {@code
 * services.foo must be a mapping} matches {@code services.foo: must be a mapping (found a string
 * 'busybox')}.
 */
class FixtureTableTest {
  private static Path scratch;

  @BeforeAll
  static void scratch() throws IOException {
    scratch = Files.createTempDirectory("fixtures");
    // the files the reference's tests have but the fixtures do not: secret and config content
    Files.writeString(scratch.resolve("secret_data"), "a secret", StandardCharsets.UTF_8);
    Files.writeString(scratch.resolve("config_data"), "a config", StandardCharsets.UTF_8);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    try (Stream<Path> files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  enum Outcome {
    OK,
    ERR,
    /** The reference's result is not this loader's; the row says why. */
    DIVERGES
  }

  /** One row: a fixture, how to load it, and what must come out. */
  static final class Row {
    final String name;
    final List<String> files = new ArrayList<>();
    Outcome outcome = Outcome.OK;
    String message;
    String why;
    final Map<String, String> env = new HashMap<>();
    final Set<String> profiles = new LinkedHashSet<>();
    final Set<String> services = new LinkedHashSet<>();
    final List<String> envFiles = new ArrayList<>();
    final List<String> overrides = new ArrayList<>();
    String projectName = "fixture";
    String workingDir;
    boolean scratchDir;
    Consumer<ProjectLoader.Result> check = r -> {};

    Row(String name, String file) {
      this.name = name;
      files.add(file);
    }

    Row file(String file) {
      files.add(file);
      return this;
    }

    Row err(String message) {
      outcome = Outcome.ERR;
      this.message = message;
      return this;
    }

    Row diverges(String why, String message) {
      outcome = Outcome.DIVERGES;
      this.why = why;
      this.message = message;
      return this;
    }

    Row env(String key, String value) {
      env.put(key, value);
      return this;
    }

    Row profile(String profile) {
      profiles.add(profile);
      return this;
    }

    Row only(String service) {
      services.add(service);
      return this;
    }

    Row envFile(String file) {
      envFiles.add(file);
      return this;
    }

    /**
     * A second Compose file (YAML text) merged over the fixture, for what the reference skipped.
     */
    Row override(String yaml) {
      overrides.add(yaml);
      return this;
    }

    Row name(String projectName) {
      this.projectName = projectName;
      return this;
    }

    Row in(String workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    /** Working directory: a scratch directory holding secret_data and config_data. */
    Row withSecretFiles() {
      scratchDir = true;
      return this;
    }

    Row check(Consumer<ProjectLoader.Result> check) {
      this.check = check;
      return this;
    }

    @Override
    public String toString() {
      return name + " (" + outcome + ")";
    }
  }

  private static Row row(String file) {
    return new Row(file, file);
  }

  private static Row row(String name, String file) {
    return new Row(name, file);
  }

  private static final String GO = "compose-go/loader/";
  private static final String GO_DATA = "compose-go/loader/testdata/";
  private static final String GO_CLI = "compose-go/cli/testdata/";
  private static final String GO_TESTS = "compose-go/loader/tests/";
  private static final String E2E = "docker-compose/pkg/e2e/";
  private static final String CLI = "docker-cli/cli/compose/loader/";

  static Stream<Row> rows() {
    return Stream.of(
        // ---------------------------------------------------------------- compose-go files
        row(GO_DATA + "compose-test-extends.yaml")
            .name(null)
            .check(
                r -> {
                  ServiceSpec importer = r.stack().service("importer");
                  assertThat(importer.image()).isEqualTo("nginx");
                  assertThat(importer.environment()).containsEntry("SOURCE", "extends");
                  assertThat(importer.mounts())
                      .containsExactly(MountSpec.bind("/opt/data", "/var/lib/mysql", false));
                  assertThat(service(r, "importer")).containsEntry("container_name", "imported");
                  assertThat(r.stack().name()).isEqualTo("compose-test-extends");
                }),
        row(GO_DATA + "compose-test-with-version.yaml")
            .check(
                r -> {
                  ServiceSpec web = r.stack().service("web");
                  assertThat(web.networks())
                      .extracting(ServiceNetwork::network)
                      .containsExactly("front", "default");
                  assertThat(service(r, "web").get("volumes_from")).isEqualTo(List.of("other"));
                  assertThat(map(service(r, "web").get("build")).get("context"))
                      .isEqualTo(fixture(GO_DATA + "Dockerfile").toString());
                  assertThat(r.stack().service("other").mounts())
                      .containsExactly(MountSpec.volume(null, "/data"));
                  assertThat(r.stack().volumes().get("data").driver()).isEqualTo("local");
                }),
        row(GO_DATA + "compose-depends-on-cycle.yaml")
            .err("dependency cycle detected: service1 -> service2 -> service3 -> service1"),
        row(GO_DATA + "compose-depends-on-self.yaml")
            .err("dependency cycle detected: service1 -> service1"),
        row(GO_DATA + "compose-include-cycle.yaml").err("include cycle detected"),
        row(GO_DATA + "empty.yaml").err("empty compose file"),
        row("empty.yaml as an override", GO + "inline-TestLoadExtends.yaml")
            .file(GO_DATA + "empty.yaml"),
        row(GO_DATA + "combined/compose.yaml")
            .name("test-load-combined")
            .check(
                r -> {
                  assertThat(map(service(r, "service").get("build")).get("context"))
                      .isEqualTo(fixture(GO_DATA + "combined/dir").toString());
                  assertThat(r.stack().name()).isEqualTo("test-load-combined");
                }),
        row(GO_DATA + "include/compose.yaml")
            .check(
                r -> {
                  String dir = fixture(GO_DATA + "include").toString();
                  assertThat(map(service(r, "included").get("build")).get("context"))
                      .isEqualTo(dir);
                  assertThat(r.stack().service("included").mounts())
                      .containsExactly(MountSpec.bind(dir, "/mnt", false));
                }),
        row(GO_DATA + "include/project-directory.yaml")
            .check(
                r -> {
                  String subdir = fixture(GO_DATA + "subdir").toString();
                  assertThat(map(service(r, "service").get("build")).get("context"))
                      .isEqualTo(subdir);
                  assertThat(r.stack().service("service").mounts())
                      .containsExactly(
                          MountSpec.bind(
                              subdir + "/compose-test-extends-imported.yaml",
                              "/mnt/bind/compose.yaml",
                              false));
                  assertThat(r.stack().service("service").environment())
                      .containsEntry("SOURCE", "extends");
                }),
        row(GO_DATA + "compose-include.yaml")
            .env("SOURCE", "override")
            .check(
                r ->
                    assertThat(service(r, "imported")).containsEntry("container_name", "override")),
        row("TestLoadWithMultipleInclude", GO_DATA + "compose-include.yaml")
            .env("SOURCE", "override")
            // the same file included again, directly: not an error
            .override(
                "include:\n  - path: "
                    + fixture(GO_DATA + "subdir/compose-test-extends-imported.yaml")
                    + "\n")
            .check(
                r -> {
                  assertThat(service(r, "imported")).containsEntry("container_name", "override");
                  assertThat(r.stack().services()).containsOnlyKeys("bar", "imported");
                }),
        // ---------------------------------------------------------------- compose-go cli
        row(GO_CLI + "simple/compose.yaml")
            .name(null)
            .check(r -> assertThat(r.stack().name()).isEqualTo("simple")),
        row("simple/compose.yaml named my_project", GO_CLI + "simple/compose.yaml")
            .name("my_project"),
        row("simple/compose.yaml named 42my_project_num", GO_CLI + "simple/compose.yaml")
            .name("42my_project_num"),
        row("simple/compose.yaml named -my_project", GO_CLI + "simple/compose.yaml")
            .name("-my_project")
            .err("invalid project name \"-my_project\""),
        row("simple/compose.yaml named _my_project", GO_CLI + "simple/compose.yaml")
            .name("_my_project")
            .err("invalid project name \"_my_project\""),
        row("simple/compose.yaml named www.my.project", GO_CLI + "simple/compose.yaml")
            .name("www.my.project")
            .err("invalid project name \"www.my.project\""),
        row("simple/compose.yaml named MY_PROJECT", GO_CLI + "simple/compose.yaml")
            .name("MY_PROJECT")
            .err("invalid project name \"MY_PROJECT\""),
        row("simple/compose.yaml, COMPOSE_PROJECT_NAME=MY_PROJECT", GO_CLI + "simple/compose.yaml")
            .name(null)
            .env("COMPOSE_PROJECT_NAME", "MY_PROJECT")
            .err("invalid project name \"MY_PROJECT\""),
        row("simple/compose.yaml in /", GO_CLI + "simple/compose.yaml")
            .name(null)
            .in("/")
            .err("project name must not be empty"),
        row("simple/compose.yaml in 'UNNORMALIZED PATH'", GO_CLI + "simple/compose.yaml")
            .name(null)
            .in("UNNORMALIZED PATH")
            .check(r -> assertThat(r.stack().name()).isEqualTo("unnormalizedpath")),
        row(GO_CLI + "simple/compose-name.yaml")
            .name(null)
            .env("TEST", "expected")
            .check(r -> assertThat(r.stack().name()).isEqualTo("test-expected-test")),
        row(GO_CLI + "simple/compose-with-overrides.yaml", GO_CLI + "simple/compose.yaml")
            .file(GO_CLI + "simple/compose-with-overrides.yaml")
            .check(r -> assertThat(r.stack().service("simple").image()).isEqualTo("haproxy")),
        row(GO_CLI + "simple/compose-with-variables.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("simple").ports())
                        .extracting(PortSpec::published)
                        .containsExactly(8000)),
        row(GO_CLI + "env-file/compose-with-env-file.yaml")
            .name(null)
            .check(
                r -> {
                  ServiceSpec s = r.stack().services().values().iterator().next();
                  assertThat(s.environment()).containsEntry("DEFAULT_PORT", "8080");
                  assertThat(s.ports()).extracting(PortSpec::published).containsExactly(8000);
                  // the .env beside the file sets COMPOSE_PROJECT_NAME
                  assertThat(r.stack().name()).isEqualTo("my_project_from_dot_env");
                }),
        row(GO_CLI + "env-file/compose-with-env-files.yaml")
            .envFile(GO_CLI + "env-file/.env")
            .envFile(GO_CLI + "env-file/override.env")
            .check(
                r -> {
                  ServiceSpec s = r.stack().services().values().iterator().next();
                  assertThat(s.environment()).containsEntry("DEFAULT_PORT", "9090");
                  assertThat(s.ports()).extracting(PortSpec::published).containsExactly(9000);
                }),
        // ---------------------------------------------------------------- compose-go inline
        row(GO + "inline-TestLoadExtends.yaml")
            .check(
                r -> {
                  assertThat(r.stack().service("foo").image()).isEqualTo("busybox");
                  assertThat(r.stack().service("foo").command()).containsExactly("echo");
                }),
        row(GO + "inline-TestLoadExtendsWihReset.yaml")
            .check(r -> assertThat(r.stack().service("foo").mounts()).isEmpty()),
        row(GO + "inline-TestLoadExtendsDependsOn.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("service_b").dependsOn())
                        .containsExactly(Map.entry("service_a", DependsOn.started()))),
        row(GO + "inline-TestExtends.yaml")
            .check(
                r -> {
                  assertThat(r.stack().service("test1").hostname()).isEqualTo("test1");
                  assertThat(r.stack().service("test2").hostname()).isEqualTo("test2");
                  assertThat(r.stack().service("test3").hostname()).isEqualTo("test3");
                  assertThat(r.stack().service("test3").image()).isEqualTo("base");
                }),
        row(GO + "inline-TestExtendsUlimits.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("test").ulimits())
                        .containsEntry("nproc", Ulimit.of(65535))),
        row(GO + "inline-TestExtendsWihtMissingService.yaml")
            .err("extends.test.service is required"),
        row(GO + "inline-TestExtendsWithServiceRef-depends_on.yaml")
            .err("service \"bar\" depends on undefined service \"zot\""),
        row(
                "inline-TestExtendsWithServiceRef-depends_on.yaml + zot",
                GO + "inline-TestExtendsWithServiceRef-depends_on.yaml")
            .override("services:\n  zot:\n    image: zot\n"),
        row(GO + "inline-TestExtendsReset.yaml")
            .check(r -> assertThat(r.stack().service("test").command()).isNull()),
        row(GO + "inline-TestExtendsWithInterpolation.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("test").mounts())
                        .containsExactly(MountSpec.bind("/dev/null", "/tmp/foo", true))),
        row(GO + "inline-TestIncludeWithExtends.yaml")
            .check(r -> assertThat(service(r, "with-build")).containsKey("build")),
        row(GO + "inline-TestLoadWithInclude.yaml")
            .check(
                r -> {
                  assertThat(service(r, "imported")).containsEntry("container_name", "extends");
                  assertThat(r.stack().service("foo").dependsOn())
                      .containsExactly(Map.entry("imported", DependsOn.started()));
                }),
        row(
                "inline-TestLoadWithInclude.yaml, SOURCE=override",
                GO + "inline-TestLoadWithInclude.yaml")
            .env("SOURCE", "override")
            .check(
                r ->
                    assertThat(service(r, "imported")).containsEntry("container_name", "override")),
        row(GO + "inline-TestLoadMulmtiDocumentYaml.yaml")
            .check(r -> assertThat(r.stack().service("test").image()).isEqualTo("nginx:override")),
        row(GO + "inline-TestNonMappingObject-2.yaml").err("services.foo must be a mapping"),
        row(GO + "inline-TestInvalidResource.yaml")
            .err("additional properties 'impossible' not allowed"),
        row(GO + "inline-TestInvalidExternalAndDriverCombination.yaml")
            .err(
                "volumes.external_volume: conflicting parameters \"external\" and \"driver\" specified"),
        row(GO + "inline-TestLoadTmpfsVolumeSizeMustBeGTEQZero.yaml")
            .err("services.tmpfs.volumes.0.tmpfs.size must be greater than or equal to 0"),
        row(GO + "inline-TestBadServiceConfig.yaml")
            .err("service redis declares mutually exclusive `network_mode` and `networks`"),
        row(GO + "inline-TestLoadWithEnvironmentInterpolation.yaml")
            .env("HOME", "/home/foo")
            .env("FOO", "foo")
            .check(
                r -> {
                  assertThat(r.stack().service("test").labels())
                      .containsExactly(
                          Map.entry("default", "default"),
                          Map.entry("home1", "/home/foo"),
                          Map.entry("home2", "/home/foo"),
                          Map.entry("nonexistent", ""));
                  assertThat(r.stack().networks().get("test").driver()).isEqualTo("/home/foo");
                  assertThat(r.stack().volumes().get("test").driver()).isEqualTo("/home/foo");
                  assertThat(r.warnings())
                      .anyMatch(w -> w.contains("\"NONEXISTENT\" variable is not set"));
                }),
        row(GO + "inline-TestLoadWithInterpolationCastFull.yaml")
            .env("theint", "555")
            // 0.5 where the reference uses 3.14: the model (like Swarm) bounds the ratio to 0-1
            .env("thefloat", "0.5")
            .env("thebool", "true")
            .env("theduration", "60s")
            .env("thesize", "2gb")
            // the reference test skips the consistency check; web has no image
            .override("services:\n  web:\n    image: web\n")
            .check(FixtureTableTest::castFull),
        row(GO + "inline-TestLoadExpandedPortFormat.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("web").ports())
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
                            new PortSpec(22, 10022, "tcp", PublishMode.HOST, null))),
        row(GO + "inline-TestLoadWithDependsOn.yaml")
            // the reference test skips the consistency check; the dependencies are not defined
            .override("services:\n  bar: {image: bar}\n  baz: {image: baz}\n  qux: {image: qux}\n")
            .check(
                r ->
                    assertThat(r.stack().service("foo").dependsOn())
                        .containsExactly(
                            Map.entry("bar", DependsOn.started()),
                            Map.entry(
                                "baz",
                                new DependsOn(DependsOn.Condition.SERVICE_HEALTHY, false, false)),
                            Map.entry(
                                "qux",
                                new DependsOn(
                                    DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY,
                                    true,
                                    false)))),
        row(GO + "inline-TestProjectNameInterpolation.yaml")
            .name(null)
            .check(
                r ->
                    assertThat(service(r, "web"))
                        .containsEntry("container_name", "interpolated-web")),
        row(
                "inline-TestProjectNameInterpolation.yaml named explicitly",
                GO + "inline-TestProjectNameInterpolation.yaml")
            .name("explicit")
            .check(
                r -> assertThat(service(r, "web")).containsEntry("container_name", "explicit-web")),
        row(GO + "inline-TestLoadLegacyBoolean.yaml")
            // the reference test skips the consistency check; test has no image
            .override("services:\n  test:\n    image: test\n")
            .check(r -> assertThat(r.stack().service("test").init()).isTrue()),
        // ---------------------------------------------------------------- compose-go tests
        row(GO_TESTS + "inline-TestHealthcheck.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("foo").healthcheck())
                        .isEqualTo(
                            new HealthcheckSpec(
                                List.of("CMD-SHELL", "echo \"hello world\""),
                                Duration.ofSeconds(10),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(15),
                                Duration.ofSeconds(5),
                                5))),
        row(GO_TESTS + "inline-TestDeployModeReplicas.yaml")
            .check(
                r -> {
                  ServiceSpec foo = r.stack().service("foo");
                  assertThat(foo.mode()).isEqualTo(ServiceSpec.Mode.REPLICATED);
                  assertThat(foo.replicas()).isEqualTo(6);
                  assertThat(foo.deployLabels()).containsExactly(Map.entry("FOO", "BAR"));
                  assertThat(foo.endpointMode()).isEqualTo(ServiceSpec.EndpointMode.DNSRR);
                }),
        row(GO_TESTS + "inline-TestDeployUpdateRollbackConfig.yaml")
            .check(
                r -> {
                  UpdatePolicy expected =
                      new UpdatePolicy(
                          3,
                          Duration.ofSeconds(10),
                          UpdatePolicy.FailureAction.CONTINUE,
                          Duration.ofSeconds(60),
                          0.3,
                          UpdatePolicy.Order.START_FIRST);
                  assertThat(r.stack().service("foo").updatePolicy()).isEqualTo(expected);
                  assertThat(r.stack().service("foo").rollbackPolicy()).isEqualTo(expected);
                }),
        row(GO_TESTS + "inline-TestDeployResources.yaml")
            .check(
                r -> {
                  ServiceSpec foo = r.stack().service("foo");
                  assertThat(foo.resources().limits())
                      .isEqualTo(new ResourceLimits(1_000_000, 52_428_800, 0));
                  assertThat(foo.resources().reservations())
                      .isEqualTo(new ResourceLimits(100_000, 20_971_520, 0));
                  // not in the model yet: kept in the Compose model
                  assertThat(
                          map(map(map(service(r, "foo").get("deploy")).get("resources"))
                                  .get("reservations"))
                              .get("generic_resources"))
                      .asList()
                      .hasSize(2);
                }),
        row(GO_TESTS + "inline-TestDeployRestartPolicy.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("foo").restartPolicy())
                        .isEqualTo(
                            new RestartPolicy(
                                RestartPolicy.Condition.ON_FAILURE,
                                Duration.ofSeconds(5),
                                3,
                                Duration.ofSeconds(120)))),
        row(GO_TESTS + "inline-TestDeployPlacement.yaml")
            .check(
                r -> {
                  var placement = r.stack().service("foo").placement();
                  assertThat(placement.constraints()).containsExactly("node=foo");
                  assertThat(placement.maxReplicasPerNode()).isEqualTo(5);
                  assertThat(placement.spreadPreferences()).containsExactly("node.labels.az");
                }),
        row(GO_TESTS + "inline-TestServiceSecrets.yaml")
            .withSecretFiles()
            .check(
                r -> {
                  var secrets = r.stack().service("foo").secrets();
                  assertThat(secrets).hasSize(2);
                  assertThat(secrets.get(1).target()).isEqualTo("my_secret");
                  assertThat(secrets.get(1).uid()).isEqualTo("103");
                  assertThat(secrets.get(1).gid()).isEqualTo("103");
                  assertThat(secrets.get(1).mode()).isEqualTo(0440);
                }),
        row(GO_TESTS + "inline-TestTopLevelSecrets.yaml")
            .withSecretFiles()
            .env("BAR", "this is a secret")
            .diverges(
                "a StackSpec holds the content of a secret, read at load time; secret5's file"
                    + " /abs/secret_data does not exist (compose-go only records the path)",
                "secret file /abs/secret_data not found"),
        row(
                "inline-TestTopLevelSecrets.yaml with secret5 given",
                GO_TESTS + "inline-TestTopLevelSecrets.yaml")
            .withSecretFiles()
            .env("BAR", "this is a secret")
            .override("secrets:\n  secret5: !override\n    file: ./secret_data\n")
            .check(
                r -> {
                  assertThat(r.stack().secrets().get("secret2").name()).isEqualTo("my_secret");
                  assertThat(r.stack().secrets().get("secret2").external()).isTrue();
                  assertThat(r.stack().secrets().get("secret4").content().bytes())
                      .asString()
                      .isEqualTo("this is a secret");
                  assertThat(map(map(r.model().get("secrets")).get("secret4")))
                      .containsEntry("x-foo", "bar")
                      .containsEntry("environment", "BAR");
                }),
        row(GO_TESTS + "inline-TestServiceConfigs.yaml")
            .withSecretFiles()
            .check(
                r -> {
                  var configs = r.stack().service("foo").configs();
                  assertThat(configs).hasSize(2);
                  assertThat(configs.get(1).target()).isEqualTo("/my_config");
                  assertThat(configs.get(1).mode()).isEqualTo(0440);
                }),
        row(GO_TESTS + "inline-TestEnvFileLongSyntax.yaml"),
        row(GO_TESTS + "inline-TestProfiles.yaml")
            .check(r -> assertThat(r.stack().services()).containsOnlyKeys("bar")),
        row("inline-TestProfiles.yaml, profile debug", GO_TESTS + "inline-TestProfiles.yaml")
            .profile("debug")
            .check(r -> assertThat(r.stack().services()).containsOnlyKeys("foo", "bar")),
        row(GO_TESTS + "inline-TestServiceNetworks.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("foo").networks())
                        .containsExactly(
                            new ServiceNetwork("some-network", List.of("alias1", "alias3"), null),
                            new ServiceNetwork("other-network", List.of(), "172.16.238.10"),
                            ServiceNetwork.of("other-other-network"))),
        row(GO_TESTS + "inline-TestTopLevelNetworks.yaml")
            .check(
                r -> {
                  var other = r.stack().networks().get("other-network");
                  assertThat(other.driverOptions()).containsEntry("baz", "1");
                  assertThat(other.subnets())
                      .containsExactly("172.28.0.0/16", "2001:3984:3989::/64");
                  assertThat(r.stack().networks().get("other-external-network").name())
                      .isEqualTo("my-cool-network");
                }),
        row(GO_TESTS + "inline-TestTopLevelVolumes.yaml")
            .check(
                r -> {
                  assertThat(r.stack().volumes().get("another-volume").name())
                      .isEqualTo("user_specified_name");
                  assertThat(r.stack().volumes().get("other-external-volume").name())
                      .isEqualTo("my-cool-volume");
                  assertThat(map(map(r.model().get("volumes")).get("external-volume3")))
                      .containsEntry("x-bar", "baz");
                }),
        row(GO_TESTS + "inline-TestPortsRange.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("foo").ports())
                        .extracting(PortSpec::target, PortSpec::published)
                        .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(8080, 80),
                            org.assertj.core.groups.Tuple.tuple(8081, 81),
                            org.assertj.core.groups.Tuple.tuple(8082, 82))),
        row(GO_TESTS + "inline-TestUlimits.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("foo").ulimits())
                        .containsExactly(
                            Map.entry("nofile", new Ulimit(20000, 40000)),
                            Map.entry("nproc", Ulimit.of(65535)))),
        row(GO_TESTS + "inline-TestEnvironmentMap.yaml")
            .env("MEU", "Shadoks")
            .check(
                r ->
                    assertThat(r.stack().service("foo").environment())
                        .containsExactly(
                            Map.entry("BAR", "2"),
                            Map.entry("BU", ""),
                            Map.entry("FOO", "1"),
                            Map.entry("GA", "2.5"),
                            Map.entry("MEU", "Shadoks"))),
        row(GO_TESTS + "inline-TestEnvironmentWhitespace.yaml")
            .err("environment variable DEBUG  is declared with a trailing space"),
        row(GO_TESTS + "inline-TestDependsOnObject.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("web").dependsOn())
                        .containsExactly(
                            Map.entry(
                                "db",
                                new DependsOn(DependsOn.Condition.SERVICE_HEALTHY, true, true)),
                            Map.entry("redis", DependsOn.started()))),
        // ---------------------------------------------------------------- docker/compose e2e
        row(E2E + "testdata/TestUpWait/compose.yaml"),
        row(E2E + "testdata/TestUpWaitTimeout/compose.yaml"),
        row(E2E + "testdata/TestUpServiceUnhealthy/compose.yaml"),
        row(E2E + "testdata/TestUpWithDependencyExit/compose.yaml"),
        row(E2E + "testdata/TestUpWithDependencyNotRequired/compose.yaml")
            .profile("not-required")
            .check(r -> assertThat(r.stack().services()).containsOnlyKeys("foo", "bar")),
        row(
                "TestUpWithDependencyNotRequired without the profile",
                E2E + "testdata/TestUpWithDependencyNotRequired/compose.yaml")
            .check(
                r -> {
                  assertThat(r.stack().services()).containsOnlyKeys("foo");
                  assertThat(r.stack().service("foo").dependsOn()).isEmpty();
                  assertThat(r.warnings())
                      .anyMatch(w -> w.contains("optional dependency \"bar\" is disabled"));
                }),
        row(E2E + "testdata/TestStartInterval/compose.yaml")
            .err("healthcheck.start_interval requires healthcheck.start_period to be set"),
        row("TestStartInterval, service test only", E2E + "testdata/TestStartInterval/compose.yaml")
            .only("test"),
        row(E2E + "testdata/TestInitContainer/compose.yaml"),
        row(E2E + "testdata/TestScaleBasicCases/compose.yaml")
            .check(
                r -> {
                  assertThat(r.stack().service("front").replicas()).isEqualTo(2);
                  assertThat(r.stack().service("dbadmin").replicas()).isZero();
                }),
        row(E2E + "testdata/TestCompatibility/compose.yaml"),
        row(E2E + "testdata/TestNetworkConfigChanged/compose.yaml").env("SUBNET", "192.168.0.0/16"),
        row(E2E + "testdata/TestUpRecreateVolumes/compose.yaml")
            .check(
                r ->
                    assertThat(r.stack().volumes().get("my_vol").labels())
                        .containsEntry("foo", "bar")),
        row(E2E + "testdata/TestUnnecessaryResources/compose.yaml"),
        row(E2E + "testdata/TestSecretFromEnv/compose.yaml")
            .env("SECRET", "BAR")
            .check(
                r -> {
                  assertThat(r.stack().secrets().get("secret").content().bytes())
                      .asString()
                      .isEqualTo("BAR");
                  assertThat(r.stack().service("foo").secrets().get(0).mode()).isEqualTo(0440);
                  assertThat(r.stack().secrets().get("my-secret").content().bytes())
                      .asString()
                      .isEqualTo("this-is-secret");
                }),
        row(E2E + "testdata/TestConfigFromEnv/compose.yaml")
            .env("CONFIG", "config")
            .check(
                r ->
                    assertThat(r.stack().configs().get("inlined").content().bytes())
                        .asString()
                        .isEqualTo("This is my config")),
        row(E2E + "testdata/TestNoProfileUsage/compose.yaml")
            .check(r -> assertThat(r.stack().services()).containsOnlyKeys("regular-service")),
        row("TestActiveProfileViaTargetedService", E2E + "testdata/TestNoProfileUsage/compose.yaml")
            .only("profiled-service")
            .check(r -> assertThat(r.stack().services()).containsOnlyKeys("profiled-service")),
        row(E2E + "testdata/TestDotEnvProfileUsage/compose.yaml")
            .check(r -> assertThat(r.stack().services()).hasSize(2)),
        row(E2E + "testdata/TestEnvInterpolation/compose.yaml")
            .env("WHEREAMI", "shell")
            .check(
                r ->
                    assertThat(r.stack().services().values().iterator().next().environment())
                        .containsEntry("IMAGE", "default_env:shell")),
        row(E2E + "testdata/TestEnvInterpolationDefaultValue/compose.yaml")
            .check(
                r ->
                    assertThat(r.stack().services().values().iterator().next().environment())
                        .containsEntry("IMAGE", "default_env:EnvFileDefaultValue")),
        row(E2E + "testdata/TestRawEnvFile/compose.yaml")
            .check(
                r ->
                    assertThat(r.stack().services().values().iterator().next().environment())
                        .containsValue("'{\"key\": \"value\"}'")),
        row(E2E + "testdata/TestLocalComposeConfig/compose.yaml")
            .check(
                r ->
                    assertThat(
                            service(r, r.stack().services().keySet().iterator().next())
                                .get("ports"))
                        .isEqualTo(
                            List.of(
                                Map.of(
                                    "mode", "ingress",
                                    "target", 80,
                                    "published", "8080",
                                    "protocol", "tcp")))),
        row(E2E + "testdata/TestUpContainerNameConflict/compose.yaml").env("FIXED_NAME", "fixed"),
        row(E2E + "testdata/TestIPAMConfig/compose.yaml")
            .check(
                r ->
                    assertThat(r.stack().service("foo").networks())
                        .containsExactly(new ServiceNetwork("default", List.of(), "10.1.0.100"))),
        row(E2E + "fixtures/config_hash/compose.yaml"),
        row(E2E + "fixtures/network-recreate/compose.yaml"),
        row(E2E + "fixtures/restart-test/compose-depends-on.yaml")
            .check(
                r ->
                    assertThat(
                            r.stack().services().values().stream()
                                .flatMap(s -> s.dependsOn().values().stream())
                                .anyMatch(DependsOn::restart))
                        .isTrue()),
        row(E2E + "fixtures/env_file/compose.yaml").err("env file /doesnotexist/.env not found"),
        row("fixtures/env_file, service serviceA only", E2E + "fixtures/env_file/compose.yaml")
            .only("serviceA"),
        // ---------------------------------------------------------------- docker/cli
        row(CLI + "full-example.yml")
            .env("HOME", "/home/foo")
            .env("QUX", "qux_from_environment")
            .diverges(
                "docker stack deploy's loader checks no references; this loader checks them as"
                    + " compose-go does (depends_on db and redis, network other-other-network and"
                    + " volume datavolume are undefined, network_mode and networks are both set),"
                    + " the model has no cluster volumes, and secret and config content must exist"
                    + " (see FixturesTest.FullExample for the file loaded with these supplied)",
                "service \"foo\" depends on undefined service \"db\""),
        row(CLI + "testdata/full-example.yaml.golden")
            .diverges(
                "as full-example.yml: undefined services db and redis, network_mode with"
                    + " networks, and secret files under /foo that do not exist here",
                "service \"foo\" depends on undefined service \"db\""),
        row(CLI + "testdata/full-example.json.golden")
            .diverges(
                "as full-example.yml: undefined services db and redis, network_mode with"
                    + " networks, and secret files under /foo that do not exist here",
                "service \"foo\" depends on undefined service \"db\""),
        row(CLI + "inline-TestUnsupportedProperties.yaml")
            .diverges(
                "docker/cli leaves links to the engine; compose-go (and so this loader) refuses a"
                    + " link to a service the file does not define",
                "service \"web\" depends on undefined service \"bar\""),
        row(CLI + "inline-TestDeprecatedProperties.yaml"),
        // the reference names volume_driver and extends; the Compose specification has no
        // volume_driver either, but allows extends (so this loader names only volume_driver)
        row(CLI + "inline-TestForbiddenProperties.yaml")
            .err("additional properties 'volume_driver' not allowed"),
        row(CLI + "inline-TestLoadNetworkWithName.yaml")
            .check(
                r -> {
                  assertThat(r.stack().networks().get("network1").name()).isEqualTo("network2");
                  assertThat(r.stack().networks().get("network3").name()).isNull();
                }),
        row(CLI + "inline-TestV1Unsupported.yaml").err("additional properties 'foo' not allowed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void loadsAsTheReferenceDoes(Row row) throws IOException {
    ProjectLoader.Result result = load(row);
    switch (row.outcome) {
      case OK -> {
        assertThat(result.problems()).as("problems").isEmpty();
        assertThat(result.stack()).isNotNull();
        assertThat(result.model()).isNotNull();
        row.check.accept(result);
      }
      case ERR -> {
        assertThat(result.stack()).as("the stack of an invalid project").isNull();
        assertThat(result.problems()).isNotEmpty();
        if (row.message != null) {
          assertThat(result.problems())
              .as("a problem saying: " + row.message)
              .anyMatch(p -> says(p, row.message));
        }
      }
      case DIVERGES -> {
        assertThat(row.why).isNotBlank();
        if (row.message == null) {
          assertThat(result.problems()).isEmpty();
        } else {
          assertThat(result.stack()).isNull();
          assertThat(result.problems()).anyMatch(p -> says(p, row.message));
        }
      }
    }
  }

  @Test
  @DisplayName("the table covers every YAML fixture in compose-fixtures")
  void everyFixtureIsInTheTable() throws IOException {
    Set<String> listed = new java.util.TreeSet<>();
    rows().forEach(r -> listed.addAll(r.files));
    Set<String> support =
        Set.of(
            // extends and include targets, loaded through the fixtures that name them
            GO_DATA + "extends/base.yaml",
            GO_DATA + "extends/sibling.yaml",
            GO_DATA + "extends/ports.yaml",
            GO_DATA + "extends/depends_on.yaml",
            GO_DATA + "extends/interpolated.yaml",
            GO_DATA + "extends/reset.yaml",
            GO_DATA + "extends/nested.yaml",
            GO_DATA + "extends/withdir/compose.yaml",
            GO_DATA + "extends/withdir/dir/base.yaml",
            GO_DATA + "extends/withdir/dir/compose.yaml",
            GO_DATA + "include/included.yaml",
            GO_DATA + "include/dir/compose.yaml",
            GO_DATA + "combined/dir/included.yaml",
            GO_DATA + "combined/dir/extended.yaml",
            GO_DATA + "subdir/compose-test-extends-imported.yaml",
            E2E + "testdata/TestSecretFromEnv/child/compose.yaml");
    Path root = PeerData.composeFixtures();
    List<String> missing = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .map(p -> root.relativize(p).toString())
          .filter(p -> !listed.contains(p) && !support.contains(p))
          .forEach(missing::add);
    }
    assertThat(missing).as("fixtures not in the table").isEmpty();
  }

  @Test
  @DisplayName("the withdir extends chain resolves relative to each file")
  void extendsWithDir() {
    ProjectLoader.Result result =
        load(new Row("withdir", GO_DATA + "extends/withdir/compose.yaml"));
    assertThat(result.problems()).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  static ProjectLoader.Result load(Row row) {
    List<Path> files = new ArrayList<>();
    row.files.forEach(f -> files.add(fixture(f)));
    for (int i = 0; i < row.overrides.size(); i++) {
      files.add(
          write(
              "override-" + Math.abs(row.name.hashCode()) + "-" + i + ".yaml",
              row.overrides.get(i)));
    }
    Path workingDir = null;
    if (row.scratchDir) {
      workingDir = scratch;
    } else if (row.workingDir != null) {
      workingDir =
          row.workingDir.startsWith("/")
              ? Path.of(row.workingDir)
              : scratch.resolve(row.workingDir);
      if (!row.workingDir.startsWith("/")) {
        try {
          Files.createDirectories(workingDir);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    List<Path> envFiles = new ArrayList<>();
    row.envFiles.forEach(f -> envFiles.add(fixture(f)));
    return ProjectLoader.load(
        new ProjectLoader.Options(
            files,
            row.projectName,
            row.env,
            workingDir,
            null,
            true,
            row.profiles,
            envFiles,
            row.services));
  }

  static Path fixture(String path) {
    return PeerData.composeFixtures().resolve(path);
  }

  private static Path write(String name, String content) {
    try {
      return Files.writeString(scratch.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a problem says {@code expected}, in the reference's way of writing paths. */
  static boolean says(SpecProblem p, String expected) {
    String ours = normalize(p.path() + ": " + p.message());
    String theirs = normalize(expected);
    return ours.contains(theirs) || normalize(p.message()).contains(theirs);
  }

  private static String normalize(String text) {
    return text.replaceAll("\\[(\\d+)]", ".$1").replace(": ", " ");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> service(ProjectLoader.Result r, String name) {
    return (Map<String, Object>) ((Map<String, Object>) r.model().get("services")).get(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static void castFull(ProjectLoader.Result r) {
    ServiceSpec web = r.stack().service("web");
    assertThat(web.replicas()).isEqualTo(555);
    assertThat(web.updatePolicy().parallelism()).isEqualTo(555);
    assertThat(web.updatePolicy().maxFailureRatio()).isEqualTo(0.5);
    assertThat(web.restartPolicy().maxAttempts()).isEqualTo(555);
    assertThat(web.placement().maxReplicasPerNode()).isEqualTo(555);
    assertThat(web.ulimits()).containsEntry("nproc", Ulimit.of(555));
    assertThat(web.readOnly()).isTrue();
    assertThat(web.stopGracePeriod()).isEqualTo(Duration.ofSeconds(60));
    assertThat(web.ports())
        .containsExactly(
            new PortSpec(555, null, "tcp", PublishMode.INGRESS, null),
            new PortSpec(34567, null, "tcp", PublishMode.INGRESS, null),
            new PortSpec(555, 555, "tcp", PublishMode.INGRESS, null));
    assertThat(web.secrets().get(0).mode()).isEqualTo(0555);
    assertThat(web.configs().get(0).mode()).isEqualTo(0555);
    Map<String, Object> model = service(r, "web");
    assertThat(map(model.get("deploy")).get("replicas")).isEqualTo(555L);
    assertThat(model.get("privileged")).isEqualTo(true);
    assertThat(model.get("shm_size")).isEqualTo("2gb");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> ports = (List<Map<String, Object>>) model.get("ports");
    assertThat(ports.get(2)).containsEntry("published", "555").containsEntry("x-foo-bar", true);
  }
}
