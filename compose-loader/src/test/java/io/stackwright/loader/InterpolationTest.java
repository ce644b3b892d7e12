package io.stackwright.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.loader.internal.ProjectLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Variable substitution as the loader applies it to a whole project. */
class InterpolationTest {
  @TempDir Path dir;

  @Test
  @DisplayName("every string value is interpolated, keys are not, and numbers follow")
  void valuesNotKeys() {
    ServiceSpec app =
        TestProject.in(dir)
            .file(
                "compose.yml",
                """
                services:
                  app:
                    image: ${REGISTRY:-docker.io}/app:${TAG:?TAG is needed}
                    ports: ["${PORT}:80"]
                    environment:
                      $KEY: ${VALUE-unset}
                      ALT: ${TAG:+tagged}
                    deploy:
                      replicas: ${REPLICAS}
                    stop_grace_period: ${GRACE:-1m}
                    read_only: ${RO}
                    x-meta:
                      built-from: $${NOT_A_VARIABLE}
                """)
            .env("TAG", "1.2")
            .env("PORT", "8080")
            .env("REPLICAS", "3")
            .env("RO", "true")
            .service();
    assertThat(app.image()).isEqualTo("docker.io/app:1.2");
    assertThat(app.ports())
        .containsExactly(new PortSpec(80, 8080, "tcp", PortSpec.PublishMode.INGRESS, null));
    assertThat(app.environment())
        .containsExactly(Map.entry("$KEY", "unset"), Map.entry("ALT", "tagged"));
    assertThat(app.replicas()).isEqualTo(3);
    assertThat(app.stopGracePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(app.readOnly()).isTrue();
    assertThat(app.extensions()).containsEntry("x-meta", Map.of("built-from", "${NOT_A_VARIABLE}"));
  }

  @Test
  @DisplayName("an unset variable is an empty string and one warning, wherever it is used")
  void unsetVariablesWarnOnce() {
    TestProject project =
        TestProject.in(dir)
            .file(
                "compose.yml",
                """
                services:
                  app:
                    image: app${SUFFIX}
                    hostname: host${SUFFIX}
                """);
    ProjectLoader.Result result = project.result();
    assertThat(result.stack().service("app").image()).isEqualTo("app");
    assertThat(result.warnings())
        .containsExactly(
            dir.resolve("compose.yml")
                + ":3:12: services.app.image: the \"SUFFIX\" variable is not set. Defaulting to a blank string.");
  }

  @Test
  @DisplayName("a later file can use what the environment gives, and a .env in the working dir")
  void severalFilesShareTheEnvironment() {
    TestProject project = TestProject.in(dir);
    project.write(".env", "TAG=from-dotenv\n");
    StackSpec stack =
        project
            .file("a.yml", "services:\n  app:\n    image: app:${TAG}\n")
            .file("b.yml", "services:\n  app:\n    hostname: ${HOST}-${TAG}\n")
            .env("HOST", "h")
            .load();
    assertThat(stack.service("app").image()).isEqualTo("app:from-dotenv");
    assertThat(stack.service("app").hostname()).isEqualTo("h-from-dotenv");
  }

  @Test
  @DisplayName("the values of variables and secrets appear in no log line and no problem")
  void valuesAreNeverShown() {
    String secret = "pa55-w0rd-xyz";
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ProjectLoader.Result result;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      result =
          TestProject.in(dir)
              .file(
                  "compose.yml",
                  """
                  services:
                    app:
                      image: app
                      environment:
                        - DB_PASSWORD
                      ports: ["${DB_PASSWORD}:80"]
                      deploy:
                        replicas: ${DB_PASSWORD}
                      stop_grace_period: ${DB_PASSWORD}
                      hostname: ${UNSET_ONE}
                  secrets:
                    db:
                      environment: DB_PASSWORD
                  """)
              .env("DB_PASSWORD", secret)
              .result();
    } finally {
      System.setErr(originalErr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    // the build logs the loader at ERROR only (see the pom): the warning is in the result
    assertThat(result.warnings()).anyMatch(w -> w.contains("UNSET_ONE"));
    assertThat(result.problems()).hasSize(3);
    assertThat(result.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain(secret));
    assertThat(result.problems().toString()).contains("'${DB_PASSWORD}:80'", "'${DB_PASSWORD}'");
    assertThat(result.warnings()).allSatisfy(w -> assertThat(w).doesNotContain(secret));
    assertThat(log).doesNotContain(secret);
  }
}
