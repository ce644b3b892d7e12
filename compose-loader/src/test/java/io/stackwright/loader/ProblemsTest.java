package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invalid input: each problem names the file, line, column and key path, and all problems of a load
 * are reported together. Expected strings are {@code file:line:column: path: message}.
 */
class ProblemsTest {
  @TempDir Path dir;

  private TestProject project(String yaml) {
    return TestProject.in(dir).file("compose.yml", yaml);
  }

  private String problem(String yaml) {
    return project(yaml).problem();
  }

  @Nested
  @DisplayName("unknown keys, with typo suggestions")
  class UnknownKeys {

    @Test
    void serviceKey() {
      assertThat(problem("services:\n  web:\n    image: nginx\n    imgae: nginx\n"))
          .isEqualTo(
              "compose.yml:4:5: services.web.imgae: additional properties 'imgae' not allowed (did you mean 'image'?)");
    }

    @Test
    void topLevelKey() {
      assertThat(problem("servics:\n  web:\n    image: nginx\n"))
          .isEqualTo(
              "compose.yml:1:1: servics: additional properties 'servics' not allowed (did you mean 'services'?)");
    }

    @Test
    void nestedKeys() {
      assertThat(
              project(
                      "services:\n  web:\n    image: nginx\n    deploy:\n      replica: 2\n      colour: red\n")
                  .describedProblems())
          .containsExactly(
              "compose.yml:5:7: services.web.deploy.replica: additional properties 'replica' not allowed (did you mean 'replicas'?)",
              "compose.yml:6:7: services.web.deploy.colour: additional properties 'colour' not allowed");
    }

    @Test
    void farFromAnyKey() {
      assertThat(problem("services:\n  web:\n    image: nginx\n    flavour: vanilla\n"))
          .isEqualTo(
              "compose.yml:4:5: services.web.flavour: additional properties 'flavour' not allowed");
    }

    @Test
    void missingIncludesAndExtendedServices() {
      assertThat(
              project(
                      """
                      include: [other.yml]
                      services:
                        web:
                          image: nginx
                          extends: base
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:1:11: include[0]: included file "
                  + dir.resolve("other.yml")
                  + " not found",
              "compose.yml:5:14: services.web.extends: cannot extend service \"base\": service not found");
    }
  }

  @Nested
  @DisplayName("images")
  class Images {

    @Test
    void imageIsRequired() {
      assertThat(problem("services:\n  web:\n    command: [serve]\n"))
          .isEqualTo(
              "compose.yml:2:3: services.web: service \"web\" has neither an image nor a build context specified");
    }

    @Test
    void buildAloneUsesTheImageComposeWouldBuild() {
      TestProject p = project("services:\n  web:\n    build: ./web\n");
      assertThat(p.service().image()).isEqualTo("test-web");
      assertThat(p.warnings())
          .singleElement()
          .asString()
          .endsWith(
              "compose.yml:3:5: services.web.build: Stackwright does not build images; the service uses the image test-web (the name docker compose builds it under), which must exist");
    }

    @Test
    void anEmptyImage() {
      assertThat(problem("services:\n  web:\n    image: ''\n"))
          .isEqualTo("compose.yml:3:12: services.web.image: image must not be empty");
    }
  }

  @Nested
  @DisplayName("wrong types")
  class WrongTypes {

    @Test
    void aListWhereAMappingIsExpected() {
      assertThat(problem("services:\n  - web\n"))
          .isEqualTo("compose.yml:2:3: services: must be a mapping (found a list)");
    }

    @Test
    void theTopLevelMustBeAMapping() {
      assertThat(problem("- services\n"))
          .isEqualTo("compose.yml:1:1: : the top level must be a mapping (found a list)");
    }

    @Test
    void scalarsOfTheWrongType() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          ports: "80:80"
                          environment: 5
                          read_only: maybe
                          deploy:
                            replicas: three
                            update_config:
                              max_failure_ratio: [1]
                          healthcheck: curl localhost
                          ulimits:
                            nofile: {soft: 10}
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:4:12: services.web.ports: must be a list (found a string '80:80')",
              "compose.yml:5:18: services.web.environment: must be a mapping or a list (found a number 5)",
              "compose.yml:6:16: services.web.read_only: must be a boolean (true or false), not 'maybe'",
              "compose.yml:8:17: services.web.deploy.replicas: must be an integer, not 'three'",
              "compose.yml:10:28: services.web.deploy.update_config.max_failure_ratio: must be a number or a string (found a list)",
              "compose.yml:11:18: services.web.healthcheck: must be a mapping (found a string 'curl localhost')",
              "compose.yml:13:15: services.web.ulimits.nofile: 'hard' is required");
    }
  }

  @Nested
  @DisplayName("references")
  class References {

    @Test
    void undeclaredNetworksVolumesSecretsConfigsAndServices() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          networks: [front, bakend]
                          volumes:
                            - data:/data
                            - type: volume
                              source: logs
                              target: /logs
                          secrets: [api_key]
                          configs:
                            - source: nginx_conf
                          depends_on:
                            db:
                              condition: service_healthy
                      networks:
                        front:
                        backend:
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:4:23: services.web.networks[1]: service \"web\" refers to undefined network \"bakend\" (did you mean 'backend'?)",
              "compose.yml:6:9: services.web.volumes[0]: service \"web\" refers to undefined volume \"data\"",
              "compose.yml:8:17: services.web.volumes[1]: service \"web\" refers to undefined volume \"logs\"",
              "compose.yml:10:15: services.web.secrets[0]: service \"web\" refers to undefined secret \"api_key\"",
              "compose.yml:12:17: services.web.configs[0]: service \"web\" refers to undefined config \"nginx_conf\"",
              "compose.yml:14:7: services.web.depends_on.db: service \"web\" depends on undefined service \"db\"");
    }

    @Test
    void aDependencyCycle() {
      assertThat(
              problem(
                  """
                  services:
                    a:
                      image: x
                      depends_on: [b]
                    b:
                      image: x
                      depends_on:
                        a:
                          condition: service_healthy
                  """))
          .isEqualTo(
              "compose.yml:4:18: services.a.depends_on[0]: dependency cycle detected: a -> b -> a");
    }
  }

  @Nested
  @DisplayName("ports")
  class Ports {

    @Test
    void invalidPortsAndRanges() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          ports:
                            - "0:80"
                            - 65536
                            - "8002-8000:80-82"
                            - "8000-8001:80-82"
                            - "9000-9001:90"
                            - "80/icmp"
                            - target: 80
                              published: 70000
                            - published: 80
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:5:9: services.web.ports[0]: invalid published port in '0:80': ports must be 1-65535",
              "compose.yml:6:9: services.web.ports[1]: invalid target port in 65536: ports must be 1-65535",
              "compose.yml:7:9: services.web.ports[2]: invalid published port range in '8002-8000:80-82'",
              "compose.yml:8:9: services.web.ports[3]: the published and target ranges of '8000-8001:80-82' differ in size (2 and 3)",
              "compose.yml:9:9: services.web.ports[4]: a range of published ports for one target port is not supported: '9000-9001:90'",
              "compose.yml:10:9: services.web.ports[5]: invalid protocol in port '80/icmp' (tcp, udp or sctp)",
              "compose.yml:12:20: services.web.ports[6].published: invalid published port 70000: ports must be 1-65535",
              "compose.yml:13:9: services.web.ports[7].target: target is required");
    }

    @Test
    void aPublishedPortUsedTwice() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          ports: ["8080:80", "53:53/udp"]
                        api:
                          image: api
                          ports:
                            - "53:53"
                            - target: 8081
                              published: 8080
                        admin:
                          image: admin
                          ports: ["127.0.0.1:9000:80", "127.0.0.2:9000:80"]
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:9:9: services.api.ports[1]: published port 8080/tcp is already used by services.web.ports[0] (line 4)");
    }
  }

  @Nested
  @DisplayName("values")
  class Values {

    @Test
    void badDurationsAndByteSizes() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          stop_grace_period: 10 parsecs
                          healthcheck:
                            test: [CMD, check]
                            interval: 10
                          deploy:
                            resources:
                              limits:
                                memory: 12 elephants
                                cpus: half
                              reservations:
                                cpus: '0.0000000001'
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:4:24: services.web.stop_grace_period: invalid duration '10 parsecs' (expected a duration such as 10s, 1m30s or 500ms)",
              "compose.yml:7:17: services.web.healthcheck.interval: must be a string (found a number 10)",
              "compose.yml:11:19: services.web.deploy.resources.limits.memory: invalid byte size '12 elephants' (expected a size such as 512m, 1g or 1.5GB)",
              "compose.yml:12:17: services.web.deploy.resources.limits.cpus: invalid CPU count 'half' (expected a number such as 0.5 or 2)",
              "compose.yml:14:17: services.web.deploy.resources.reservations.cpus: invalid CPU count '0.0000000001' (too precise)");
    }

    @Test
    void badGenericResourcesAndDevices() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          deploy:
                            resources:
                              reservations:
                                generic_resources:
                                  - discrete_resource_spec:
                                      kind: GPU
                                      value: two
                                  - discrete_resource_spec:
                                      value: 1
                                devices:
                                  - capabilities: [gpu]
                                    count: some
                                  - capabilities: [gpu]
                                    count: -1
                                  - capabilities: [gpu]
                                    count: 1
                                    device_ids: ['0']
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:10:24: services.web.deploy.resources.reservations.generic_resources[0].discrete_resource_spec.value: must be an integer, not 'two'",
              "compose.yml:12:17: services.web.deploy.resources.reservations.generic_resources[1].discrete_resource_spec.kind: kind is required",
              "compose.yml:15:22: services.web.deploy.resources.reservations.devices[0].count: count must be an integer or \"all\", not 'some'",
              "compose.yml:17:22: services.web.deploy.resources.reservations.devices[1].count: must be 0 or more, not -1",
              "compose.yml:19:22: services.web.deploy.resources.reservations.devices[2].count: count and device_ids can't be set at the same time");
    }

    @Test
    void namedGenericResourcesAreNotInTheComposeSchema() {
      // like docker compose and docker stack deploy: only discrete_resource_spec can be written
      assertThat(
              problem(
                  """
                  services:
                    web:
                      image: nginx
                      deploy:
                        resources:
                          reservations:
                            generic_resources:
                              - named_resource_spec: {kind: GPU, value: UUID1}
                  """))
          .isEqualTo(
              "compose.yml:8:15: services.web.deploy.resources.reservations.generic_resources[0].named_resource_spec: additional properties 'named_resource_spec' not allowed");
    }

    @Test
    void enumerations() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          restart: sometimes
                          depends_on:
                            db:
                              condition: service_ready
                          deploy:
                            mode: everywhere
                            endpoint_mode: dns
                            update_config:
                              order: random-first
                              failure_action: panic
                            restart_policy:
                              condition: never
                        db:
                          image: db
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:4:14: services.web.restart: restart must be no, always, on-failure[:max-retries] or unless-stopped, not 'sometimes'",
              "compose.yml:7:20: services.web.depends_on.db.condition: must be one of service_started, service_healthy, service_completed_successfully (found a string 'service_ready')",
              "compose.yml:9:13: services.web.deploy.mode: unknown mode 'everywhere' (replicated, global, replicated-job or global-job)",
              "compose.yml:10:22: services.web.deploy.endpoint_mode: endpoint_mode must be vip or dnsrr, not 'dns'",
              "compose.yml:12:16: services.web.deploy.update_config.order: must be one of start-first, stop-first (found a string 'random-first')",
              "compose.yml:13:25: services.web.deploy.update_config.failure_action: failure_action must be pause, continue or rollback, not 'panic'",
              "compose.yml:15:20: services.web.deploy.restart_policy.condition: condition must be none, on-failure or any, not 'never'");
    }

    @Test
    void inconsistentSettings() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          healthcheck:
                            test: [CMD, check]
                            disable: true
                          deploy:
                            mode: global
                            replicas: 2
                          ulimits:
                            nofile: {soft: 20, hard: 10}
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:5:13: services.web.healthcheck.test: test and disable can't be set at the same time",
              "compose.yml:9:17: services.web.deploy.replicas: replicas can only be used with replicated or replicated-job mode",
              "compose.yml:11:15: services.web.ulimits.nofile: soft limit 20 exceeds hard limit 10");
    }

    @Test
    void conflictingServiceLevelAndDeployValues() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          scale: 2
                          cpus: 1
                          deploy:
                            replicas: 3
                            resources:
                              limits:
                                cpus: '2'
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:7:17: services.web.deploy.replicas: can't set distinct values on 'scale' (2) and 'deploy.replicas' (3)",
              "compose.yml:10:17: services.web.deploy.resources.limits.cpus: can't set distinct values on 'cpus' and 'deploy.resources.limits.cpus'");
    }

    @Test
    void invalidMounts() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          volumes:
                            - data:/d:ro2
                            - relative
                            - type: bind
                              target: /x
                            - type: tmpfs
                              source: foo
                              target: /t
                            - type: volume
                              source: data
                              target: /v
                              bind:
                                propagation: shared
                          tmpfs: [run]
                      volumes:
                        data:
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:5:9: services.web.volumes[0]: invalid option 'ro2' for a volume in 'data:/d:ro2'",
              "compose.yml:6:9: services.web.volumes[1]: volume 'relative' needs a target path in the container",
              "compose.yml:7:9: services.web.volumes[2].source: a bind mount needs a source path",
              "compose.yml:10:17: services.web.volumes[3].source: a tmpfs mount cannot have a source",
              "compose.yml:15:9: services.web.volumes[4].bind: bind options are incompatible with type volume",
              "compose.yml:17:13: services.web.tmpfs[0]: tmpfs target 'run' must be an absolute path");
    }

    @Test
    void aDuplicateKey() {
      assertThat(problem("services:\n  web:\n    image: a\n    image: b\n"))
          .isEqualTo(
              "compose.yml:4:5: services.web.image: duplicate key 'image' (first defined at line 3)");
    }
  }

  @Nested
  @DisplayName("variables")
  class Variables {

    @Test
    void aRequiredVariableIsAProblemAtItsKey() {
      assertThat(problem("services:\n  web:\n    image: nginx:${TAG:?set TAG to the release}\n"))
          .isEqualTo(
              "compose.yml:3:12: services.web.image: required variable TAG is missing a value: set TAG to the release");
      assertThat(
              project("services:\n  web:\n    image: nginx${TAG?}\n")
                  .env("TAG", "")
                  .load()
                  .service("web")
                  .image())
          .isEqualTo("nginx");
    }

    @Test
    void anInvalidSubstitution() {
      assertThat(problem("services:\n  web:\n    image: nginx\n    command: echo ${}\n"))
          .isEqualTo(
              "compose.yml:4:14: services.web.command: invalid interpolation format in \"echo ${}\"; you may need to escape any $ with another $");
    }

    @Test
    void aValueFromAVariableIsNeverShown() {
      assertThat(
              project(
                      "services:\n  web:\n    image: nginx\n    deploy:\n      replicas: ${REPLICAS}\n")
                  .env("REPLICAS", "very-secret-value")
                  .problem())
          .isEqualTo(
              "compose.yml:5:17: services.web.deploy.replicas: must be an integer, not '${REPLICAS}'");
    }
  }

  @Nested
  @DisplayName("secrets, configs and env files")
  class Files {

    @Test
    void missingFilesAreNamedAndMissingVariablesToo() {
      assertThat(
              project(
                      """
                      services:
                        web:
                          image: nginx
                          env_file: [missing.env]
                      secrets:
                        key:
                          file: ./secrets/key.pem
                        token:
                          environment: API_TOKEN
                      configs:
                        conf:
                          file: conf/missing.conf
                        empty:
                          labels: {a: b}
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:4:16: services.web.env_file[0]: env file "
                  + dir.resolve("missing.env")
                  + " not found",
              "compose.yml:7:11: secrets.key.file: secret file "
                  + dir.resolve("secrets/key.pem")
                  + " not found",
              "compose.yml:9:18: secrets.token.environment: environment variable API_TOKEN is not set",
              "compose.yml:12:11: configs.conf.file: config file "
                  + dir.resolve("conf/missing.conf")
                  + " not found",
              "compose.yml:13:3: configs.empty: config empty needs file, environment or content unless it is external");
    }

    @Test
    void externalConflicts() {
      assertThat(
              project(
                      """
                      networks:
                        n:
                          external: true
                          driver: overlay
                          internal: false
                      secrets:
                        s:
                          external: true
                          file: ./s.txt
                      """)
                  .describedProblems())
          .containsExactly(
              "compose.yml:4:5: networks.n: conflicting parameters \"external\" and \"driver\" specified",
              "compose.yml:9:5: secrets.s: conflicting parameters \"external\" and \"file\" specified");
    }
  }

  @Test
  @DisplayName("problems of several kinds and places come together, in file order")
  void severalProblemsTogether() {
    assertThat(
            project(
                    """
                    name: shop
                    services:
                      web:
                        image: nginx
                        ports: ["99999:80"]
                        networks: [missing]
                      api:
                        imgae: api
                        stop_grace_period: soon
                      worker:
                        image: worker
                        depends_on: [ghost]
                    volumez:
                      data:
                    """)
                .describedProblems())
        .containsExactly(
            "compose.yml:5:13: services.web.ports[0]: invalid published port in '99999:80': ports must be 1-65535",
            "compose.yml:6:16: services.web.networks[0]: service \"web\" refers to undefined network \"missing\"",
            "compose.yml:7:3: services.api: service \"api\" has neither an image nor a build context specified",
            "compose.yml:8:5: services.api.imgae: additional properties 'imgae' not allowed (did you mean 'image'?)",
            "compose.yml:9:24: services.api.stop_grace_period: invalid duration 'soon' (expected a duration such as 10s, 1m30s or 500ms)",
            "compose.yml:12:18: services.worker.depends_on[0]: service \"worker\" depends on undefined service \"ghost\"",
            "compose.yml:13:1: volumez: additional properties 'volumez' not allowed (did you mean 'volumes'?)");
  }
}
