package io.stackwright.it.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.RecoveryPolicy;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.health.HealthWatch;
import io.stackwright.core.health.WebhookAlertSink;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.core.state.FileStateStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health monitor against a real engine, with the test workload: the same contract on every
 * platform. Subclasses choose the platform and how a service is declared there.
 */
abstract class HealthMonitoringContract {
  static final String IMAGE = "stackwright/workload:test";
  static final Duration PERIOD = Duration.ofSeconds(1);
  static final int THRESHOLD = 3;
  private static final byte[] SECRET = "test-signing-key".getBytes(StandardCharsets.UTF_8);

  final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  final List<String> webhookBodies = new CopyOnWriteArrayList<>();
  final List<String> webhookSignatures = new CopyOnWriteArrayList<>();
  final InMemoryMetrics metrics = new InMemoryMetrics();
  final List<String> stacks = new ArrayList<>();
  Orchestrator orchestrator;
  HttpServer webhook;
  Path stateDir;

  abstract String platform();

  abstract ServiceSpec.Builder service(String name);

  @BeforeEach
  void start() throws IOException {
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/alerts",
        exchange -> {
          webhookBodies.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          webhookSignatures.add(
              exchange.getRequestHeaders().getFirst(WebhookAlertSink.SIGNATURE_HEADER));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    webhook.start();
    stateDir = Files.createTempDirectory("health-it-state");
    orchestrator =
        Orchestrator.builder()
            .platform(platform())
            .listener(events::add)
            .metrics(metrics)
            .stateStore(new FileStateStore(stateDir))
            .alertSink(
                WebhookAlertSink.builder(
                        URI.create(
                            "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts"))
                    .signingSecret(SECRET)
                    .retries(2, Duration.ofMillis(100))
                    .build())
            .build();
  }

  @AfterEach
  void stop() {
    try {
      for (String stack : stacks) {
        orchestrator.remove(stack, RemoveOptions.withVolumes());
      }
    } finally {
      orchestrator.close();
      webhook.stop(0);
    }
  }

  String stackName(String what) {
    String name =
        "hlth-"
            + platform().charAt(0)
            + what
            + "-"
            + Long.toString(System.nanoTime() % 100_000, 36);
    stacks.add(name);
    return name;
  }

  StackSpec deploy(String name, ServiceSpec service, boolean wait) {
    StackSpec stack = StackSpec.builder(name).service(service).build();
    DeploymentResult result =
        orchestrator
            .deploy(
                stack,
                wait ? DeployOptions.waitingUpTo(Duration.ofMinutes(2)) : DeployOptions.noWait())
            .await(Duration.ofMinutes(3));
    assertThat(result.succeeded()).as(result.message()).isTrue();
    return stack;
  }

  static ProbeSpec.Builder http(String path) {
    return ProbeSpec.http(8080, path)
        .period(PERIOD)
        .timeout(Duration.ofSeconds(1))
        .failureThreshold(THRESHOLD);
  }

  static ReplicaHealth awaitOneProbedReplica(HealthWatch watch) {
    return await("a probed replica")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                watch.replicas().stream()
                    .filter(r -> r.lastProbeAt() != null && r.address() != null)
                    .toList(),
            l -> l.size() == 1)
        .get(0);
  }

  static void post(ReplicaHealth replica, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + replica.address() + ":8080" + path))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isLessThan(300);
  }

  List<OrchestratorEvent> of(EventType type, String replicaId) {
    return events.stream()
        .filter(e -> e.type() == type)
        .filter(
            e ->
                replicaId == null
                    || replicaId.equals(e.attributes().get("replica"))
                    || replicaId.equals(e.attributes().get("oldReplica")))
        .toList();
  }

  @Test
  void aReplicaWhoseHealthStartsFailingIsReplacedWithinThresholdTimesPeriodPlusFiveSeconds()
      throws Exception {
    StackSpec stack =
        deploy(
            stackName("live"),
            service("web").health(HealthPolicy.builder().liveness(http("/health")).build()).build(),
            true);
    try (HealthWatch watch = orchestrator.monitor(stack)) {
      ReplicaHealth replica = awaitOneProbedReplica(watch);
      post(replica, "/admin/health/fail");

      OrchestratorEvent replaced =
          await("the replica is replaced")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> of(EventType.REPLICA_REPLACED, replica.replicaId()), l -> !l.isEmpty())
              .get(0);
      OrchestratorEvent firstFailure = of(EventType.PROBE_FAILED, replica.replicaId()).get(0);
      Duration took = Duration.between(firstFailure.timestamp(), replaced.timestamp());
      System.out.printf(
          "[health-it] %s: first failed probe -> replaced in %d ms (bound %d ms)%n",
          platform(), took.toMillis(), PERIOD.multipliedBy(THRESHOLD).plusSeconds(5).toMillis());
      assertThat(took).isLessThanOrEqualTo(PERIOD.multipliedBy(THRESHOLD).plusSeconds(5));

      // the new replica is probed and passes
      await("the new replica is live")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  watch.replicas().stream()
                      .anyMatch(
                          r ->
                              !r.replicaId().equals(replica.replicaId())
                                  && r.lastProbeAt() != null
                                  && r.live()));
      assertThat(metrics.counter("stackwright.replica.replacements", Map.of("stack", stack.name())))
          .isEqualTo(1);
    }
  }

  @Test
  void aReadinessFailureMarksTheReplicaUnreadyWithoutReplacingIt() throws Exception {
    StackSpec stack =
        deploy(
            stackName("ready"),
            service("web")
                .health(
                    HealthPolicy.builder()
                        .liveness(ProbeSpec.tcp(8080).period(PERIOD).failureThreshold(THRESHOLD))
                        .readiness(http("/health").failureThreshold(2))
                        .build())
                .build(),
            true);
    try (HealthWatch watch = orchestrator.monitor(stack)) {
      ReplicaHealth replica = awaitOneProbedReplica(watch);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !of(EventType.REPLICA_READY, replica.replicaId()).isEmpty());

      post(replica, "/admin/health/fail");
      await("unready")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !of(EventType.REPLICA_UNREADY, replica.replicaId()).isEmpty());
      Thread.sleep(
          PERIOD.multipliedBy(THRESHOLD + 2).toMillis()); // long enough for a liveness verdict
      assertThat(watch.replicas())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.replicaId()).isEqualTo(replica.replicaId());
                assertThat(r.ready()).isFalse();
                assertThat(r.live()).isTrue();
              });
      assertThat(of(EventType.REPLICA_REPLACED, null)).isEmpty();

      post(replica, "/admin/health/ok");
      await("ready again")
          .atMost(Duration.ofSeconds(30))
          .until(() -> watch.replicas().get(0).ready());
      assertThat(of(EventType.REPLICA_READY, replica.replicaId())).hasSize(2);
    }
  }

  @Test
  void aStartupProbeHoldsLivenessUntilTheAppIsUp() {
    StackSpec stack =
        deploy(
            stackName("start"),
            service("web")
                .env("STARTUP_DELAY_MS", "8000")
                .health(
                    HealthPolicy.builder()
                        .startup(http("/health").failureThreshold(30))
                        .liveness(http("/health").failureThreshold(2))
                        .build())
                .build(),
            false);
    try (HealthWatch watch = orchestrator.monitor(stack)) {
      ReplicaHealth replica = awaitOneProbedReplica(watch);
      assertThat(replica.started()).isFalse();
      ReplicaHealth started =
          await("started")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> watch.replicas().get(0), ReplicaHealth::started);
      assertThat(started.replicaId()).isEqualTo(replica.replicaId());
      assertThat(started.live()).isTrue();
      assertThat(of(EventType.PROBE_FAILED, replica.replicaId()))
          .as("the startup probe failed while the app started, and liveness never did")
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.attributes().get("tier")).isEqualTo("STARTUP"));
      assertThat(of(EventType.REPLICA_REPLACED, null)).isEmpty();
    }
  }

  @Test
  void aContainerThatCrashesAtStartIsBackedOffAndAlertedNotRestartedInATightLoop() {
    StackSpec stack =
        deploy(
            stackName("crash"),
            service("web")
                .entrypoint(List.of("/bin/sh", "-c", "sleep 1; exit 3"))
                .restartPolicy(
                    new RestartPolicy(
                        RestartPolicy.Condition.ANY, Duration.ofSeconds(2), null, null))
                .health(
                    HealthPolicy.builder()
                        .liveness(ProbeSpec.tcp(8080).period(PERIOD))
                        .recovery(
                            RecoveryPolicy.builder().crashLoop(3, Duration.ofMinutes(5)).build())
                        .build())
                .build(),
            false);
    long started = System.nanoTime();
    try (HealthWatch watch = orchestrator.monitor(stack)) {
      OrchestratorEvent loop =
          await("crash loop detected")
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> of(EventType.CRASH_LOOP, null), l -> !l.isEmpty())
              .get(0);
      await("alert delivered").atMost(Duration.ofSeconds(30)).until(() -> !webhookBodies.isEmpty());
      Duration observed = Duration.ofNanos(System.nanoTime() - started);
      long crashes =
          (long) metrics.counter("stackwright.replica.crashes", Map.of("stack", stack.name()));
      System.out.printf(
          "[health-it] %s: crash loop detected after %d ms, %d crashes counted, alert %s%n",
          platform(), observed.toMillis(), crashes, webhookBodies.get(0));
      assertThat(loop.subject()).isEqualTo("web");
      assertThat(watch.crashLoops()).containsExactly("web");
      // The loop's 3 failures (the alert below says so) are the platform's crashes and the
      // liveness failures together; which of the two saw a crash first is timing, so at least
      // one crash was reported by the platform.
      // a tight loop restarts many times a second; backed off, a few times in this span
      assertThat(crashes).isBetween(1L, observed.toSeconds() + 3);
      assertThat(webhookBodies.get(0)).contains("\"failures\":\"3\"");
      String body = webhookBodies.get(0);
      assertThat(body)
          .contains(
              "\"kind\":\"crash_loop\"",
              "\"stack\":\"" + stack.name() + "\"",
              "\"service\":\"web\"");
      assertThat(webhookSignatures.get(0))
          .isEqualTo(
              "sha256=" + WebhookAlertSink.sign(SECRET, body.getBytes(StandardCharsets.UTF_8)));
      assertThat(body).doesNotContain("test-signing-key");
      // the sink reports delivery once the webhook answered
      await("ALERT_SENT")
          .atMost(Duration.ofSeconds(10))
          .until(() -> !of(EventType.ALERT_SENT, null).isEmpty());
    }
  }
}
