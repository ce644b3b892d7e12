package io.stackwright.it.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.cli.StackwrightCli;
import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import io.stackwright.testing.SecretGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secret rotate} in a CLI process other than the one that deployed: the stack's accepted
 * spec is rebuilt from the shared store (its secrets read again from their files), the secret
 * rotates, and bad input exits 2 having written nothing.
 */
class RotateCliIT {
  private static final String STACK = "rotcli" + Long.toString(System.nanoTime() % 100_000, 36);

  @AfterEach
  void removeStack() {
    Shell.cli("remove", "--platform", "compose", "-p", STACK);
  }

  @Test
  void aSecretRotatesFromAFileAndBadInputWritesNothing(@TempDir Path dir) throws Exception {
    String one = SecretGuard.secret("cli-rotate-v1");
    String two = SecretGuard.secret("cli-rotate-v2");
    Files.writeString(dir.resolve("token.txt"), one);
    Files.writeString(dir.resolve("app.conf"), "conf-one");
    Path compose = dir.resolve("compose.yaml");
    Files.writeString(
        compose,
        """
        services:
          web:
            image: stackwright/workload:test
            secrets: [token]
            configs: [{source: conf, target: /app.conf}]
            healthcheck:
              test: ["CMD", "/server", "--probe"]
              interval: 500ms
              timeout: 2s
              retries: 2
            stop_grace_period: 1s
            deploy:
              replicas: 2
        secrets:
          token: {file: ./token.txt}
        configs:
          conf: {file: ./app.conf}
        """);
    Result deploy =
        Shell.cli("deploy", "--platform", "compose", "-f", compose.toString(), "-p", STACK);
    assertThat(deploy.exitCode()).as(deploy.all()).isZero();
    assertThat(tokens()).containsOnly(SecretGuard.describe(one));

    Path fresh = dir.resolve("token-2.txt");
    Files.writeString(fresh, two);
    Result rotate =
        Shell.cli(
            "secret",
            "rotate",
            "--platform",
            "compose",
            "-p",
            STACK,
            "token",
            "--file",
            fresh.toString(),
            "--json");
    assertThat(rotate.exitCode()).as(rotate.all()).isZero();
    JsonNode json = new ObjectMapper().readTree(rotate.out());
    assertThat(json.path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(json.path("secret").asText()).isEqualTo("token");
    assertThat(json.path("services").toString()).isEqualTo("[\"web\"]");
    assertThat(rotate.all()).doesNotContain(two);
    assertThat(tokens()).containsOnly(SecretGuard.describe(two));

    Result jobs = Shell.cli("jobs", "list", "--platform", "compose", "-p", STACK, "--json");
    assertThat(jobs.out()).contains("rotate");

    Result unknown =
        Shell.cli(
            "secret",
            "rotate",
            "--platform",
            "compose",
            "-p",
            STACK,
            "tokn",
            "--file",
            fresh.toString());
    assertThat(unknown.exitCode()).as(unknown.all()).isEqualTo(StackwrightCli.INVALID);
    assertThat(unknown.err()).contains("secrets.tokn").contains("[token]");
    Result unknownConfig =
        Shell.cli(
            "config",
            "rotate",
            "--platform",
            "compose",
            "-p",
            STACK,
            "token",
            "--file",
            fresh.toString());
    assertThat(unknownConfig.exitCode()).as(unknownConfig.all()).isEqualTo(StackwrightCli.INVALID);
    assertThat(unknownConfig.err()).contains("configs.token").contains("[conf]");
    Result missing =
        Shell.cli(
            "secret",
            "rotate",
            "--platform",
            "compose",
            "-p",
            STACK,
            "token",
            "--file",
            dir.resolve("nope.txt").toString());
    assertThat(missing.exitCode()).as(missing.all()).isEqualTo(StackwrightCli.INVALID);
    assertThat(tokens()).as("nothing was written").containsOnly(SecretGuard.describe(two));
  }

  /** Which secret each container of web reads ({@link SecretGuard#describe}). */
  private static List<String> tokens() {
    List<String> ids =
        Shell.docker(
                "ps",
                "-q",
                "--filter",
                "label=com.docker.compose.project=" + STACK,
                "--filter",
                "label=com.docker.compose.service=web")
            .out()
            .lines()
            .filter(l -> !l.isBlank())
            .toList();
    assertThat(ids).hasSize(2);
    return ids.stream()
        .map(id -> SecretGuard.describe(Shell.readInContainer(id, "/run/secrets/token")))
        .toList();
  }
}
