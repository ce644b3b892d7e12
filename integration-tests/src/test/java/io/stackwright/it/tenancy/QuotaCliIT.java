package io.stackwright.it.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stackwright quota}: a tenant's quota set and its use shown from the shared store. */
class QuotaCliIT {
  @TempDir Path store;

  private Shell.Result cli(String... args) {
    return Shell.run(Shell.cliCommand(List.of("-Dstackwright.store.dir=" + store), args));
  }

  @Test
  @DisplayName("quota set writes the tenant's quota; quota show lists its use by resource")
  void setAndShow() {
    Shell.Result set =
        cli("quota", "set", "swt-cli", "--limit", "replicas=3", "--limit", "memory-limits=1g");
    assertThat(set.out()).as(set.toString()).contains("tenant swt-cli", "replicas", "1024 MiB");

    String stack = "swt-cli-shop";
    try (Orchestrator orchestrator =
        Orchestrator.builder()
            .platform("compose")
            .storeDirectory(store)
            .tenant(
                io.stackwright.api.tenancy.Tenant.builder("swt-cli")
                    .quota(io.stackwright.api.tenancy.TenantQuota.builder().replicas(3).build())
                    .build())
            .build()) {
      DeploymentResult result =
          orchestrator
              .tenant("swt-cli")
              .stack(stack)
              .deploy(Tenancy.oneReplica(stack), DeployOptions.waitingUpTo(Duration.ofMinutes(2)))
              .await(Duration.ofMinutes(3));
      assertThat(result.succeeded()).as(result.message()).isTrue();
    }
    Shell.Result show = cli("quota", "show", "swt-cli", "--json");
    assertThat(show.out())
        .as(show.toString())
        .contains("\"tenant\" : \"swt-cli\"")
        .contains("\"stacks\" : [ \"" + stack + "\" ]")
        .containsPattern(
            "\"replicas\" : \\{\\s*\"used\" : 1,\\s*\"reserved\" : 0,\\s*\"quota\" : 3");
    try (Orchestrator orchestrator =
        Orchestrator.builder().platform("compose").storeDirectory(store).build()) {
      orchestrator.remove(stack, RemoveOptions.withVolumes());
    }
    assertThat(cli("quota", "show", "swt-cli").out()).contains("stacks: none");
  }
}
