package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Top-level networks, volumes, secrets, configs and extensions. */
class TopLevelKeysTest {
  @TempDir Path dir;

  private TestProject project(String yaml) {
    return TestProject.in(dir)
        .file("compose.yml", "services:\n  app:\n    image: busybox\n" + yaml);
  }

  @Test
  @DisplayName("networks: driver, options, flags, ipam subnets, labels, external and name")
  void networks() {
    StackSpec stack =
        project(
                """
                networks:
                  plain:
                  backend:
                    driver: overlay
                    driver_opts:
                      encrypted: "true"
                      mtu: 1400
                    attachable: true
                    internal: true
                    labels: [tier=back]
                    ipam:
                      config:
                        - subnet: 10.1.0.0/16
                        - subnet: fd00::/64
                  shared:
                    external: true
                  legacy:
                    external:
                      name: the-legacy-net
                  named:
                    name: exactly-this
                """)
            .load();
    assertThat(stack.networks())
        .containsExactly(
            Map.entry("plain", NetworkSpec.of("plain")),
            Map.entry(
                "backend",
                new NetworkSpec(
                    "backend",
                    null,
                    "overlay",
                    Map.of("encrypted", "true", "mtu", "1400"),
                    true,
                    true,
                    false,
                    List.of("10.1.0.0/16", "fd00::/64"),
                    Map.of("tier", "back"))),
            Map.entry("shared", NetworkSpec.external("shared", null)),
            Map.entry("legacy", NetworkSpec.external("legacy", "the-legacy-net")),
            Map.entry(
                "named",
                new NetworkSpec(
                    "named",
                    "exactly-this",
                    null,
                    Map.of(),
                    false,
                    false,
                    false,
                    List.of(),
                    Map.of())));
  }

  @Test
  @DisplayName("volumes: driver, options, labels, external and name")
  void volumes() {
    StackSpec stack =
        project(
                """
                volumes:
                  data:
                  tuned:
                    driver: local
                    driver_opts: {type: nfs, o: "addr=10.0.0.1,rw"}
                    labels:
                      backup: "yes"
                  existing:
                    external: true
                    name: prod-data
                """)
            .load();
    assertThat(stack.volumes())
        .containsExactly(
            Map.entry("data", VolumeSpec.of("data")),
            Map.entry(
                "tuned",
                new VolumeSpec(
                    "tuned",
                    null,
                    "local",
                    Map.of("type", "nfs", "o", "addr=10.0.0.1,rw"),
                    false,
                    Map.of("backup", "yes"))),
            Map.entry(
                "existing",
                new VolumeSpec("existing", "prod-data", null, Map.of(), true, Map.of())));
  }

  @Test
  @DisplayName("secrets: from a file (relative to the working directory), a variable, or external")
  void secrets() {
    TestProject p =
        project(
            """
            secrets:
              from_file:
                file: ./secrets/token
                labels: {rotation: weekly}
              from_env:
                environment: DB_PASSWORD
                name: db_password_v2
              existing:
                external: true
              legacy:
                external:
                  name: legacy_secret
            """);
    p.write("secrets/token", "abc\n");
    p.env("DB_PASSWORD", "hunter2");
    StackSpec stack = p.load();

    SecretSpec fromFile = stack.secrets().get("from_file");
    assertThat(fromFile.content().bytes()).asString().isEqualTo("abc\n");
    assertThat(fromFile.content().sensitive()).isTrue();
    assertThat(fromFile.labels()).containsExactly(Map.entry("rotation", "weekly"));
    assertThat(fromFile.toString()).doesNotContain("abc");
    SecretSpec fromEnv = stack.secrets().get("from_env");
    assertThat(fromEnv.content().bytes()).asString().isEqualTo("hunter2");
    assertThat(fromEnv.name()).isEqualTo("db_password_v2");
    assertThat(stack.secrets().get("existing")).isEqualTo(SecretSpec.external("existing", null));
    assertThat(stack.secrets().get("legacy"))
        .isEqualTo(SecretSpec.external("legacy", "legacy_secret"));
  }

  @Test
  @DisplayName("configs: from a file, inline content (interpolated), a variable, or external")
  void configs() {
    TestProject p =
        project(
            """
            configs:
              from_file:
                file: conf/app.conf
              inline:
                content: |
                  port=${PORT:-80}
                  user=$$USER
              from_env:
                environment: SETTINGS
              existing:
                external: true
                name: shared-config
            """);
    p.write("conf/app.conf", "a=1");
    p.env("SETTINGS", "s=1");
    StackSpec stack = p.load();

    assertThat(stack.configs().get("from_file").content().bytes()).asString().isEqualTo("a=1");
    assertThat(stack.configs().get("inline").content().bytes())
        .asString()
        .isEqualTo("port=80\nuser=$USER\n");
    assertThat(stack.configs().get("from_env").content().bytes()).asString().isEqualTo("s=1");
    assertThat(stack.configs().get("existing"))
        .isEqualTo(new ConfigSpec("existing", "shared-config", true, null, Map.of()));
  }

  @Test
  @DisplayName("x-* keys are kept as extensions, anchors and all")
  void extensions() {
    StackSpec stack =
        project(
                """
                x-defaults: &defaults
                  retries: 3
                  labels: [a, b]
                x-copy: *defaults
                """)
            .load();
    Map<String, Object> defaults = Map.of("retries", 3L, "labels", List.of("a", "b"));
    assertThat(stack.extensions())
        .containsExactly(Map.entry("x-copy", defaults), Map.entry("x-defaults", defaults));
  }

  @Test
  @DisplayName("the obsolete version key is accepted")
  void version() {
    assertThat(
            TestProject.in(dir)
                .file("compose.yml", "version: '3.8'\nservices:\n  app:\n    image: busybox\n")
                .load()
                .services())
        .containsOnlyKeys("app");
  }
}
