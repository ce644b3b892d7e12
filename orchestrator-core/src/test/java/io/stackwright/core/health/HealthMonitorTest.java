package io.stackwright.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.Alert;
import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.RecoveryPolicy;
import io.stackwright.api.health.ReplicaHealth;
import io.stackwright.api.spi.AlertSink;
import io.stackwright.api.spi.Router;
import io.stackwright.api.spi.StateStore;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.core.state.FileStateStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The monitor against a fake platform whose replicas are one real local HTTP server. */
@ExtendWith(AllowNetwork.class)
class HealthMonitorTest {
  private static final Duration PERIOD = Duration.ofMillis(100);

  private HttpServer server;
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final FakeReplicaPlatform platform = new FakeReplicaPlatform();
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final List<String> readiness = new CopyOnWriteArrayList<>();
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
    Router router =
        new Router() {
          @Override
          public String name() {
            return "test";
          }

          @Override
          public StackSpec prepare(StackSpec stack) {
            return stack;
          }

          @Override
          public void publish(StackSpec stack, io.stackwright.api.event.EventListener events) {}

          @Override
          public void setWeights(
              String stack,
              String route,
              Map<String, Integer> weights,
              io.stackwright.api.event.EventListener events) {}

          @Override
          public void readinessChanged(
              String stack, String service, String address, boolean ready) {
            readiness.add(service + "@" + address + "=" + ready);
          }

          @Override
          public void withdraw(String stack, io.stackwright.api.event.EventListener events) {}
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

  private List<EventType> types() {
    return events.stream().map(OrchestratorEvent::type).toList();
  }

  @Test
  void aReplicaFailingLivenessIsReplacedAfterTheThresholdAndTheNewOneIsProbed() {
    platform.run("web", 1);
    String first = platform.tasks.get(0).id();
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch =
            orchestrator.monitor(stack(HealthPolicy.builder().liveness(probe("/live")).build()))) {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> watch.replicas().size() == 1 && watch.replicas().get(0).lastProbeAt() != null);
      assertThat(platform.replaced).isEmpty();

      statuses.put("/live", 500);
      await().atMost(Duration.ofSeconds(5)).until(() -> platform.replaced.contains(first));
      statuses.put("/live", 200);

      assertThat(types()).contains(EventType.PROBE_FAILED, EventType.REPLICA_REPLACED);
      OrchestratorEvent failed =
          events.stream()
              .filter(
                  e ->
                      e.type() == EventType.PROBE_FAILED
                          && "failed".equals(e.attributes().get("verdict")))
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
      assertThat(platform.replaced).containsExactly(first);
      assertThat(metrics.counter("stackwright.replica.replacements", Map.of("service", "web")))
          .isEqualTo(1);
      assertThat(metrics.counter("stackwright.probe.results", Map.of("result", "failed")))
          .isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aReplicaFailingReadinessTurnsUnreadyIsNotReplacedAndComesBack() {
    platform.run("web", 1);
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
      assertThat(readiness).containsExactly("web@127.0.0.1=true", "web@127.0.0.1=false");

      statuses.put("/ready", 200);
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.replicas().get(0).ready());
      assertThat(platform.replaced).isEmpty();
      assertThat(types()).contains(EventType.PROBE_RECOVERED);
      assertThat(metrics.prometheusText())
          .contains("stackwright_replicas_ready{service=\"web\",stack=\"hm\"} 1");
    }
  }

  @Test
  void theStartupProbeHoldsLivenessUntilItPasses() throws InterruptedException {
    platform.run("web", 1);
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
      Thread.sleep(1000); // ten startup periods: liveness must not have run
      assertThat(platform.replaced).isEmpty();
      ReplicaHealth held = watch.replicas().get(0);
      assertThat(held.started()).isFalse();
      assertThat(held.ready()).isFalse();

      statuses.put("/live", 200);
      statuses.put("/started", 200);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> watch.replicas().get(0).started() && watch.replicas().get(0).ready());
      assertThat(platform.replaced).isEmpty();
    }
  }

  @Test
  void crashesBeyondTheLimitMakeACrashLoopThatAlertsOnceStopsReplacingAndSurvivesARestart() {
    platform.run("web", 1);
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
      assertThat(platform.replaced).isEmpty();
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
      assertThat(platform.replaced).isEmpty();
    }
    assertThat(store.history("health-events", "hm", 1000))
        .anySatisfy(r -> assertThat(r).contains("\"type\":\"CRASH_LOOP\""));
  }

  @Test
  void anUnreachableReplicaWithoutHealthcheckIsSkippedWithAWarningNotReplaced()
      throws InterruptedException {
    platform.address = null;
    platform.run("web", 1);
    statuses.put("/live", 500);
    try (Orchestrator orchestrator = orchestrator(new FileStateStore(stateDir));
        HealthWatch watch =
            orchestrator.monitor(stack(HealthPolicy.builder().liveness(probe("/live")).build()))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> types().contains(EventType.WARNING));
      Thread.sleep(600);
      assertThat(
              events.stream()
                  .filter(e -> e.type() == EventType.WARNING)
                  .findFirst()
                  .orElseThrow()
                  .message())
          .contains("not reachable", "no HEALTHCHECK");
      assertThat(platform.replaced).isEmpty();
    }
  }

  @Test
  void anUnreachableReplicaIsJudgedByItsHealthcheckAndReplacedWhenItTurnsUnhealthy() {
    platform.address = null;
    platform.run("web", 1);
    platform.health(io.stackwright.api.state.HealthStatus.HEALTHY);
    String first = platform.tasks.get(0).id();
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
      assertThat(platform.replaced).isEmpty();

      platform.health(io.stackwright.api.state.HealthStatus.UNHEALTHY);
      await().atMost(Duration.ofSeconds(5)).until(() -> platform.replaced.contains(first));
    }
  }

  @Test
  void withReplacementOffALivenessFailureIsReportedButNothingIsReplaced()
      throws InterruptedException {
    platform.run("web", 1);
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
      Thread.sleep(500);
      assertThat(platform.replaced).isEmpty();
    }
  }
}
