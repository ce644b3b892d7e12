package io.stackwright.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.Alert;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.RecoveryPolicy;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.api.spi.AlertSink;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.spi.StateStore;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.core.state.FileStateStore;
import io.stackwright.testing.InMemoryPlatform;
import io.stackwright.testing.RecordingRouter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitor against the in-memory platform, whose replicas are all reached at one real local HTTP
 * server.
 */
class HealthMonitorTest {
  private static final Duration PERIOD = Duration.ofMillis(100);

  private HttpServer server;
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();

  /** Where replicas are reached: the test's HTTP server plays the application; null for nowhere. */
  private volatile String address = "127.0.0.1";

  private final InMemoryPlatform platform =
      InMemoryPlatform.builder()
          .capabilities(Set.of(Capability.REPLACE_REPLICA, Capability.SELF_HEALING))
          .restartDelay(Duration.ZERO) // a crashed replica restarts at once, so it can crash again
          .replicaAddress(replica -> address)
          .exec(
              (stack, replica, command) ->
                  command.get(0).equals("ok")
                      ? new ExecResult(0, "", false)
                      : new ExecResult(2, "broken\n", false))
          .build();

  /** Runs {@code replicas} of web in stack hm, as the tests' stacks declare it. */
  private void run(int replicas) {
    StackSpec hm =
        StackSpec.builder("hm")
            .service(ServiceSpec.builder("web", "img").replicas(replicas).build())
            .build();
    platform.apply(hm, platform.plan(hm), event -> {});
  }

  private String firstReplica() {
    return platform.status("hm").service("web").orElseThrow().currentTasks().get(0).id();
  }

  /** The replicas the monitor had the platform replace, in order. */
  private List<String> replaced() {
    return platform.writes(InMemoryPlatform.ReplicaReplaced.class).stream()
        .map(InMemoryPlatform.ReplicaReplaced::replica)
        .toList();
  }

  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final RecordingRouter router = RecordingRouter.create();
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  @TempDir Path stateDir;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    for (String path : List.of("/live", "/ready", "/started")) {
      statuses.put(path, 200);
      server.createContext(
          path,
          exchange -> {
            int status = statuses.get(path);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
    }
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private ProbeSpec.Builder probe(String path) {
    return ProbeSpec.http(port(), path)
        .period(PERIOD)
        .timeout(Duration.ofMillis(500))
        .failureThreshold(3);
  }

  private Orchestrator orchestrator(StateStore store) {
    AlertSink sink =
        new AlertSink() {
          @Override
          public String name() {
            return "test";
          }

          @Override
          public void send(Alert alert) {
            alerts.add(alert);
          }
        };
    return Orchestrator.builder()
        .platform(platform)
        .listener(events::add)
        .alertSink(sink)
        .router(router)
        .metrics(metrics)
        .stateStore(store)
        .healthPacing(Duration.ofMillis(20), Duration.ofMillis(100))
        .build();
  }

  private static StackSpec stack(HealthPolicy policy) {
    return StackSpec.builder("hm")
        .service(ServiceSpec.builder("web", "img").health(policy).build())
        .build();
  }

  /** What the monitor told the router, as {@code service@address=ready}. */
  private List<String> readiness() {
    return router.calls(RecordingRouter.ReadinessChanged.class).stream()
        .map(r -> r.service() + "@" + r.address() + "=" + r.ready())
        .toList();
  }

  private List<EventType> types() {
    return events.stream().map(OrchestratorEvent::type).toList();
  }

  @Test
  void aReplicaFailingLivenessIsReplacedAfterTheThresholdAndTheNewOneIsProbed() {
    run(1);
    String first = firstReplica();
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch =
            orchestrator.monitor(stack(HealthPolicy.builder().liveness(probe("/live")).build()))) {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> watch.replicas().size() == 1 && watch.replicas().get(0).lastProbeAt() != null);
      assertThat(replaced()).isEmpty();

      statuses.put("/live", 500);
      await().atMost(Duration.ofSeconds(5)).until(() -> replaced().contains(first));
      statuses.put("/live", 200);

      assertThat(types()).contains(EventType.PROBE_FAILED, EventType.REPLICA_REPLACED);
      OrchestratorEvent failed =
          events.stream()
              .filter(
                  e ->
                      e.detail() instanceof EventDetail.ProbeFailed f
                          && f.failures() == f.threshold())
              .findFirst()
              .orElseThrow();
      assertThat(failed.message()).contains("failed 3 times", "HTTP 500");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  watch.replicas().size() == 1
                      && !watch.replicas().get(0).replicaId().equals(first)
                      && watch.replicas().get(0).live());
      assertThat(replaced()).containsExactly(first);
      assertThat(metrics.counter("stackwright.replica.replacements", Map.of("service", "web")))
          .isEqualTo(1);
      assertThat(metrics.counter("stackwright.probe.results", Map.of("outcome", "failed")))
          .isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aReplicaFailingReadinessTurnsUnreadyIsNotReplacedAndComesBack() {
    run(1);
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch =
            orchestrator.monitor(
                stack(
                    HealthPolicy.builder()
                        .liveness(probe("/live"))
                        .readiness(probe("/ready").successThreshold(2))
                        .build()))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> types().contains(EventType.REPLICA_READY));
      assertThat(watch.replicas().get(0).ready()).isTrue();

      statuses.put("/ready", 503);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> types().contains(EventType.REPLICA_UNREADY));
      assertThat(watch.replicas().get(0).ready()).isFalse();
      assertThat(watch.replicas().get(0).live()).isTrue();
      assertThat(readiness()).containsExactly("web@127.0.0.1=true", "web@127.0.0.1=false");

      statuses.put("/ready", 200);
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.replicas().get(0).ready());
      assertThat(replaced()).isEmpty();
      assertThat(types()).contains(EventType.PROBE_RECOVERED);
      assertThat(metrics.prometheusText())
          .contains("stackwright_replicas_ready{service=\"web\",stack=\"hm\"} 1");
      Map<String, String> web = Map.of("stack", "hm", "service", "web");
      assertThat(metrics.gauge("stackwright.replicas.desired", web)).isEqualTo(1);
      assertThat(metrics.gauge("stackwright.replicas.running", web)).isEqualTo(1);
      assertThat(metrics.gauge("stackwright.service.crash_looping", web)).isZero();
      assertThat(
              metrics.counter(
                  "stackwright.replica.readiness_changes", Map.of("direction", "unready")))
          .isEqualTo(1);
      assertThat(
              metrics.counter(
                  "stackwright.probe.results", Map.of("probe", "readiness", "outcome", "failed")))
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void theStartupProbeHoldsLivenessUntilItPasses() throws InterruptedException {
    run(1);
    statuses.put("/started", 503);
    statuses.put("/live", 500); // would get the replica replaced if liveness ran
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch =
            orchestrator.monitor(
                stack(
                    HealthPolicy.builder()
                        .startup(probe("/started").failureThreshold(1000))
                        .liveness(probe("/live"))
                        .build()))) {
      // ten startup periods: liveness must not have run
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> replaced().isEmpty());
      ReplicaHealth held = watch.replicas().get(0);
      assertThat(held.started()).isFalse();
      assertThat(held.ready()).isFalse();

      statuses.put("/live", 200);
      statuses.put("/started", 200);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> watch.replicas().get(0).started() && watch.replicas().get(0).ready());
      assertThat(replaced()).isEmpty();
    }
  }

  @Test
  void crashesBeyondTheLimitMakeACrashLoopThatAlertsOnceStopsReplacingAndSurvivesARestart() {
    run(1);
    HealthPolicy policy =
        HealthPolicy.builder()
            .liveness(probe("/live"))
            .recovery(
                RecoveryPolicy.builder()
                    .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .crashLoop(3, Duration.ofMinutes(10))
                    .build())
            .build();
    FileStateStore store = new FileStateStore(stateDir);
    try (Orchestrator orchestrator = orchestrator(store);
        HealthWatch watch = orchestrator.monitor(stack(policy))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !watch.replicas().isEmpty());
      platform.crash("hm", "web");
      platform.crash("hm", "web");
      platform.crash("hm", "web");
      await().atMost(Duration.ofSeconds(5)).until(() -> types().contains(EventType.ALERT_SENT));
      assertThat(watch.crashLoops()).containsExactly("web");
      assertThat(alerts)
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.kind()).isEqualTo("crash_loop");
                assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
                assertThat(a.details()).containsEntry("failures", "3");
              });

      // in a crash loop, a replica failing liveness is not replaced
      statuses.put("/live", 500);
      await().atMost(Duration.ofSeconds(5)).until(() -> !watch.replicas().get(0).live());
      assertThat(replaced()).isEmpty();
      Map<String, String> web = Map.of("stack", "hm", "service", "web");
      assertThat(metrics.counter("stackwright.crash_loops", web)).isEqualTo(1);
      assertThat(metrics.gauge("stackwright.service.crash_looping", web)).isEqualTo(1);
    }

    // a restarted host: a new orchestrator and monitor on the same directory
    events.clear();
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch = orchestrator.monitor(stack(policy))) {
      assertThat(watch.crashLoops()).containsExactly("web");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> !watch.replicas().isEmpty() && watch.replicas().get(0).lastProbeAt() != null);
      platform.crash("hm", "web");
      await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(alerts).hasSize(1); // not alerted twice for the same loop
      assertThat(replaced()).isEmpty();
    }
    assertThat(store.history("health-events", "hm", 1000))
        .anySatisfy(r -> assertThat(r).contains("\"type\":\"CRASH_LOOP\""));
  }

  @Test
  void anUnreachableReplicaWithoutHealthcheckIsSkippedWithAWarningNotReplaced()
      throws InterruptedException {
    address = null;
    run(1);
    statuses.put("/live", 500);
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch =
            orchestrator.monitor(stack(HealthPolicy.builder().liveness(probe("/live")).build()))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> types().contains(EventType.WARNING));
      await()
          .during(Duration.ofMillis(600))
          .atMost(Duration.ofSeconds(3))
          .until(() -> replaced().isEmpty());
      assertThat(
              events.stream()
                  .filter(e -> e.type() == EventType.WARNING)
                  .findFirst()
                  .orElseThrow()
                  .message())
          .contains("not reachable", "no HEALTHCHECK");
      assertThat(replaced()).isEmpty();
    }
  }

  @Test
  void anUnreachableReplicaIsJudgedByItsHealthcheckAndReplacedWhenItTurnsUnhealthy() {
    address = null;
    run(1);
    platform.setHealth("hm", "web", io.stackwright.api.state.HealthStatus.HEALTHY);
    String first = firstReplica();
    statuses.put("/live", 500); // unreachable anyway: the HTTP answer must not matter
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch =
            orchestrator.monitor(stack(HealthPolicy.builder().liveness(probe("/live")).build()))) {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> !watch.replicas().isEmpty() && watch.replicas().get(0).lastProbeAt() != null);
      assertThat(watch.replicas().get(0).lastDetail()).isEqualTo("engine: healthy");
      assertThat(
              events.stream()
                  .filter(e -> e.type() == EventType.WARNING)
                  .findFirst()
                  .orElseThrow()
                  .message())
          .contains("not reachable", "using the container's HEALTHCHECK status instead");
      assertThat(replaced()).isEmpty();

      platform.setHealth("hm", "web", io.stackwright.api.state.HealthStatus.UNHEALTHY);
      await().atMost(Duration.ofSeconds(5)).until(() -> replaced().contains(first));
    }
  }

  @Test
  void withReplacementOffALivenessFailureIsReportedButNothingIsReplaced()
      throws InterruptedException {
    run(1);
    statuses.put("/live", 500);
    HealthPolicy policy =
        HealthPolicy.builder()
            .liveness(probe("/live"))
            .recovery(RecoveryPolicy.builder().replace(false).build())
            .build();
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch = orchestrator.monitor(stack(policy))) {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e ->
                              e.type() == EventType.PROBE_FAILED
                                  && e.message().contains("replacement is off")));
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(3))
          .until(() -> replaced().isEmpty());
    }
  }
}
