package io.stackwright.it.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.FileContent;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.core.Orchestrator;
import io.stackwright.swarm.SwarmPlatform;
import io.stackwright.testing.SecretGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RotationUnderLoadContract} on Swarm: each rotation is a new, hash-suffixed secret and a
 * start-first service update; the version the services' previous spec uses (Swarm's rollback)
 * stays, the one before is pruned. With more versions kept (a platform property), the newest stay.
 */
class SwarmRotationIT extends RotationUnderLoadContract {
  @Override
  String platform() {
    return "swarm";
  }

  @Override
  String replicasDnsName() {
    return "web";
  }

  @Override
  void assertVersionsAfterTwoRotations(List<String> secrets) {
    // the first version (the base name) is pruned; the second (kept for rollback) and the third
    assertThat(secrets).hasSize(2).noneMatch(s -> s.endsWith("_token"));
  }

  @Test
  void theNumberOfEarlierVersionsKeptIsAPlatformProperty(@TempDir Path files) throws Exception {
    String name = "rotk" + Long.toString(System.nanoTime() % 1_000_000, 36);
    DeployOptions options = DeployOptions.waitingUpTo(Duration.ofMinutes(2));
    try (Orchestrator kept2 =
        Orchestrator.builder()
            .platform("swarm")
            .property(SwarmPlatform.VERSIONS_KEPT, "2")
            .build()) {
      try {
        DeploymentResult first =
            kept2.deploy(tokenStack(name, files, "v1"), options).await(Duration.ofMinutes(3));
        assertThat(first.outcome()).as(first.message()).isEqualTo(Outcome.SUCCEEDED);
        for (String version : List.of("v2", "v3", "v4")) {
          DeploymentResult rotated =
              kept2
                  .stack(name)
                  .rotateSecret("token", token(files, version), options)
                  .await(Duration.ofMinutes(3));
          assertThat(rotated.outcome()).as(rotated.message()).isEqualTo(Outcome.SUCCEEDED);
        }
        // one, two, three, four written: the current one and the two before it stay
        List<String> secrets = kept2.status(name).secrets();
        assertThat(secrets).as(secrets.toString()).hasSize(3).noneMatch(s -> s.endsWith("_token"));
      } finally {
        kept2.remove(name, RemoveOptions.withVolumes());
      }
    }
  }

  private static StackSpec tokenStack(String name, Path files, String version) throws Exception {
    return StackSpec.builder(name)
        .secret(SecretSpec.of("token", token(files, version)))
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .secret("token")
                .stopGracePeriod(Duration.ofSeconds(1))
                .build())
        .build();
  }

  /** A file {@code version} holding a fresh secret value. */
  private static FileContent token(Path files, String version) throws Exception {
    Path file = files.resolve(version);
    Files.writeString(file, SecretGuard.secret("versions-kept-" + version), StandardCharsets.UTF_8);
    return FileContent.secret(Files.readAllBytes(file)).withOrigin(FileContent.Origin.file(file));
  }
}
