package io.stackwright.docker.internal.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stackwright.api.PlatformTimeoutException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.docker.internal.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each Docker adapter's deadline IT proves, against the real engine behind a {@link
 * StallingEngineProxy}: status and plan answer through the proxy, fail within their deadline with a
 * retryable {@link PlatformTimeoutException} that says the engine did not answer once it stops
 * answering, and work again once it answers again. Subclasses say how to create their platform.
 */
public abstract class EngineDeadlineKit {
  private static final Path ENGINE_SOCKET = Path.of("/var/run/docker.sock");
  private static final Duration DEADLINE = Duration.ofSeconds(3);

  /** The bound the test checks: the call ends, far sooner than "never". */
  private static final Duration ENDS_WITHIN = DEADLINE.plusSeconds(8);

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private StallingEngineProxy proxy;
  private Platform platform;

  protected abstract Platform createPlatform(PlatformContext context);

  @BeforeEach
  void start() throws Exception {
    assumeTrue(
        Files.exists(ENGINE_SOCKET), "no Docker engine socket at " + ENGINE_SOCKET + " to proxy");
    proxy = StallingEngineProxy.start(ENGINE_SOCKET);
    platform =
        createPlatform(
            new PlatformContext(
                Clock.systemUTC(),
                executor,
                Map.of(
                    PlatformContext.DOCKER_HOST,
                    proxy.host(),
                    EngineSettings.RESPONSE,
                    DEADLINE.toSeconds() + "s"),
                metrics));
  }

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    executor.shutdownNow();
  }

  @Test
  void statusAndPlanFailWithinTheirDeadlineWhenTheEngineStopsAnswering() {
    String name = "ds-deadline-" + platform.name();
    StackSpec stack =
        StackSpec.builder(name)
            .service(ServiceSpec.builder("web", "stackwright/workload:test").build())
            .build();
    assertThat(platform.status(name).isEmpty()).as("through the proxy, before it stalls").isTrue();
    assertThat(platform.plan(stack).isEmpty()).isFalse();

    proxy.stall();
    failsWithinTheDeadline("status", () -> platform.status(name));
    failsWithinTheDeadline("plan", () -> platform.plan(stack));

    // the engine calls went to the platform's MetricsRecorder, by bounded operation name
    List<Map<String, String>> requests =
        metrics.timings("stackwright.engine.requests").stream()
            .map(RecordingMetrics.Timing::tags)
            .toList();
    assertThat(requests).isNotEmpty();
    assertThat(requests)
        .allSatisfy(t -> assertThat(t.get("operation")).matches("[a-z]+\\.[a-z_]+"));
    assertThat(requests).anyMatch(t -> "success".equals(t.get("outcome")));
    assertThat(requests.stream().filter(t -> "timeout".equals(t.get("outcome"))).count())
        .as("status and plan each timed out once")
        .isEqualTo(2);

    proxy.resume();
    long resumed = System.nanoTime();
    // A connection that was waiting when the engine stopped answering may still fail one call.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> platform.status(name).isEmpty());
    System.out.printf(
        Locale.ROOT,
        "%s status answered again %.2f s after the engine did%n",
        platform.name(),
        (System.nanoTime() - resumed) / 1e9);
  }

  private void failsWithinTheDeadline(String call, Supplier<?> action) {
    long start = System.nanoTime();
    Throwable failure = null;
    try {
      action.get();
    } catch (RuntimeException e) {
      failure = e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.printf(
        Locale.ROOT,
        "%s %s through a stalled engine failed after %.2f s (deadline %d s): %s%n",
        platform.name(),
        call,
        took.toNanos() / 1e9,
        DEADLINE.toSeconds(),
        failure == null ? "(no failure)" : failure.getMessage());
    Throwable thrown = failure;
    assertThatThrownBy(
            () -> {
              if (thrown != null) {
                throw thrown;
              }
            })
        .as(call + " against an engine that does not answer")
        .isInstanceOf(PlatformTimeoutException.class)
        .hasMessageContaining(
            "the Docker engine at "
                + proxy.host()
                + " did not answer within "
                + DEADLINE.toSeconds()
                + " s")
        .hasMessageContaining("docker info")
        .hasMessageContaining(EngineSettings.RESPONSE);
    assertThat(((PlatformTimeoutException) failure).retryable()).isTrue();
    assertThat(took).as(call + " ended within its deadline plus slack").isLessThan(ENDS_WITHIN);
  }
}
