package io.stackwright.it.rollout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends GET requests at a steady rate (open model: a slow answer does not slow the sender) and
 * counts every one that failed: refused, reset, timed out, or answered with anything but 200. The
 * body {@code ... version=<v>} of each answer is counted per version, so a test sees which version
 * served.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final URI target;
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> versions = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicLong firstFailureNanos = new AtomicLong();
  private final Phaser inFlight = new Phaser(1);

  /** What the generator saw. */
  public record Stats(long sent, long failed, Map<String, Long> versions, List<String> failures) {
    public double failureRatio() {
      return sent == 0 ? 0 : (double) failed / sent;
    }

    @Override
    public String toString() {
      return "sent="
          + sent
          + " failed="
          + failed
          + " versions="
          + versions
          + (failures.isEmpty() ? "" : " first failures=" + failures);
    }
  }

  private LoadGenerator(URI target) {
    this.target = target;
  }

  /** Starts sending {@code perSecond} requests a second to {@code target}. */
  public static LoadGenerator start(URI target, int perSecond) {
    LoadGenerator load = new LoadGenerator(target);
    long periodMicros = 1_000_000L / perSecond;
    load.ticker.scheduleAtFixedRate(load::send, 0, periodMicros, TimeUnit.MICROSECONDS);
    return load;
  }

  private void send() {
    sent.increment();
    inFlight.register();
    HttpRequest request = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT).GET().build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              try {
                if (error != null) {
                  fail(error.toString());
                } else if (response.statusCode() != 200) {
                  fail("HTTP " + response.statusCode() + " " + response.body().strip());
                } else {
                  String body = response.body().strip();
                  String version = body.substring(body.indexOf("version=") + 8);
                  versions.computeIfAbsent(version, v -> new LongAdder()).increment();
                }
              } finally {
                inFlight.arriveAndDeregister();
              }
            });
  }

  private void fail(String why) {
    failed.increment();
    firstFailureNanos.compareAndSet(0, System.nanoTime());
    if (failures.size() < 10) {
      failures.add(why);
    }
  }

  /** The counts so far. */
  public Stats stats() {
    Map<String, Long> byVersion = new java.util.TreeMap<>();
    versions.forEach((v, n) -> byVersion.put(v, n.sum()));
    return new Stats(sent.sum(), failed.sum(), byVersion, List.copyOf(failures));
  }

  /** Forgets the per-version counts (to see which version serves from now on). */
  public void resetVersions() {
    versions.clear();
  }

  /** Stops sending, waits for the answers in flight, and returns the final counts. */
  public Stats stop() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
      inFlight.awaitAdvanceInterruptibly(
          inFlight.arrive(), REQUEST_TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.TimeoutException e) {
      fail("answers still in flight after stop");
    }
    return stats();
  }

  @Override
  public void close() {
    if (!ticker.isShutdown()) {
      stop();
    }
  }
}
