package io.stackwright.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.rollout.CanaryAnalysis;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.RoutingPolicy;
import io.stackwright.api.spi.Capability;
import io.stackwright.core.Orchestrator;
import io.stackwright.testing.RecordingRouter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A canary's error-rate threshold read from the replicas' Prometheus endpoint: here a local HTTP
 * server whose counters grow by 100 requests per scrape, with a chosen share of errors.
 */
class MetricsAnalysisTest {
  private final ScriptedPlatform platform = new ScriptedPlatform(Clock.systemUTC());
  private final RecordingRouter router = RecordingRouter.create();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile int errorPercent;
  private HttpServer server;
  private Orchestrator orchestrator;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/metrics",
        exchange -> {
          long r = requests.addAndGet(100);
          long e = errors.addAndGet(errorPercent);
          byte[] body =
              ("# TYPE http_requests_total counter\n"
                      + "http_requests_total{code=\"200\"} "
                      + (r - e)
                      + "\n"
                      + "http_requests_total{code=\"500\"} "
                      + e
                      + "\n"
                      + "http_requests_total_created 1.7e9\n"
                      + "http_request_errors_total "
                      + e
                      + "\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    platform.capabilities = Set.of(Capability.REPLICA_ADDRESS);
    orchestrator =
        Orchestrator.builder().platform(platform).executor(executor).router(router).build();
  }

  @AfterEach
  void stop() {
    orchestrator.close();
    server.stop(0);
    executor.shutdownNow();
  }

  private StackSpec shop(String image) {
    CanaryAnalysis analysis =
        new CanaryAnalysis(
            Duration.ofMillis(200),
            "/metrics",
            server.getAddress().getPort(),
            "http_requests_total",
            "http_request_errors_total",
            0.05,
            null,
            null);
    RolloutPolicy canary =
        RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
            .canary(
                CanaryPolicy.builder()
                    .step(CanaryStep.weight(20, Duration.ofSeconds(2)))
                    .analysis(analysis)
                    .build())
            .build();
    return StackSpec.builder("shop")
        .service(
            ServiceSpec.builder("web", image)
                .replicas(1)
                .rollout(canary)
                .routing(
                    RoutingPolicy.builder()
                        .port(8080)
                        .route(Route.builder("main").host("shop.test").build())
                        .build())
                .build())
        .build();
  }

  private DeploymentResult deploy(StackSpec stack) {
    return orchestrator
        .deploy(stack, DeployOptions.waitingUpTo(Duration.ofSeconds(20)))
        .await(Duration.ofSeconds(30));
  }

  @Test
  void aCanaryWhoseErrorRateStaysUnderTheThresholdIsPromoted() {
    deploy(shop("app:v1"));
    errorPercent = 2;

    DeploymentResult result = deploy(shop("app:v2"));

    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void aCanaryWhoseErrorRateBreachesTheThresholdIsAborted() {
    deploy(shop("app:v1"));
    errorPercent = 30;

    DeploymentResult result = deploy(shop("app:v2"));

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.message()).contains("error rate 0.300").contains("above 0.050");
    assertThat(platform.deployed.get("shop").services().get("web").image()).isEqualTo("app:v1");
  }
}
