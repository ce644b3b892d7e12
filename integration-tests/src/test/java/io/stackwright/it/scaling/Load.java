package io.stackwright.it.scaling;

import io.stackwright.api.state.TaskState;
import io.stackwright.core.Orchestrator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed total load spread round-robin over a service's ready replicas, addressed directly (there
 * is no load balancer in the data path here): one request to {@code path} every {@code period}. The
 * total stays the same whatever the replica count, so more replicas means less per replica, as
 * behind a real load balancer.
 */
final class Load implements AutoCloseable {
  private static final int MAX_IN_FLIGHT = 64;

  private final Orchestrator orchestrator;
  private final String stack;
  private final String service;
  private final String path;
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile List<String> addresses = List.of();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  Load(Orchestrator orchestrator, String stack, String service, String path, Duration period) {
    this.orchestrator = orchestrator;
    this.stack = stack;
    this.service = service;
    this.path = path;
    refresh();
    timer.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
    long micros = period.toNanos() / 1000;
    // a fixed delay, not a fixed rate: after a stall of the test JVM (a busy machine runs IT
    // classes in parallel) a fixed rate fires the missed sends at once, a burst that is no
    // steady load and that the autoscaler rightly answers
    timer.scheduleWithFixedDelay(this::send, 0, micros, TimeUnit.MICROSECONDS);
  }

  private void refresh() {
    try {
      List<String> found = new ArrayList<>();
      for (TaskState t : orchestrator.status(stack).service(service).orElseThrow().currentTasks()) {
        if (t.isReady()) {
          orchestrator.platform().replicaAddress(stack, t).ifPresent(found::add);
        }
      }
      addresses = List.copyOf(found);
    } catch (RuntimeException e) {
      // the next refresh tries again
    }
  }

  private void send() {
    List<String> targets = addresses;
    if (targets.isEmpty() || inFlight.get() >= MAX_IN_FLIGHT) {
      return;
    }
    String address = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + ":8080" + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    inFlight.incrementAndGet();
    sent.incrementAndGet();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (r, e) -> {
              inFlight.decrementAndGet();
              if (e != null || r.statusCode() != 200) {
                failed.incrementAndGet();
              }
            });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
