package io.stackwright.swarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DockerClientConfig;
import io.stackwright.api.ConfigSpec;
import io.stackwright.api.DeviceRequest;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.GenericResource;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.Placement;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.Ulimit;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.VolumeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ServiceConverterTest {
  static final ObjectMapper MAPPER = DockerClientConfig.getDefaultObjectMapper();

  /** Names by the default rule, ids by name. */
  static final ServiceConverter.FileRefs REFS =
      new ServiceConverter.FileRefs() {
        @Override
        public String secretName(String key) {
          return "shop_" + key;
        }

        @Override
        public String secretId(String name) {
          return "id-" + name;
        }

        @Override
        public String configName(String key) {
          return "shop_" + key;
        }

        @Override
        public String configId(String name) {
          return "id-" + name;
        }
      };

  static JsonNode convert(StackSpec stack, String service) {
    return MAPPER.valueToTree(ServiceConverter.convert(stack, stack.service(service), REFS));
  }

  static StackSpec stackOf(ServiceSpec... services) {
    StackSpec.Builder b = StackSpec.builder("shop");
    for (ServiceSpec s : services) {
      b.service(s);
    }
    return b.build();
  }

  @Nested
  class NamesAndLabels {
    @Test
    void serviceIsScopedAndLabelledLikeTheCli() {
      JsonNode spec =
          convert(
              stackOf(
                  ServiceSpec.builder("web", "nginx:1.25")
                      .deployLabel("team", "a")
                      .label("role", "front")
                      .build()),
              "web");
      assertThat(spec.path("Name").asText()).isEqualTo("shop_web");
      assertThat(spec.path("Labels").toString())
          .isEqualTo(
              "{\"com.docker.stack.image\":\"nginx:1.25\",\"com.docker.stack.namespace\":\"shop\",\"team\":\"a\"}");
      JsonNode container = spec.path("TaskTemplate").path("ContainerSpec");
      assertThat(container.path("Image").asText()).isEqualTo("nginx:1.25");
      assertThat(container.path("Labels").toString())
          .isEqualTo("{\"com.docker.stack.namespace\":\"shop\",\"role\":\"front\"}");
    }

    @Test
    void scopingAndVersionsOfNames() {
      assertThat(StackNames.scope("shop", "db")).isEqualTo("shop_db");
      assertThat(StackNames.descope("shop", "shop_db")).isEqualTo("db");
      assertThat(StackNames.descope("shop", "other_db")).isEqualTo("other_db");
      String hash = FileContent.plain("x").sha256();
      String v = StackNames.versioned("shop_db", hash);
      assertThat(v).isEqualTo("shop_db-" + hash.substring(0, 10));
      assertThat(StackNames.isVersionOf("shop_db", v)).isTrue();
      assertThat(StackNames.isVersionOf("shop_db", "shop_db")).isTrue();
      assertThat(StackNames.isVersionOf("shop_db", "shop_db-other")).isFalse();
      assertThat(StackNames.isVersionOf("shop_db", "shop_dbx")).isFalse();
    }
  }

  @Nested
  class Networks {
    @Test
    void theDefaultNetworkIsScopedAndTheServiceNameIsAnAlias() {
      JsonNode nets =
          convert(stackOf(ServiceSpec.builder("web", "img").build()), "web")
              .path("TaskTemplate")
              .path("Networks");
      assertThat(nets.toString())
          .isEqualTo("[{\"Target\":\"shop_default\",\"Aliases\":[\"web\"]}]");
    }

    @Test
    void declaredAndExternalNetworksSortedByTargetWithConfiguredAliasesFirst() {
      StackSpec stack =
          StackSpec.builder("shop")
              .network(NetworkSpec.of("zeta"))
              .network(NetworkSpec.external("edge", "traefik-public"))
              .network(
                  new NetworkSpec(
                      "named",
                      "fixed-name",
                      null,
                      Map.of(),
                      false,
                      false,
                      false,
                      List.of(),
                      Map.of()))
              .service(
                  ServiceSpec.builder("web", "img")
                      .network("zeta", "z1")
                      .network("edge")
                      .network("named")
                      .build())
              .build();
      JsonNode nets = convert(stack, "web").path("TaskTemplate").path("Networks");
      assertThat(nets.toString())
          .isEqualTo(
              "[{\"Target\":\"fixed-name\",\"Aliases\":[\"web\"]},"
                  + "{\"Target\":\"shop_zeta\",\"Aliases\":[\"z1\",\"web\"]},"
                  + "{\"Target\":\"traefik-public\",\"Aliases\":[\"web\"]}]");
    }

    @Test
    void builtInNetworksGetNoAliases() {
      StackSpec stack =
          StackSpec.builder("shop")
              .network(NetworkSpec.external("host", "host"))
              .service(ServiceSpec.builder("web", "img").network("host").build())
              .build();
      assertThat(convert(stack, "web").path("TaskTemplate").path("Networks").toString())
          .isEqualTo("[{\"Target\":\"host\",\"Aliases\":null}]");
    }
  }

  @Nested
  class SecretsAndConfigs {
    @Test
    void targetDefaultsToTheSourceKeyOwnerToRootModeTo0444() {
      StackSpec stack =
          StackSpec.builder("shop")
              .secret(SecretSpec.of("zz", FileContent.secret("a")))
              .secret(SecretSpec.of("aa", FileContent.secret("b")))
              .config(ConfigSpec.of("conf", FileContent.plain("c")))
              .service(
                  ServiceSpec.builder("web", "img")
                      .secret("zz")
                      .secret(new FileReference("aa", "custom", "1000", "1001", 0400))
                      .config(FileReference.of("conf"))
                      .build())
              .build();
      JsonNode container = convert(stack, "web").path("TaskTemplate").path("ContainerSpec");
      assertThat(container.path("Secrets").toString())
          .isEqualTo(
              "[{\"File\":{\"Name\":\"custom\",\"UID\":\"1000\",\"GID\":\"1001\",\"Mode\":256},"
                  + "\"SecretID\":\"id-shop_aa\",\"SecretName\":\"shop_aa\"},"
                  + "{\"File\":{\"Name\":\"zz\",\"UID\":\"0\",\"GID\":\"0\",\"Mode\":292},"
                  + "\"SecretID\":\"id-shop_zz\",\"SecretName\":\"shop_zz\"}]");
      assertThat(container.path("Configs").get(0).path("File").path("Name").asText())
          .isEqualTo("conf");
      assertThat(container.path("Configs").get(0).path("File").path("Mode").asLong())
          .isEqualTo(0444);
      assertThat(container.path("Configs").get(0).path("ConfigName").asText())
          .isEqualTo("shop_conf");
    }
  }

  @Nested
  class Capabilities {
    @Test
    void upperCasedPrefixedDeduplicatedSorted() {
      var caps =
          ServiceConverter.Capabilities.effective(
              List.of("net_admin", "CAP_SYS_TIME", " net_admin ", "chown"),
              List.of("NET_ADMIN", "mknod", "RESET"));
      assertThat(caps.add()).containsExactly("CAP_CHOWN", "CAP_NET_ADMIN", "CAP_SYS_TIME");
      assertThat(caps.drop()).containsExactly("CAP_MKNOD");
    }

    @Test
    void allReplacesTheRestOfItsList() {
      var caps =
          ServiceConverter.Capabilities.effective(List.of("chown"), List.of("all", "net_raw"));
      assertThat(caps.add()).containsExactly("CAP_CHOWN");
      assertThat(caps.drop()).containsExactly("ALL");
      var both = ServiceConverter.Capabilities.effective(List.of("ALL", "chown"), List.of("ALL"));
      assertThat(both.add()).containsExactly("ALL");
      assertThat(both.drop()).isEmpty();
    }

    @Test
    void writtenAsRawFieldsOfTheContainerSpec() {
      JsonNode container =
          convert(
                  stackOf(
                      ServiceSpec.builder("web", "img").capAdd("net_admin").capDrop("all").build()),
                  "web")
              .path("TaskTemplate")
              .path("ContainerSpec");
      assertThat(container.path("CapabilityAdd").toString()).isEqualTo("[\"CAP_NET_ADMIN\"]");
      assertThat(container.path("CapabilityDrop").toString()).isEqualTo("[\"ALL\"]");
    }
  }

  @Nested
  class Ports {
    @Test
    void sortedByPublishedPortWithModeAndProtocol() {
      JsonNode endpoint =
          convert(
                  stackOf(
                      ServiceSpec.builder("web", "img")
                          .port(PortSpec.host(9000, 90))
                          .port(PortSpec.of(80))
                          .port(new PortSpec(53, 5353, "udp", PortSpec.PublishMode.INGRESS, null))
                          .build()),
                  "web")
              .path("EndpointSpec");
      assertThat(endpoint.path("Mode").asText()).isEqualTo("vip");
      assertThat(endpoint.path("Ports").toString())
          .isEqualTo(
              "[{\"Name\":null,\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":0,\"PublishMode\":\"ingress\"},"
                  + "{\"Name\":null,\"Protocol\":\"udp\",\"TargetPort\":53,\"PublishedPort\":5353,\"PublishMode\":\"ingress\"},"
                  + "{\"Name\":null,\"Protocol\":\"tcp\",\"TargetPort\":90,\"PublishedPort\":9000,\"PublishMode\":\"host\"}]");
    }

    @Test
    void endpointSpecIsAlwaysSent() {
      JsonNode endpoint =
          convert(
                  stackOf(
                      ServiceSpec.builder("web", "img")
                          .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                          .build()),
                  "web")
              .path("EndpointSpec");
      assertThat(endpoint.path("Mode").asText()).isEqualTo("dnsrr");
      assertThat(endpoint.path("Ports").isNull()).isTrue();
    }
  }

  @Nested
  class Mounts {
    @Test
    void volumesBindsAndTmpfs() {
      StackSpec stack =
          StackSpec.builder("shop")
              .volume(
                  new VolumeSpec(
                      "data", null, "local", Map.of("type", "tmpfs"), false, Map.of("k", "v")))
              .volume(new VolumeSpec("ext", "shared-data", null, Map.of(), true, Map.of()))
              .service(
                  ServiceSpec.builder("web", "img")
                      .mount(MountSpec.volume("data", "/data"))
                      .mount(
                          new MountSpec(
                              MountSpec.Type.VOLUME, "ext", "/ext", true, true, null, null))
                      .mount(
                          new MountSpec(
                              MountSpec.Type.VOLUME, null, "/anon", false, false, null, null))
                      .mount(
                          new MountSpec(
                              MountSpec.Type.BIND, "/srv", "/srv", true, false, "rshared", null))
                      .mount(
                          new MountSpec(
                              MountSpec.Type.TMPFS, null, "/tmp", false, false, null, 1024L))
                      .build())
              .build();
      JsonNode mounts =
          convert(stack, "web").path("TaskTemplate").path("ContainerSpec").path("Mounts");
      assertThat(mounts.get(0).path("Type").asText()).isEqualTo("volume");
      assertThat(mounts.get(0).path("Source").asText()).isEqualTo("shop_data");
      assertThat(mounts.get(0).path("VolumeOptions").path("Labels").toString())
          .isEqualTo("{\"com.docker.stack.namespace\":\"shop\",\"k\":\"v\"}");
      assertThat(mounts.get(0).path("VolumeOptions").path("DriverConfig").toString())
          .isEqualTo("{\"Name\":\"local\",\"Options\":{\"type\":\"tmpfs\"}}");
      // external: its own name, no labels, no driver
      assertThat(mounts.get(1).path("Source").asText()).isEqualTo("shared-data");
      assertThat(mounts.get(1).path("ReadOnly").asBoolean()).isTrue();
      assertThat(mounts.get(1).path("VolumeOptions").path("NoCopy").asBoolean()).isTrue();
      assertThat(mounts.get(1).path("VolumeOptions").path("Labels").isNull()).isTrue();
      // anonymous: no source, no options
      assertThat(mounts.get(2).path("Source").isNull()).isTrue();
      assertThat(mounts.get(2).path("VolumeOptions").isNull()).isTrue();
      assertThat(mounts.get(3).path("Type").asText()).isEqualTo("bind");
      assertThat(mounts.get(3).path("BindOptions").path("Propagation").asText())
          .isEqualTo("rshared");
      assertThat(mounts.get(4).path("Type").asText()).isEqualTo("tmpfs");
      assertThat(mounts.get(4).path("TmpfsOptions").path("SizeBytes").asLong()).isEqualTo(1024);
    }
  }

  @Nested
  class ContainerAndTask {
    @Test
    void everyContainerSetting() {
      JsonNode spec =
          convert(
              stackOf(
                  ServiceSpec.builder("web", "img")
                      .entrypoint(List.of("/bin/sh", "-c"))
                      .command("echo", "hi")
                      .env("B", "2")
                      .env("A", "1")
                      .env("NOVALUE", null)
                      .user("app")
                      .workingDir("/work")
                      .hostname("h")
                      .readOnly(true)
                      .extraHost("db:10.0.0.2")
                      .extraHost("v6:::1")
                      .stopSignal("SIGINT")
                      .stopGracePeriod(Duration.ofSeconds(3))
                      .init(true)
                      .ulimit("nproc", Ulimit.of(10))
                      .ulimit("nofile", new Ulimit(100, 200))
                      .sysctl("net.core.somaxconn", "512")
                      .healthcheck(
                          HealthcheckSpec.cmd("/probe")
                              .withTimings(
                                  Duration.ofSeconds(1),
                                  Duration.ofSeconds(2),
                                  Duration.ofSeconds(3),
                                  4))
                      .build()),
              "web");
      JsonNode c = spec.path("TaskTemplate").path("ContainerSpec");
      assertThat(c.path("Command").toString()).isEqualTo("[\"/bin/sh\",\"-c\"]");
      assertThat(c.path("Args").toString()).isEqualTo("[\"echo\",\"hi\"]");
      assertThat(c.path("Env").toString()).isEqualTo("[\"A=1\",\"B=2\",\"NOVALUE\"]");
      assertThat(c.path("User").asText()).isEqualTo("app");
      assertThat(c.path("Dir").asText()).isEqualTo("/work");
      assertThat(c.path("Hostname").asText()).isEqualTo("h");
      assertThat(c.path("ReadOnly").asBoolean()).isTrue();
      assertThat(c.path("Hosts").toString()).isEqualTo("[\"10.0.0.2 db\",\"::1 v6\"]");
      assertThat(c.path("StopSignal").asText()).isEqualTo("SIGINT");
      assertThat(c.path("StopGracePeriod").asLong()).isEqualTo(3_000_000_000L);
      assertThat(c.path("Init").asBoolean()).isTrue();
      assertThat(c.path("Ulimits").toString())
          .isEqualTo(
              "[{\"Name\":\"nofile\",\"Soft\":100,\"Hard\":200},{\"Name\":\"nproc\",\"Soft\":10,\"Hard\":10}]");
      assertThat(c.path("Sysctls").toString()).isEqualTo("{\"net.core.somaxconn\":\"512\"}");
      assertThat(c.path("Healthcheck").toString())
          .isEqualTo(
              "{\"Interval\":1000000000,\"Timeout\":2000000000,\"Test\":[\"CMD\",\"/probe\"],"
                  + "\"Retries\":4,\"StartPeriod\":3000000000,\"StartInterval\":null}");
    }

    @Test
    void unsetSettingsStayUnsetSoTheEngineDefaultsApply() {
      JsonNode spec = convert(stackOf(ServiceSpec.builder("web", "img").build()), "web");
      JsonNode task = spec.path("TaskTemplate");
      assertThat(task.path("RestartPolicy").isNull()).isTrue();
      assertThat(task.path("LogDriver").isNull()).isTrue();
      assertThat(task.path("ContainerSpec").path("Healthcheck").isNull()).isTrue();
      assertThat(task.path("ContainerSpec").path("StopGracePeriod").isNull()).isTrue();
      assertThat(task.path("ContainerSpec").path("Env").isNull()).isTrue();
      assertThat(spec.path("UpdateConfig").isNull()).isTrue();
      assertThat(spec.path("RollbackConfig").isNull()).isTrue();
      // always present, possibly empty, as the CLI sends them
      assertThat(task.path("Resources").isObject()).isTrue();
      assertThat(task.path("Placement").isObject()).isTrue();
      assertThat(spec.path("Mode").path("Replicated").path("Replicas").asInt()).isEqualTo(1);
    }

    @Test
    void resourcesPlacementPoliciesAndLogging() {
      JsonNode spec =
          convert(
              stackOf(
                  ServiceSpec.builder("web", "img")
                      .resources(
                          new Resources(
                              new ResourceLimits(500_000_000, 1 << 20, 50),
                              ResourceLimits.of(0.25, 0)))
                      .placement(
                          new Placement(
                              List.of("node.role==worker"), List.of("node.labels.zone"), 2))
                      .restartPolicy(
                          new RestartPolicy(
                              RestartPolicy.Condition.ON_FAILURE, Duration.ofSeconds(1), 3, null))
                      .updatePolicy(
                          new UpdatePolicy(
                              0,
                              Duration.ofSeconds(2),
                              UpdatePolicy.FailureAction.ROLLBACK,
                              Duration.ofSeconds(10),
                              0.5,
                              UpdatePolicy.Order.START_FIRST))
                      .logging(
                          new io.stackwright.api.LoggingSpec("json-file", Map.of("max-size", "1m")))
                      .build()),
              "web");
      JsonNode task = spec.path("TaskTemplate");
      assertThat(task.path("Resources").path("Limits").toString())
          .isEqualTo("{\"MemoryBytes\":1048576,\"NanoCPUs\":500000000,\"Pids\":50}");
      assertThat(task.path("Resources").path("Reservations").toString())
          .isEqualTo("{\"MemoryBytes\":null,\"NanoCPUs\":250000000}");
      assertThat(task.path("Placement").path("Constraints").toString())
          .isEqualTo("[\"node.role==worker\"]");
      assertThat(task.path("Placement").path("Preferences").toString())
          .isEqualTo("[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.zone\"}}]");
      assertThat(task.path("Placement").path("MaxReplicas").asInt()).isEqualTo(2);
      assertThat(task.path("RestartPolicy").toString())
          .isEqualTo(
              "{\"Condition\":\"on-failure\",\"Delay\":1000000000,\"MaxAttempts\":3,\"Window\":null}");
      assertThat(spec.path("UpdateConfig").toString())
          .isEqualTo(
              "{\"Parallelism\":0,\"Delay\":2000000000,\"FailureAction\":\"rollback\","
                  + "\"MaxFailureRatio\":0.5,\"Monitor\":10000000000,\"Order\":\"start-first\"}");
      assertThat(task.path("LogDriver").toString())
          .isEqualTo("{\"Name\":\"json-file\",\"Options\":{\"max-size\":\"1m\"}}");
    }

    @Test
    void genericResourcesAreReservationsLikeDockerStackDeploy() {
      JsonNode spec =
          convert(
              stackOf(
                  ServiceSpec.builder("web", "img")
                      .resources(
                          new Resources(
                              null,
                              null,
                              List.of(
                                  GenericResource.discrete("GPU", 2),
                                  GenericResource.named("FPGA", "fpga-1")),
                              List.of()))
                      .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED))
                      .build()),
              "web");
      JsonNode task = spec.path("TaskTemplate");
      assertThat(task.path("Resources").path("Reservations").toString())
          .isEqualTo(
              "{\"MemoryBytes\":null,\"NanoCPUs\":null,\"GenericResources\":["
                  + "{\"DiscreteResourceSpec\":{\"Kind\":\"GPU\",\"Value\":2}},"
                  + "{\"NamedResourceSpec\":{\"Kind\":\"FPGA\",\"Value\":\"fpga-1\"}}]}");
      assertThat(
              task.path("Resources").path("Limits").isMissingNode()
                  || task.path("Resources").path("Limits").isNull())
          .isTrue();
      // Swarm has no unless-stopped: any, as docker stack deploy does
      assertThat(task.path("RestartPolicy").path("Condition").asText()).isEqualTo("any");
    }

    @Test
    void devicesAreNotSentToSwarm() {
      JsonNode spec =
          convert(
              stackOf(
                  ServiceSpec.builder("web", "img")
                      .resources(
                          new Resources(
                              null,
                              null,
                              List.of(),
                              List.of(new DeviceRequest(List.of("gpu"), null, null, null, null))))
                      .build()),
              "web");
      assertThat(spec.toString()).doesNotContain("gpu");
    }

    @Test
    void modesIncludingJobs() {
      StackSpec stack =
          stackOf(
              ServiceSpec.builder("g", "img").mode(ServiceSpec.Mode.GLOBAL).build(),
              ServiceSpec.builder("j", "img")
                  .mode(ServiceSpec.Mode.REPLICATED_JOB)
                  .replicas(3)
                  .build(),
              ServiceSpec.builder("gj", "img").mode(ServiceSpec.Mode.GLOBAL_JOB).build(),
              ServiceSpec.builder("zero", "img").replicas(0).build());
      assertThat(convert(stack, "g").path("Mode").path("Global").isObject()).isTrue();
      assertThat(convert(stack, "j").path("Mode").path("ReplicatedJob").toString())
          .isEqualTo("{\"MaxConcurrent\":3,\"TotalCompletions\":3}");
      assertThat(convert(stack, "gj").path("Mode").path("GlobalJob").toString()).isEqualTo("{}");
      assertThat(convert(stack, "zero").path("Mode").path("Replicated").path("Replicas").asInt())
          .isZero();
    }
  }
}
