package io.stackwright.it.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.FileContent;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.store.AuditEntry;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import io.stackwright.it.rollout.HaproxyProxy;
import io.stackwright.it.rollout.LoadGenerator;
import io.stackwright.testing.SecretGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret rotated twice under 40 requests/s through HAProxy: no request fails, every replica reads
 * the new content, each rotation is the stack's new desired revision, and the versions no service
 * references are gone. The service declares the default stop-first order: the rotation rolls it
 * start-first anyway.
 */
abstract class RotationUnderLoadContract {
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofMinutes(2));
  private static final int RATE = 40;

  @TempDir Path dir;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private Orchestrator orchestrator;
  private String stack;

  @BeforeEach
  void start() {
    orchestrator = Orchestrator.builder().platform(platform()).build();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : cleanup) {
      resource.close();
    }
    if (stack != null) {
      orchestrator.remove(stack, RemoveOptions.withVolumes());
    }
    orchestrator.close();
  }

  abstract String platform();

  /** The DNS name under which the replicas of service {@code web} are found on its network. */
  abstract String replicasDnsName();

  /**
   * The secret objects the stack holds after the second rotation, given the names of the three
   * versions' objects as this platform would name them (the first one's base name first).
   */
  abstract void assertVersionsAfterTwoRotations(List<String> secrets);

  private FileContent secretFile(String name, String value) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, value, StandardCharsets.UTF_8);
    return FileContent.secret(Files.readAllBytes(file)).withOrigin(FileContent.Origin.file(file));
  }

  private StackSpec stack(FileContent token) {
    return StackSpec.builder(stack)
        .network(
            new NetworkSpec("net", null, null, Map.of(), true, false, false, List.of(), Map.of()))
        .secret(SecretSpec.of("token", token))
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .replicas(2)
                .network("net")
                .secret("token")
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .healthcheck(
                    HealthcheckSpec.cmd("/server", "--probe")
                        .withTimings(Duration.ofMillis(500), Duration.ofSeconds(2), null, 2))
                .stopGracePeriod(Duration.ofSeconds(2))
                // stop-first, as declared by default: the rotation must roll it start-first
                .updatePolicy(
                    new UpdatePolicy(
                        1,
                        Duration.ofMillis(500),
                        UpdatePolicy.FailureAction.PAUSE,
                        Duration.ofSeconds(3),
                        0,
                        UpdatePolicy.Order.STOP_FIRST))
                .build())
        .build();
  }

  @Test
  void aSecretRotatedTwiceUnderLoadFailsNoRequestAndPrunesTheOldVersion() throws Exception {
    stack = "rot" + platform().charAt(0) + Long.toString(System.nanoTime() % 1_000_000, 36);
    String initial = SecretGuard.secret("rotation-v1");
    List<String> rotatedTo =
        List.of(SecretGuard.secret("rotation-v2"), SecretGuard.secret("rotation-v3"));
    DeploymentResult first =
        orchestrator.deploy(stack(secretFile("v1", initial)), OPTIONS).await(Duration.ofMinutes(3));
    assertThat(first.outcome()).as(first.message()).isEqualTo(Outcome.SUCCEEDED);
    long revision = orchestrator.stack(stack).desired().orElseThrow().revision();
    assertThat(readTokens()).containsOnly(SecretGuard.describe(initial));

    HaproxyProxy proxy = HaproxyProxy.start(stack + "-haproxy", stack + "_net", replicasDnsName());
    cleanup.add(0, proxy);
    LoadGenerator load = LoadGenerator.start(proxy.uri("/"), RATE);
    cleanup.add(0, load);
    Instant since = Instant.now();

    List<String> figures = new ArrayList<>();
    for (String value : rotatedTo) {
      LoadGenerator.Stats before = load.stats();
      Deployment rotation =
          orchestrator
              .stack(stack)
              .rotateSecret("token", secretFile("v" + (figures.size() + 2), value), OPTIONS);
      DeploymentResult result = rotation.await(Duration.ofMinutes(3));
      LoadGenerator.Stats after = load.stats();
      assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
      figures.add(
          String.format(
              "rotation to v%d: duration=%d ms, sent=%d failed=%d",
              figures.size() + 2,
              result.elapsed().toMillis(),
              after.sent() - before.sent(),
              after.failed() - before.failed()));
      assertThat(readTokens())
          .as("every replica reads the new content")
          .containsOnly(SecretGuard.describe(value));

      OrchestratorEvent rotated =
          rotation.events().stream()
              .filter(e -> e.type() == EventType.CONTENT_ROTATED)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no rotation event: " + rotation.events()));
      EventDetail.ContentRotated detail = (EventDetail.ContentRotated) rotated.detail();
      assertThat(detail.kind()).isEqualTo(EventDetail.Resource.SECRET);
      assertThat(detail.key()).isEqualTo("token");
      assertThat(detail.services()).containsExactly("web");
      assertThat(detail.revision()).isEqualTo(++revision);
      assertThat(rotation.events()).noneMatch(e -> e.toString().contains(value));
      // the rotation is the accepted desired state: a reconcile would keep it
      assertThat(orchestrator.stack(stack).desired().orElseThrow().revision()).isEqualTo(revision);
    }
    sleep(Duration.ofSeconds(2));
    LoadGenerator.Stats stats = load.stop();
    System.out.printf("BENCH %s rotate: %s; overall %s%n", platform(), figures, stats);
    assertThat(stats.failed()).as(stats.toString()).isZero();
    assertThat(stats.sent()).isGreaterThan(100);

    assertVersionsAfterTwoRotations(orchestrator.status(stack).secrets());
    List<AuditEntry> history =
        orchestrator.stack(stack).history(since.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(history)
        .filteredOn(e -> "rotate".equals(e.jobKind()))
        .hasSize(2)
        .allMatch(e -> e.outcome().equals("succeeded"))
        .noneMatch(e -> rotatedTo.stream().anyMatch(e.summary()::contains));
  }

  /**
   * Which secret each running replica of web reads ({@link SecretGuard#describe}: a failing
   * assertion names the secret, never prints it).
   */
  private List<String> readTokens() {
    List<String> read = new ArrayList<>();
    for (TaskState task : orchestrator.status(stack).service("web").orElseThrow().currentTasks()) {
      read.add(
          SecretGuard.describe(Shell.readInContainer(task.containerId(), "/run/secrets/token")));
    }
    assertThat(read).hasSize(2);
    return read;
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
