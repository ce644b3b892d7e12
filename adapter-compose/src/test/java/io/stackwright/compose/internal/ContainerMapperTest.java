package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.ConfigSpec;
import io.stackwright.api.DeviceRequest;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.GenericResource;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.LoggingSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.Ulimit;
import io.stackwright.api.VolumeSpec;
import io.stackwright.compose.internal.ContainerMapper.CreateRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerMapperTest {
  private final SecretFiles files = new SecretFiles(Path.of("/state"));

  private StackSpec stack(ServiceSpec service) {
    return StackSpec.builder("shop")
        .network(NetworkSpec.of("front"))
        .network(
            new NetworkSpec(
                "back", null, null, Map.of(), false, true, false, List.of("10.9.0.0/24"), Map.of()))
        .volume(VolumeSpec.of("data"))
        .secret(SecretSpec.of("key", FileContent.secret("hunter2")))
        .config(ConfigSpec.of("conf", FileContent.plain("x=1")))
        .service(service)
        .build();
  }

  private CreateRequest map(StackSpec stack, ServiceSpec s, int number) {
    return ContainerMapper.map(
        stack,
        s,
        new ContainerMapper.Inputs(
            number,
            "abc",
            "sha256:img",
            2,
            files.mounts(stack, s),
            Map.of(),
            null,
            "/work",
            "",
            false));
  }

  private static ServiceSpec rich() {
    return ServiceSpec.builder("web", "stackwright/workload:test")
        .entrypoint(List.of("/server"))
        .command("--port", "8080")
        .env("B", "2")
        .env("A", "1")
        .label("tier", "front")
        .label("com.docker.compose.project", "spoofed")
        .port(new PortSpec(8080, 18080, "tcp", PortSpec.PublishMode.HOST, "127.0.0.1"))
        .port(new PortSpec(53, null, "udp", null, null))
        .network(new ServiceNetwork("front", List.of("www"), null))
        .network(new ServiceNetwork("back", List.of(), "10.9.0.5"))
        .mount(MountSpec.volume("data", "/data"))
        .mount(MountSpec.bind("/srv/html", "/html", true))
        .mount(new MountSpec(MountSpec.Type.TMPFS, null, "/tmp", false, false, null, 1024L))
        .mount(new MountSpec(MountSpec.Type.VOLUME, null, "/cache", false, true, null, null))
        .secret("key")
        .secret(new FileReference("key", "/etc/key.pem", "1000", "1000", 0400))
        .config("conf", "/etc/app.conf")
        .healthcheck(
            HealthcheckSpec.cmd("/server", "--probe")
                .withTimings(
                    Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5), 3))
        .resources(
            new Resources(
                new ResourceLimits(500_000_000, 64 << 20, 100), new ResourceLimits(0, 32 << 20, 0)))
        .restartPolicy(new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, null, 3, null))
        .user("1000:1000")
        .workingDir("/app")
        .hostname("web-host")
        .readOnly(true)
        .capAdd("NET_ADMIN")
        .capDrop("ALL")
        .securityOpt("no-new-privileges:true")
        .init(true)
        .stopSignal("SIGINT")
        .stopGracePeriod(Duration.ofMillis(1500))
        .ulimit("nofile", new Ulimit(1024, 2048))
        .sysctl("net.core.somaxconn", "1024")
        .logging(new LoggingSpec("json-file", Map.of("max-size", "1m")))
        .extraHost("db.local=10.0.0.2")
        .extraHost("cache.local:10.0.0.3")
        .build();
  }

  @Test
  void mapsEveryFieldOfTheService() {
    ServiceSpec s = rich();
    StackSpec stack = stack(s);
    CreateRequest request = map(stack, s, 2);
    JsonNode body = request.body();
    assertThat(request.name()).isEqualTo("shop-web-2");
    assertThat(body.path("Image").asText()).isEqualTo("stackwright/workload:test");
    assertThat(body.path("Entrypoint").toString()).isEqualTo("[\"/server\"]");
    assertThat(body.path("Cmd").toString()).isEqualTo("[\"--port\",\"8080\"]");
    assertThat(body.path("Env").toString()).isEqualTo("[\"A=1\",\"B=2\"]");
    JsonNode labels = body.path("Labels");
    assertThat(labels.path("tier").asText()).isEqualTo("front");
    assertThat(labels.path("com.docker.compose.project").asText()).isEqualTo("shop");
    assertThat(labels.path("com.docker.compose.service").asText()).isEqualTo("web");
    assertThat(labels.path("com.docker.compose.container-number").asText()).isEqualTo("2");
    assertThat(labels.path("com.docker.compose.oneoff").asText()).isEqualTo("False");
    assertThat(labels.path("com.docker.compose.config-hash").asText()).isEqualTo("abc");
    assertThat(labels.path("com.docker.compose.image").asText()).isEqualTo("sha256:img");
    assertThat(labels.path("com.docker.compose.project.working_dir").asText()).isEqualTo("/work");
    assertThat(labels.has("com.docker.compose.project.config_files")).isTrue();
    assertThat(labels.path("com.docker.compose.version").asText()).isEqualTo("2.0.0");
    assertThat(labels.path("io.stackwright.replicas").asText()).isEqualTo("2");
    assertThat(body.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(body.path("ExposedPorts").has("53/udp")).isTrue();
    assertThat(body.path("User").asText()).isEqualTo("1000:1000");
    assertThat(body.path("WorkingDir").asText()).isEqualTo("/app");
    assertThat(body.path("Hostname").asText()).isEqualTo("web-host");
    assertThat(body.path("StopSignal").asText()).isEqualTo("SIGINT");
    assertThat(body.path("StopTimeout").asLong()).isEqualTo(2);
    assertThat(body.path("Healthcheck").toString())
        .isEqualTo(
            "{\"Test\":[\"CMD\",\"/server\",\"--probe\"],\"Interval\":2000000000,"
                + "\"Timeout\":1000000000,\"StartPeriod\":5000000000,\"Retries\":3}");

    JsonNode host = body.path("HostConfig");
    assertThat(host.path("NetworkMode").asText()).isEqualTo("shop_front");
    assertThat(host.path("PortBindings").toString())
        .isEqualTo(
            "{\"8080/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18080\"}],"
                + "\"53/udp\":[{\"HostIp\":\"\",\"HostPort\":\"\"}]}");
    assertThat(host.path("RestartPolicy").toString())
        .isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
    assertThat(host.path("NanoCpus").asLong()).isEqualTo(500_000_000);
    assertThat(host.path("Memory").asLong()).isEqualTo(64 << 20);
    assertThat(host.path("MemoryReservation").asLong()).isEqualTo(32 << 20);
    assertThat(host.path("PidsLimit").asLong()).isEqualTo(100);
    assertThat(host.path("ReadonlyRootfs").asBoolean()).isTrue();
    assertThat(host.path("CapAdd").toString()).isEqualTo("[\"NET_ADMIN\"]");
    assertThat(host.path("CapDrop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(host.path("SecurityOpt").toString()).isEqualTo("[\"no-new-privileges:true\"]");
    assertThat(host.path("Init").asBoolean()).isTrue();
    assertThat(host.path("Ulimits").toString())
        .isEqualTo("[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}]");
    assertThat(host.path("Sysctls").toString()).isEqualTo("{\"net.core.somaxconn\":\"1024\"}");
    assertThat(host.path("LogConfig").toString())
        .isEqualTo("{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"1m\"}}");
    assertThat(host.path("ExtraHosts").toString())
        .isEqualTo("[\"db.local:10.0.0.2\",\"cache.local:10.0.0.3\"]");

    JsonNode mounts = host.path("Mounts");
    assertThat(mounts.get(0).toString())
        .isEqualTo("{\"Type\":\"volume\",\"Source\":\"shop_data\",\"Target\":\"/data\"}");
    assertThat(mounts.get(1).toString())
        .isEqualTo(
            "{\"Type\":\"bind\",\"Source\":\"/srv/html\",\"Target\":\"/html\",\"ReadOnly\":true}");
    assertThat(mounts.get(2).toString())
        .isEqualTo(
            "{\"Type\":\"tmpfs\",\"Target\":\"/tmp\",\"TmpfsOptions\":{\"SizeBytes\":1024}}");
    assertThat(mounts.get(3).toString())
        .isEqualTo(
            "{\"Type\":\"volume\",\"Target\":\"/cache\",\"VolumeOptions\":{\"NoCopy\":true}}");
    // secrets and configs: read-only binds of the state files; a secret is 0400 and owned by the
    // service's numeric user (1000) so that user alone reads it
    assertThat(mounts.get(4).toString())
        .isEqualTo(
            "{\"Type\":\"bind\",\"Source\":\"/state/shop/secrets/key@400-1000-0\",\"Target\":\"/run/secrets/key\",\"ReadOnly\":true}");
    assertThat(mounts.get(5).path("Source").asText())
        .isEqualTo("/state/shop/secrets/key@400-1000-1000");
    assertThat(mounts.get(5).path("Target").asText()).isEqualTo("/etc/key.pem");
    assertThat(mounts.get(6).path("Source").asText()).isEqualTo("/state/shop/configs/conf");
    assertThat(mounts.get(6).path("Target").asText()).isEqualTo("/etc/app.conf");
    assertThat(body.toString()).doesNotContain("hunter2");

    // first network at create time, the other connected afterwards, with compose's aliases
    assertThat(body.path("NetworkingConfig").toString())
        .isEqualTo(
            "{\"EndpointsConfig\":{\"shop_front\":{\"Aliases\":[\"shop-web-2\",\"web\",\"www\"]}}}");
    assertThat(request.extraNetworks()).hasSize(1);
    assertThat(request.extraNetworks().get(0).network()).isEqualTo("shop_back");
    assertThat(request.extraNetworks().get(0).endpointConfig().toString())
        .isEqualTo(
            "{\"Aliases\":[\"shop-web-2\",\"web\"],\"IPAMConfig\":{\"IPv4Address\":\"10.9.0.5\"}}");
  }

  @Test
  void defaultsAreComposesDefaults() {
    ServiceSpec s = ServiceSpec.builder("api", "img").build();
    StackSpec stack = StackSpec.builder("shop").service(s).build();
    CreateRequest request = map(stack, s, 1);
    JsonNode body = request.body();
    assertThat(body.has("Entrypoint")).isFalse();
    assertThat(body.has("Cmd")).isFalse();
    assertThat(body.has("Healthcheck")).isFalse();
    assertThat(body.has("Hostname")).isFalse();
    assertThat(body.path("HostConfig").path("RestartPolicy").toString())
        .isEqualTo("{\"Name\":\"no\"}");
    assertThat(body.path("HostConfig").path("NetworkMode").asText()).isEqualTo("shop_default");
    assertThat(request.extraNetworks()).isEmpty();
    assertThat(
            ContainerMapper.restartPolicy(RestartPolicy.of(RestartPolicy.Condition.ANY)).toString())
        .isEqualTo("{\"Name\":\"always\"}");
    assertThat(
            ContainerMapper.restartPolicy(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED))
                .toString())
        .isEqualTo("{\"Name\":\"unless-stopped\"}");
    assertThat(body.path("HostConfig").has("DeviceRequests")).isFalse();
    assertThat(ContainerMapper.healthcheck(HealthcheckSpec.disabled(), true).toString())
        .isEqualTo("{\"Test\":[\"NONE\"]}");
  }

  @Test
  void devicesBecomeDeviceRequestsAndGenericResourcesAreIgnored() {
    ServiceSpec s =
        ServiceSpec.builder("gpu", "img")
            .resources(
                new Resources(
                    null,
                    null,
                    List.of(GenericResource.discrete("GPU", 1)),
                    List.of(
                        new DeviceRequest(
                            List.of("gpu", "utility"),
                            "nvidia",
                            2,
                            null,
                            Map.of("virtualization", "false")),
                        new DeviceRequest(List.of("gpu"), null, null, null, null),
                        new DeviceRequest(List.of("tpu"), "tpu", null, List.of("0", "3"), null))))
            .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED))
            .build();
    StackSpec stack = StackSpec.builder("shop").service(s).build();
    JsonNode host = map(stack, s, 1).body().path("HostConfig");
    assertThat(host.path("DeviceRequests").toString())
        .isEqualTo(
            "[{\"Driver\":\"nvidia\",\"Count\":2,\"DeviceIDs\":null,"
                + "\"Capabilities\":[[\"gpu\",\"utility\"]],"
                + "\"Options\":{\"virtualization\":\"false\"}},"
                + "{\"Driver\":\"\",\"Count\":-1,\"DeviceIDs\":null,"
                + "\"Capabilities\":[[\"gpu\"]],\"Options\":null},"
                + "{\"Driver\":\"tpu\",\"Count\":0,\"DeviceIDs\":[\"0\",\"3\"],"
                + "\"Capabilities\":[[\"tpu\"]],\"Options\":null}]");
    assertThat(host.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"unless-stopped\"}");
    // no single-engine equivalent of generic resources (compose ignores them too)
    assertThat(host.toString()).doesNotContain("GPU").doesNotContain("Generic");
  }

  @Test
  void aReplacementInheritsAnonymousVolumesAndNamesWhatItReplaces() {
    ServiceSpec s =
        ServiceSpec.builder("db", "img")
            .mount(
                new MountSpec(
                    MountSpec.Type.VOLUME, null, "/var/lib/data", false, false, null, null))
            .build();
    StackSpec stack = StackSpec.builder("shop").service(s).build();
    CreateRequest request =
        ContainerMapper.map(
            stack,
            s,
            new ContainerMapper.Inputs(
                1,
                "h",
                null,
                1,
                List.of(),
                Map.of("/var/lib/data", "a".repeat(64), "/image/volume", "b".repeat(64)),
                "db-1",
                "/w",
                "",
                false));
    JsonNode mounts = request.body().path("HostConfig").path("Mounts");
    assertThat(mounts.get(0).path("Source").asText()).isEqualTo("a".repeat(64));
    assertThat(mounts.get(1).toString())
        .isEqualTo(
            "{\"Type\":\"volume\",\"Source\":\""
                + "b".repeat(64)
                + "\",\"Target\":\"/image/volume\"}");
    assertThat(request.body().path("Labels").path("com.docker.compose.replace").asText())
        .isEqualTo("db-1");
    assertThat(request.body().path("Labels").has("com.docker.compose.image")).isFalse();
  }

  @Test
  void aCloneKeepsTheConfigAndChangesWhatIsPerContainer() throws Exception {
    String id = "0123456789ab" + "c".repeat(52);
    JsonNode inspect =
        new ObjectMapper()
            .readTree(
                """
                {"Id": "%s", "Name": "/shop-web-1",
                 "Config": {"Hostname": "0123456789ab", "Image": "img:1", "Env": ["A=1"],
                   "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "web",
                     "com.docker.compose.container-number": "1", "io.stackwright.replicas": "1",
                     "com.docker.compose.replace": "web-1", "com.docker.compose.config-hash": "h"},
                   "StopTimeout": 2},
                 "HostConfig": {"NetworkMode": "shop_front", "Memory": 1024},
                 "NetworkSettings": {"Networks": {
                   "shop_front": {"Aliases": ["shop-web-1", "web", "www", "0123456789ab"]},
                   "shop_back": {"Aliases": ["shop-web-1", "web", "0123456789ab"],
                                 "IPAMConfig": {"IPv4Address": "10.0.0.9"}}}}}
                """
                    .formatted(id));
    CreateRequest clone = ContainerMapper.cloneOf(inspect, "shop", 3, 3);
    assertThat(clone.name()).isEqualTo("shop-web-3");
    JsonNode body = clone.body();
    assertThat(body.has("Hostname")).isFalse();
    assertThat(body.path("Image").asText()).isEqualTo("img:1");
    assertThat(body.path("StopTimeout").asInt()).isEqualTo(2);
    assertThat(body.path("Labels").path("com.docker.compose.container-number").asText())
        .isEqualTo("3");
    assertThat(body.path("Labels").path("io.stackwright.replicas").asText()).isEqualTo("3");
    assertThat(body.path("Labels").path("com.docker.compose.config-hash").asText()).isEqualTo("h");
    assertThat(body.path("Labels").has("com.docker.compose.replace")).isFalse();
    assertThat(body.path("HostConfig").path("Memory").asInt()).isEqualTo(1024);
    assertThat(body.path("NetworkingConfig").toString())
        .isEqualTo(
            "{\"EndpointsConfig\":{\"shop_front\":{\"Aliases\":[\"shop-web-3\",\"web\",\"www\"]}}}");
    assertThat(clone.extraNetworks()).hasSize(1);
    assertThat(clone.extraNetworks().get(0).aliases()).containsExactly("shop-web-3", "web");
    assertThat(clone.extraNetworks().get(0).ipv4Address()).isEqualTo("10.0.0.9");
  }
}
