package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import io.stackwright.testing.SecretGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against the real Swarm, from the shell: the acceptance of the foundation issue.
 */
class StackwrightCliIT {
  private static final String STACK = "swcli";
  private static final String SECRET_TEXT = "correct-horse-battery-staple";

  static {
    SecretGuard.register("cli-db-password", SECRET_TEXT);
  }

  private static final Path STACKS = Path.of("src", "test", "resources", "stacks");

  @AfterEach
  void removeStack() {
    Shell.cli("remove", "-p", STACK);
  }

  @Test
  void deploysRedeploysUpdatesAndRemovesAThreeServiceStack(@TempDir Path dir) throws IOException {
    String file = STACKS.resolve("three-services.yml").toString();

    Result deployed = Shell.cli("deploy", "-f", file, "-p", STACK, "--timeout", "180s");
    assertThat(deployed.exitCode()).as(deployed.all()).isZero();
    assertThat(deployed.out()).contains("SUCCEEDED").contains("SERVICE_CONVERGED");
    assertThat(Shell.docker("stack", "ls").out()).contains(STACK);
    assertThat(
            Shell.docker("stack", "services", STACK, "--format", "{{.Name}} {{.Replicas}}").out())
        .contains(STACK + "_web 2/2", STACK + "_api 1/1", STACK + "_worker 1/1");
    assertThat(Shell.docker("stack", "ps", STACK, "--format", "{{.CurrentState}}").out())
        .contains("Running");
    assertThat(Shell.stackResources("network", STACK)).containsExactly(STACK + "_backend");
    assertThat(Shell.stackResources("secret", STACK)).containsExactly(STACK + "_db_password");
    assertThat(Shell.stackResources("config", STACK)).containsExactly(STACK + "_api_config");

    Map<String, String> versions = serviceVersions();
    Result plan = Shell.cli("plan", "-f", file, "-p", STACK, "--json");
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    assertThat(plan.out()).contains("\"empty\" : true");
    Result redeployed = Shell.cli("deploy", "-f", file, "-p", STACK, "--json");
    assertThat(redeployed.exitCode()).as(redeployed.all()).isZero();
    assertThat(serviceVersions()).as("an unchanged redeploy writes nothing").isEqualTo(versions);

    Path override = dir.resolve("override.yml");
    Files.writeString(override, "services:\n  web:\n    environment:\n      ROLE: web-v2\n");
    Result changedPlan =
        Shell.cli("plan", "-f", file, "-f", override.toString(), "-p", STACK, "--json");
    assertThat(changedPlan.out())
        .contains("\"action\" : \"update\"", "\"key\" : \"web\"")
        .doesNotContain("\"key\" : \"api\"", "\"key\" : \"worker\"");
    Result updated =
        Shell.cli(
            "deploy", "-f", file, "-f", override.toString(), "-p", STACK, "--timeout", "180s");
    assertThat(updated.exitCode()).as(updated.all()).isZero();
    Map<String, String> after = serviceVersions();
    assertThat(after.get("web")).isNotEqualTo(versions.get("web"));
    assertThat(after.get("api")).isEqualTo(versions.get("api"));
    assertThat(after.get("worker")).isEqualTo(versions.get("worker"));

    Result status = Shell.cli("status", "-p", STACK);
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("web", "2/2", "api", "1/1", "worker");

    Result removed = Shell.cli("remove", "-p", STACK);
    assertThat(removed.exitCode()).as(removed.all()).isZero();
    assertThat(Shell.stackResources("service", STACK)).isEmpty();
    assertThat(Shell.stackResources("network", STACK)).isEmpty();
    assertThat(Shell.stackResources("secret", STACK)).isEmpty();
    assertThat(Shell.stackResources("config", STACK)).isEmpty();

    for (Result result : new Result[] {deployed, plan, redeployed, changedPlan, updated, status}) {
      assertThat(result.all()).doesNotContain(SECRET_TEXT);
    }
  }

  @Test
  void anInvalidComposeFileExitsWith2AndCreatesNothing() {
    Result result =
        Shell.cli("deploy", "-f", STACKS.resolve("invalid.yml").toString(), "-p", STACK);

    assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
    assertThat(result.err())
        .contains("invalid.yml:")
        .contains("nowhere")
        .contains("70000")
        .contains("imgae")
        .doesNotContain("Exception", "\tat ");
    assertThat(Shell.stackResources("service", STACK)).isEmpty();
    assertThat(Shell.stackResources("network", STACK)).isEmpty();
  }

  @Test
  void aBrokenImageFailsTheDeployWithTheEnginesError() {
    Result result =
        Shell.cli(
            "deploy",
            "-f",
            STACKS.resolve("broken-image.yml").toString(),
            "-p",
            STACK,
            "--timeout",
            "120s");

    assertThat(result.exitCode()).as(result.all()).isEqualTo(1);
    assertThat(result.out()).contains("FAILED").containsIgnoringCase("no such image");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(Shell.cli("deploy").exitCode()).isEqualTo(2);
    assertThat(Shell.cli("frobnicate").exitCode()).isEqualTo(2);
  }

  private static Map<String, String> serviceVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String service : new String[] {"web", "api", "worker"}) {
      versions.put(
          service,
          Shell.docker(
                  "service", "inspect", STACK + "_" + service, "--format", "{{.Version.Index}}")
              .out()
              .trim());
    }
    return versions;
  }
}
