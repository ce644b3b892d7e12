package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.DeviceRequest;
import io.stackwright.api.FileReference;
import io.stackwright.api.GenericResource;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.LoggingSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.Placement;
import io.stackwright.api.PortSpec;
import io.stackwright.api.PortSpec.PublishMode;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.Ulimit;
import io.stackwright.api.UpdatePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every service key the model covers, in its short and long syntax. */
class ServiceKeysTest {
  @TempDir Path dir;

  private TestProject project(String yaml) {
    return TestProject.in(dir).file("compose.yml", yaml);
  }

  private ServiceSpec service(String serviceYaml) {
    return project("services:\n  app:\n    image: busybox\n" + serviceYaml.indent(4)).service();
  }

  @Nested
  @DisplayName("image, command and entrypoint")
  class Commands {

    @Test
    void imageIsKeptAsWritten() {
      assertThat(service("").image()).isEqualTo("busybox");
      assertThat(
              project(
                      "services:\n  app:\n    image: registry.local:5000/team/app@sha256:0123456789abcdef0123456789abcdef\n")
                  .service()
                  .image())
          .isEqualTo("registry.local:5000/team/app@sha256:0123456789abcdef0123456789abcdef");
    }

    @Test
    void aStringIsSplitLikeAShellWould() {
      ServiceSpec s =
          service(
              """
              command: sh -c 'echo "hello  world" && sleep 1' --flag="a b" escaped\\ space
              entrypoint: /entry.sh   -x
              """);
      assertThat(s.command())
          .containsExactly(
              "sh", "-c", "echo \"hello  world\" && sleep 1", "--flag=a b", "escaped space");
      assertThat(s.entrypoint()).containsExactly("/entry.sh", "-x");
    }

    @Test
    void aListIsKeptAsItIs() {
      ServiceSpec s =
          service(
              """
              command: ["echo", "a b", "3"]
              entrypoint: []
              """);
      assertThat(s.command()).containsExactly("echo", "a b", "3");
      assertThat(s.entrypoint()).isEmpty();
    }

    @Test
    void unsetStaysUnset() {
      ServiceSpec s = service("");
      assertThat(s.command()).isNull();
      assertThat(s.entrypoint()).isNull();
    }

    @Test
    void dollarsAreEscapedWithDollars() {
      assertThat(service("command: echo $$HOME").command()).containsExactly("echo", "$HOME");
    }
  }

  @Nested
  @DisplayName("environment, env_file and labels")
  class Environment {

    @Test
    void environmentAsAMapOrAList() {
      ServiceSpec map =
          project(
                  """
                  services:
                    app:
                      image: busybox
                      environment:
                        FOO: "1"
                        BAR: 2
                        GA: 2.5
                        BU: ""
                        ZO:
                        MEU:
                        YES_NO: yes
                  """)
              .env("MEU", "Shadoks")
              .service();
      // compose-go TestEnvironmentMap: ZO is unset and dropped, MEU comes from the environment
      assertThat(map.environment())
          .containsExactly(
              Map.entry("BAR", "2"),
              Map.entry("BU", ""),
              Map.entry("FOO", "1"),
              Map.entry("GA", "2.5"),
              Map.entry("MEU", "Shadoks"),
              Map.entry("YES_NO", "yes"));

      ServiceSpec list =
          project(
                  """
                  services:
                    app:
                      image: busybox
                      environment:
                        - A=1
                        - B=x=y
                        - C=
                        - FROM_ENV
                        - NOT_SET
                  """)
              .env("FROM_ENV", "inherited")
              .service();
      assertThat(list.environment())
          .containsExactly(
              Map.entry("A", "1"),
              Map.entry("B", "x=y"),
              Map.entry("C", ""),
              Map.entry("FROM_ENV", "inherited"));
    }

    @Test
    void envFilesAreReadInOrderAndEnvironmentWins() {
      TestProject p =
          project(
              """
              services:
                app:
                  image: busybox
                  env_file:
                    - ./one.env
                    - path: env/two.env
                    - path: missing.env
                      required: false
                  environment:
                    OVERRIDDEN: by-environment
                    KEEP_FILE_VALUE:
              """);
      p.write(
          "one.env",
          """
          # a comment
          A=from-one
          OVERRIDDEN=from-one
          export B='single $quoted'
          C="double
          line"
          KEEP_FILE_VALUE=file
          D=${A}-and-more # trailing comment
          """);
      p.write("env/two.env", "A=from-two\nE=$HOST_VAR\n");
      p.env("HOST_VAR", "host");
      assertThat(p.service().environment())
          .containsExactly(
              Map.entry("A", "from-two"),
              Map.entry("B", "single $quoted"),
              Map.entry("C", "double\nline"),
              Map.entry("D", "from-one-and-more"),
              Map.entry("E", "host"),
              Map.entry("KEEP_FILE_VALUE", "file"),
              Map.entry("OVERRIDDEN", "by-environment"));
    }

    @Test
    void envFileAsAStringAndInRawFormat() {
      TestProject p =
          project(
              """
              services:
                app:
                  image: busybox
                  env_file: app.env
                other:
                  image: busybox
                  env_file:
                    - path: raw.env
                      format: raw
              """);
      p.write("app.env", "KEY=value\n");
      p.write("raw.env", "JSON='{\"key\": \"value\"}'\nDOLLAR=$NOT_INTERPOLATED\n");
      StackSpec stack = p.load();
      assertThat(stack.service("app").environment()).containsExactly(Map.entry("KEY", "value"));
      assertThat(stack.service("other").environment())
          .containsExactly(
              Map.entry("DOLLAR", "$NOT_INTERPOLATED"),
              Map.entry("JSON", "'{\"key\": \"value\"}'"));
    }

    @Test
    void envFilesResolveAgainstTheWorkingDirectoryLikeCompose() {
      TestProject p = TestProject.in(dir).workingDir(dir.resolve("elsewhere"));
      p.write("elsewhere/app.env", "FROM=compose-dir\n");
      p.file(
          "compose/compose.yml",
          """
          services:
            app:
              image: busybox
              env_file: app.env
          """);
      assertThat(p.service().environment()).containsExactly(Map.entry("FROM", "compose-dir"));
    }

    @Test
    void labelsAsAMapOrAList() {
      ServiceSpec s =
          service(
              """
              labels:
                com.example.number: 42
                com.example.empty:
              deploy:
                labels:
                  - traefik.enable=true
                  - bare
              """);
      assertThat(s.labels())
          .containsExactly(
              Map.entry("com.example.empty", ""), Map.entry("com.example.number", "42"));
      assertThat(s.deployLabels())
          .containsExactly(Map.entry("bare", ""), Map.entry("traefik.enable", "true"));
    }
  }

  @Nested
  @DisplayName("ports")
  class Ports {

    @Test
    void shortSyntax() {
      ServiceSpec s =
          service(
              """
              ports:
                - 80
                - "8080:80"
                - 8000-8001:9000-9001
                - 127.0.0.1:5000:5000/udp
                - "127.0.0.1::6000"
                - "[::1]:7000:7000/sctp"
              """);
      assertThat(s.ports())
          .containsExactly(
              PortSpec.of(80),
              new PortSpec(80, 8080, "tcp", PublishMode.INGRESS, null),
              new PortSpec(9000, 8000, "tcp", PublishMode.INGRESS, null),
              new PortSpec(9001, 8001, "tcp", PublishMode.INGRESS, null),
              new PortSpec(5000, 5000, "udp", PublishMode.INGRESS, "127.0.0.1"),
              new PortSpec(6000, null, "tcp", PublishMode.INGRESS, "127.0.0.1"),
              new PortSpec(7000, 7000, "sctp", PublishMode.INGRESS, "::1"));
    }

    @Test
    void longSyntax() {
      ServiceSpec s =
          service(
              """
              ports:
                - target: 80
                  published: "8080"
                  protocol: udp
                  mode: host
                  host_ip: 10.0.0.1
                - target: 443
                  x-note: kept out of the model
              """);
      assertThat(s.ports())
          .containsExactly(
              new PortSpec(80, 8080, "udp", PublishMode.HOST, "10.0.0.1"), PortSpec.of(443));
    }
  }

  @Nested
  @DisplayName("networks")
  class Networks {

    @Test
    void aListOrAMapWithAliasesAndAddresses() {
      StackSpec stack =
          project(
                  """
                  services:
                    listed:
                      image: busybox
                      networks: [front, back]
                    mapped:
                      image: busybox
                      networks:
                        front:
                          aliases: [api, api.internal]
                          ipv4_address: 172.16.238.10
                        back:
                  networks:
                    front:
                    back:
                  """)
              .load();
      assertThat(stack.service("listed").networks())
          .containsExactly(ServiceNetwork.of("front"), ServiceNetwork.of("back"));
      assertThat(stack.service("mapped").networks())
          .containsExactly(
              new ServiceNetwork("front", List.of("api", "api.internal"), "172.16.238.10"),
              ServiceNetwork.of("back"));
    }

    @Test
    void theDefaultNetworkNeedsNoDeclaration() {
      assertThat(service("networks: [default]").networks())
          .containsExactly(ServiceNetwork.of("default"));
    }
  }

  @Nested
  @DisplayName("volumes and tmpfs")
  class Volumes {

    @Test
    void shortSyntax() {
      StackSpec stack =
          project(
                  """
                  services:
                    app:
                      image: busybox
                      volumes:
                        - data:/var/lib/data:ro
                        - ./config:/etc/app
                        - ../shared:/shared:rw,rshared
                        - /abs/path:/abs
                        - ~/cache:/cache
                        - /anonymous
                        - data:/nocopy:nocopy
                  volumes:
                    data:
                  """)
              .env("HOME", "/home/me")
              .load();
      assertThat(stack.service("app").mounts())
          .containsExactly(
              new MountSpec(
                  MountSpec.Type.VOLUME, "data", "/var/lib/data", true, false, null, null),
              MountSpec.bind(dir.resolve("config").toString(), "/etc/app", false),
              new MountSpec(
                  MountSpec.Type.BIND,
                  dir.getParent().resolve("shared").toString(),
                  "/shared",
                  false,
                  false,
                  "rshared",
                  null),
              MountSpec.bind("/abs/path", "/abs", false),
              MountSpec.bind("/home/me/cache", "/cache", false),
              MountSpec.volume(null, "/anonymous"),
              new MountSpec(MountSpec.Type.VOLUME, "data", "/nocopy", false, true, null, null));
    }

    @Test
    void bindsResolveAgainstTheWorkingDirectory() {
      Path workingDir = dir.resolve("project");
      ServiceSpec s =
          TestProject.in(dir)
              .workingDir(workingDir)
              .file(
                  "compose/compose.yml",
                  """
                  services:
                    app:
                      image: busybox
                      volumes:
                        - ./site:/usr/share/site
                  """)
              .service();
      assertThat(s.mounts())
          .containsExactly(
              MountSpec.bind(workingDir.resolve("site").toString(), "/usr/share/site", false));
    }

    @Test
    void longSyntax() {
      StackSpec stack =
          project(
                  """
                  services:
                    app:
                      image: busybox
                      volumes:
                        - type: volume
                          source: data
                          target: /data
                          read_only: true
                          volume:
                            nocopy: true
                        - type: volume
                          target: /anonymous
                        - type: bind
                          source: ./src
                          target: /src
                          bind:
                            propagation: rslave
                        - type: tmpfs
                          target: /scratch
                          tmpfs:
                            size: 64m
                  volumes:
                    data:
                  """)
              .load();
      assertThat(stack.service("app").mounts())
          .containsExactly(
              new MountSpec(MountSpec.Type.VOLUME, "data", "/data", true, true, null, null),
              MountSpec.volume(null, "/anonymous"),
              new MountSpec(
                  MountSpec.Type.BIND,
                  dir.resolve("src").toString(),
                  "/src",
                  false,
                  false,
                  "rslave",
                  null),
              new MountSpec(MountSpec.Type.TMPFS, null, "/scratch", false, false, null, 64L << 20));
    }

    @Test
    void tmpfsAsAStringOrAList() {
      assertThat(service("tmpfs: /run").mounts()).containsExactly(MountSpec.tmpfs("/run"));
      assertThat(service("tmpfs: [/run, '/tmp:size=1g,mode=1777']").mounts())
          .containsExactly(
              MountSpec.tmpfs("/run"),
              new MountSpec(MountSpec.Type.TMPFS, null, "/tmp", false, false, null, 1L << 30));
    }
  }

  @Nested
  @DisplayName("secrets and configs")
  class FileReferences {

    @Test
    void shortAndLongSyntax() {
      TestProject p =
          project(
              """
              services:
                app:
                  image: busybox
                  secrets:
                    - token
                    - source: token
                      target: /run/secrets/other
                      uid: "103"
                      gid: "104"
                      mode: 0440
                  configs:
                    - settings
                    - source: settings
                      target: /etc/settings.conf
                      mode: "0644"
              secrets:
                token:
                  file: ./token.txt
              configs:
                settings:
                  content: a=b
              """);
      p.write("token.txt", "t0k3n");
      ServiceSpec s = p.service();
      assertThat(s.secrets())
          .containsExactly(
              FileReference.of("token"),
              new FileReference("token", "/run/secrets/other", "103", "104", 0440));
      assertThat(s.configs())
          .containsExactly(
              FileReference.of("settings"),
              new FileReference("settings", "/etc/settings.conf", null, null, 0644));
    }
  }

  @Nested
  @DisplayName("healthcheck")
  class Healthchecks {

    @Test
    void aStringTestRunsInAShell() {
      assertThat(
              service(
                      """
                      healthcheck:
                        test: curl -f http://localhost || exit 1
                        interval: 1m30s
                        timeout: 500ms
                        retries: 3
                        start_period: 1h2m3s
                        start_interval: 1.5s
                      """)
                  .healthcheck())
          .isEqualTo(
              new HealthcheckSpec(
                  List.of("CMD-SHELL", "curl -f http://localhost || exit 1"),
                  Duration.ofSeconds(90),
                  Duration.ofMillis(500),
                  Duration.ofHours(1).plusMinutes(2).plusSeconds(3),
                  Duration.ofMillis(1500),
                  3));
    }

    @Test
    void aListIsKept() {
      assertThat(service("healthcheck:\n  test: [CMD, /probe, --fast]").healthcheck())
          .isEqualTo(HealthcheckSpec.cmd("/probe", "--fast"));
      assertThat(service("healthcheck:\n  test: [NONE]").healthcheck().isDisabled()).isTrue();
    }

    @Test
    void disableTurnsItOff() {
      assertThat(service("healthcheck:\n  disable: true").healthcheck())
          .isEqualTo(HealthcheckSpec.disabled());
    }
  }

  @Nested
  @DisplayName("deploy")
  class Deploy {

    @Test
    void modeReplicasAndEndpointMode() {
      ServiceSpec s = service("deploy:\n  mode: replicated\n  replicas: 6\n  endpoint_mode: dnsrr");
      assertThat(s.mode()).isEqualTo(ServiceSpec.Mode.REPLICATED);
      assertThat(s.replicas()).isEqualTo(6);
      assertThat(s.endpointMode()).isEqualTo(ServiceSpec.EndpointMode.DNSRR);

      assertThat(service("deploy:\n  mode: global").mode()).isEqualTo(ServiceSpec.Mode.GLOBAL);
      assertThat(service("deploy:\n  mode: replicated-job\n  replicas: 3"))
          .extracting(ServiceSpec::mode, ServiceSpec::replicas)
          .containsExactly(ServiceSpec.Mode.REPLICATED_JOB, 3);
      assertThat(service("deploy:\n  mode: global-job").mode())
          .isEqualTo(ServiceSpec.Mode.GLOBAL_JOB);
      assertThat(service("scale: 4").replicas()).isEqualTo(4);
      assertThat(service("deploy:\n  replicas: 0").replicas()).isZero();
    }

    @Test
    void resourcesWithCpusAsStringOrNumberAndByteSizes() {
      ServiceSpec s =
          service(
              """
              deploy:
                resources:
                  limits:
                    cpus: '0.5'
                    memory: 512m
                    pids: 100
                  reservations:
                    cpus: 0.25
                    memory: 1.5GB
              """);
      assertThat(s.resources())
          .isEqualTo(
              new Resources(
                  new ResourceLimits(500_000_000, 512L << 20, 100),
                  new ResourceLimits(250_000_000, 1_610_612_736L, 0)));
      assertThat(
              service("deploy:\n  resources:\n    limits:\n      cpus: 2\n      memory: 1g")
                  .resources()
                  .limits())
          .isEqualTo(new ResourceLimits(2_000_000_000L, 1L << 30, 0));
    }

    @Test
    void genericResourcesAndDevicesAreReserved() {
      ServiceSpec s =
          service(
              """
              deploy:
                resources:
                  reservations:
                    cpus: 0.5
                    generic_resources:
                      - discrete_resource_spec:
                          kind: GPU
                          value: 2
                      - discrete_resource_spec:
                          kind: SSD
                          value: '1'
                    devices:
                      - capabilities: [gpu, compute]
                        driver: nvidia
                        count: 2
                        options:
                          virtualization: false
                      - capabilities: [gpu]
                        count: all
                      - capabilities: [tpu]
                        device_ids: ['0', '3']
                        options: [mode=fast]
                      - capabilities: [gpu]
              """);
      assertThat(s.resources())
          .isEqualTo(
              new Resources(
                  ResourceLimits.NONE,
                  new ResourceLimits(500_000_000, 0, 0),
                  List.of(GenericResource.discrete("GPU", 2), GenericResource.discrete("SSD", 1)),
                  List.of(
                      new DeviceRequest(
                          List.of("gpu", "compute"),
                          "nvidia",
                          2,
                          List.of(),
                          Map.of("virtualization", "false")),
                      new DeviceRequest(List.of("gpu"), null, null, List.of(), Map.of()),
                      new DeviceRequest(
                          List.of("tpu"), null, null, List.of("0", "3"), Map.of("mode", "fast")),
                      new DeviceRequest(List.of("gpu"), null, null, List.of(), Map.of()))));
      assertThat(s.resources().genericResources()).allMatch(GenericResource::isDiscrete);
      assertThat(s.resources().isEmpty()).isFalse();
    }

    @Test
    void deployExtensionsAreKept() {
      ServiceSpec s =
          service(
              """
              x-top: 1
              deploy:
                replicas: 2
                x-team: payments
                x-limits:
                  burst: 3
              """);
      assertThat(s.deployExtensions())
          .isEqualTo(Map.of("x-team", "payments", "x-limits", Map.of("burst", 3L)));
      assertThat(s.extensions()).containsOnlyKeys("x-top");
      assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void serviceLevelResourceKeysAreAFallback() {
      assertThat(
              service("cpus: 1.5\nmem_limit: 256m\nmem_reservation: 128m\npids_limit: 50")
                  .resources())
          .isEqualTo(
              new Resources(
                  new ResourceLimits(1_500_000_000L, 256L << 20, 50),
                  new ResourceLimits(0, 128L << 20, 0)));
    }

    @Test
    void placement() {
      assertThat(
              service(
                      """
                      deploy:
                        placement:
                          constraints: [node.role==manager, node.labels.zone==a]
                          preferences:
                            - spread: node.labels.zone
                          max_replicas_per_node: 2
                      """)
                  .placement())
          .isEqualTo(
              new Placement(
                  List.of("node.role==manager", "node.labels.zone==a"),
                  List.of("node.labels.zone"),
                  2));
    }

    @Test
    void updateAndRollbackConfig() {
      ServiceSpec s =
          service(
              """
              deploy:
                update_config:
                  parallelism: 2
                  delay: 10s
                  failure_action: rollback
                  monitor: 1m
                  max_failure_ratio: 0.25
                  order: start-first
                rollback_config:
                  delay: 1s
              """);
      assertThat(s.updatePolicy())
          .isEqualTo(
              new UpdatePolicy(
                  2,
                  Duration.ofSeconds(10),
                  UpdatePolicy.FailureAction.ROLLBACK,
                  Duration.ofMinutes(1),
                  0.25,
                  UpdatePolicy.Order.START_FIRST));
      // parallelism defaults to 1 when the section is present, as in docker stack deploy
      assertThat(s.rollbackPolicy())
          .isEqualTo(
              new UpdatePolicy(
                  1,
                  Duration.ofSeconds(1),
                  UpdatePolicy.FailureAction.PAUSE,
                  Duration.ZERO,
                  0,
                  UpdatePolicy.Order.STOP_FIRST));
    }

    @Test
    void restartPolicyAndTheServiceLevelRestartFallback() {
      assertThat(
              service(
                      """
                      restart: always
                      deploy:
                        restart_policy:
                          condition: on-failure
                          delay: 5s
                          max_attempts: 3
                          window: 2m
                      """)
                  .restartPolicy())
          .isEqualTo(
              new RestartPolicy(
                  RestartPolicy.Condition.ON_FAILURE,
                  Duration.ofSeconds(5),
                  3,
                  Duration.ofMinutes(2)));
      assertThat(service("restart: always").restartPolicy())
          .isEqualTo(RestartPolicy.of(RestartPolicy.Condition.ANY));
      assertThat(service("restart: unless-stopped").restartPolicy())
          .isEqualTo(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED));
      assertThat(service("restart: \"no\"").restartPolicy())
          .isEqualTo(RestartPolicy.of(RestartPolicy.Condition.NONE));
      assertThat(service("restart: on-failure:5").restartPolicy())
          .isEqualTo(new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, null, 5, null));
      assertThat(
              service("deploy:\n  restart_policy:\n    condition: unless-stopped").restartPolicy())
          .isEqualTo(RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED));
      assertThat(service("deploy:\n  restart_policy:\n    condition: always").restartPolicy())
          .isEqualTo(RestartPolicy.of(RestartPolicy.Condition.ANY));
      assertThat(service("deploy:\n  restart_policy:\n    condition: any").restartPolicy())
          .isEqualTo(RestartPolicy.of(RestartPolicy.Condition.ANY));
      assertThat(service("deploy:\n  restart_policy:\n    condition: none").restartPolicy())
          .isEqualTo(RestartPolicy.of(RestartPolicy.Condition.NONE));
      assertThat(service("").restartPolicy()).isNull();
    }
  }

  @Nested
  @DisplayName("the other container settings")
  class Container {

    @Test
    void scalarsAndLists() {
      ServiceSpec s =
          service(
              """
              user: 1000:1000
              working_dir: /srv
              hostname: app-host
              read_only: true
              cap_add: [NET_ADMIN]
              cap_drop: [ALL]
              security_opt: [no-new-privileges:true]
              stop_signal: SIGINT
              stop_grace_period: 1m30s
              init: yes
              """);
      assertThat(s.user()).isEqualTo("1000:1000");
      assertThat(s.workingDir()).isEqualTo("/srv");
      assertThat(s.hostname()).isEqualTo("app-host");
      assertThat(s.readOnly()).isTrue();
      assertThat(s.capAdd()).containsExactly("NET_ADMIN");
      assertThat(s.capDrop()).containsExactly("ALL");
      assertThat(s.securityOpt()).containsExactly("no-new-privileges:true");
      assertThat(s.stopSignal()).isEqualTo("SIGINT");
      assertThat(s.stopGracePeriod()).isEqualTo(Duration.ofSeconds(90));
      assertThat(s.init()).isTrue();
      assertThat(service("").init()).isNull();
    }

    @Test
    void ulimitsAsANumberOrSoftAndHard() {
      assertThat(
              service("ulimits:\n  nproc: 65535\n  nofile:\n    soft: 20000\n    hard: 40000")
                  .ulimits())
          .containsExactly(
              Map.entry("nofile", new Ulimit(20000, 40000)), Map.entry("nproc", Ulimit.of(65535)));
    }

    @Test
    void sysctlsAsAListOrAMap() {
      assertThat(service("sysctls:\n  net.core.somaxconn: 1024").sysctls())
          .containsExactly(Map.entry("net.core.somaxconn", "1024"));
      assertThat(service("sysctls: [net.ipv4.tcp_syncookies=0]").sysctls())
          .containsExactly(Map.entry("net.ipv4.tcp_syncookies", "0"));
    }

    @Test
    void logging() {
      assertThat(
              service(
                      "logging:\n  driver: json-file\n  options:\n    max-size: 10m\n    max-file: 3")
                  .logging())
          .isEqualTo(new LoggingSpec("json-file", Map.of("max-size", "10m", "max-file", "3")));
    }

    @Test
    void extraHostsAsAListOrAMap() {
      assertThat(service("extra_hosts: ['db:10.0.0.5', 'v6=::1', 'gw:host-gateway']").extraHosts())
          .containsExactly("db:10.0.0.5", "v6:::1", "gw:host-gateway");
      assertThat(
              service("extra_hosts:\n  db: 10.0.0.5\n  multi: ['10.0.0.6', '[::2]']").extraHosts())
          .containsExactly("db:10.0.0.5", "multi:10.0.0.6", "multi:::2");
    }

    @Test
    void extensionsAreKept() {
      assertThat(service("x-team: payments\nx-limits:\n  burst: 3\n  tags: [a, b]").extensions())
          .containsExactly(
              Map.entry("x-limits", Map.of("burst", 3L, "tags", List.of("a", "b"))),
              Map.entry("x-team", "payments"));
    }
  }

  @Nested
  @DisplayName("depends_on")
  class Dependencies {

    @Test
    void aListOrAMapWithConditionRequiredAndRestart() {
      StackSpec stack =
          project(
                  """
                  services:
                    web:
                      image: busybox
                      depends_on: [db]
                    worker:
                      image: busybox
                      depends_on:
                        db:
                          condition: service_healthy
                          restart: true
                        cache:
                          condition: service_started
                          required: false
                        migrate:
                          condition: service_completed_successfully
                    db:
                      image: busybox
                    cache:
                      image: busybox
                    migrate:
                      image: busybox
                  """)
              .load();
      assertThat(stack.service("web").dependsOn())
          .containsExactly(Map.entry("db", DependsOn.started()));
      assertThat(stack.service("worker").dependsOn())
          .containsExactly(
              Map.entry("db", new DependsOn(DependsOn.Condition.SERVICE_HEALTHY, true, true)),
              Map.entry("cache", new DependsOn(DependsOn.Condition.SERVICE_STARTED, false, false)),
              Map.entry(
                  "migrate",
                  new DependsOn(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY, true, false)));
    }
  }

  @Nested
  @DisplayName("keys the model cannot represent")
  class Ignored {

    @Test
    void areLoggedNotFatal() {
      TestProject p =
          project(
              """
              services:
                app:
                  image: busybox
                  build: .
                  container_name: my-app
                  privileged: true
                  expose: ["80"]
              """);
      assertThat(p.service().image()).isEqualTo("busybox");
      assertThat(p.warnings())
          .containsExactly(
              p.dir().resolve("compose.yml")
                  + ":5:5: services.app: kept in the model but not represented in the stack: container_name, expose, privileged",
              p.dir().resolve("compose.yml")
                  + ":4:5: services.app.build: Stackwright does not build images; the service uses the image busybox as it is");
    }
  }

  @Nested
  @DisplayName("values the model cannot represent")
  class Unrepresentable {

    @Test
    void aHealthcheckWithOnlyTimingsIsIgnoredWithAWarning() {
      TestProject p =
          project("services:\n  app:\n    image: busybox\n    healthcheck:\n      interval: 5s\n");
      assertThat(p.service().healthcheck()).isNull();
      assertThat(p.warnings())
          .containsExactly(
              p.dir().resolve("compose.yml")
                  + ":5:7: services.app.healthcheck: a healthcheck without a test (only timings for the image's own healthcheck) cannot be represented; ignored");
    }

    @Test
    void loggingOptionsWithoutADriverAreIgnoredWithAWarning() {
      TestProject p =
          project(
              "services:\n  app:\n    image: busybox\n    logging:\n      options: {max-size: 1m}\n");
      assertThat(p.service().logging()).isNull();
      assertThat(p.warnings())
          .containsExactly(
              p.dir().resolve("compose.yml")
                  + ":5:7: services.app.logging: logging options without a driver cannot be represented; ignored");
    }

    @Test
    void networkAndVolumeDetailsAreIgnoredWithAWarning() {
      TestProject p =
          project(
              """
              services:
                app:
                  image: busybox
                  networks:
                    front:
                      ipv6_address: "fd00::10"
                  volumes:
                    - ./src:/src:z
              networks:
                front:
                  enable_ipv6: true
              """);
      assertThat(p.service().mounts()).hasSize(1);
      assertThat(p.warnings())
          .containsExactly(
              p.dir().resolve("compose.yml")
                  + ":11:5: networks.front: kept in the model but not represented in the stack: enable_ipv6",
              p.dir().resolve("compose.yml")
                  + ":6:9: services.app.networks.front: kept in the model but not represented in the stack: ipv6_address",
              p.dir().resolve("compose.yml")
                  + ":8:9: services.app.volumes[0]: ignoring volume option 'z' the stack model cannot represent");
    }
  }

  @Nested
  @DisplayName("profiles")
  class Profiles {

    private static final String YAML =
        """
        services:
          app:
            image: busybox
          debug:
            image: busybox
            profiles: [debug, dev]
        """;

    @Test
    void aServiceWithProfilesIsLeftOutUnlessOneIsActive() {
      assertThat(project(YAML).load().services()).containsOnlyKeys("app");
      assertThat(project(YAML).profiles("dev").load().services()).containsOnlyKeys("app", "debug");
      assertThat(project(YAML).env("COMPOSE_PROFILES", "other,debug").load().services())
          .containsOnlyKeys("app", "debug");
    }

    @Test
    void dependingOnADisabledServiceIsAProblem() {
      assertThat(
              project(
                      YAML
                          + "    depends_on: [app]\n  main:\n    image: busybox\n    depends_on: [debug]\n")
                  .problem())
          .isEqualTo(
              "compose.yml:10:18: services.main.depends_on[0]: service \"main\" depends on service \"debug\", which is disabled: none of its profiles [debug, dev] is active");
    }
  }
}
