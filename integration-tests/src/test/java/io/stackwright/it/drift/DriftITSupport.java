package io.stackwright.it.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.Alert;
import io.stackwright.api.spi.AlertSink;
import io.stackwright.api.spi.Store;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import io.stackwright.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

/**
 * What the drift tests of both platforms share: one orchestrator with an in-memory store per test,
 * a recording alert sink, events stamped with their arrival (for the measured figures), and the
 * removal of the test's stack.
 */
abstract class DriftITSupport {
  static final String IMAGE = "stackwright/workload:test";
  static final Duration WAIT = Duration.ofMinutes(2);
  static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofMinutes(2));

  /** An event and when (System.nanoTime) it arrived. */
  record Seen(OrchestratorEvent event, long nanos) {}

  final List<Seen> events = new CopyOnWriteArrayList<>();
  final List<Alert> alerts = new CopyOnWriteArrayList<>();
  final List<String> stacks = new ArrayList<>();

  /** Clean-ups of what a test made besides its stacks, run once they are removed. */
  final List<Runnable> afterStacks = new ArrayList<>();

  final Store store = Stores.inMemory();
  Orchestrator orchestrator;

  abstract String platform();

  Orchestrator orchestrator() {
    if (orchestrator == null) {
      orchestrator =
          Orchestrator.builder()
              .platform(platform())
              .store(store)
              .principal("drift-it")
              .listener(e -> events.add(new Seen(e, System.nanoTime())))
              .alertSink(
                  new AlertSink() {
                    @Override
                    public String name() {
                      return "recording";
                    }

                    @Override
                    public void send(Alert alert) {
                      alerts.add(alert);
                    }
                  })
              .jobRetries(2, Duration.ofMillis(200), Duration.ofMillis(500))
              .build();
    }
    return orchestrator;
  }

  StackSpec track(StackSpec spec) {
    if (!stacks.contains(spec.name())) {
      stacks.add(spec.name());
    }
    return spec;
  }

  void deploy(StackSpec spec) {
    var result = orchestrator().stack(spec.name()).deploy(track(spec), OPTIONS).await(WAIT);
    assertThat(result.succeeded()).as(result.message()).isTrue();
  }

  static DriftPolicy policy(DriftMode mode) {
    // the periodic comparison is the fallback; these tests check the events' fast path
    return DriftPolicy.builder(mode).interval(Duration.ofMinutes(10)).jitter(Duration.ZERO).build();
  }

  List<OrchestratorEvent> ofType(EventType type) {
    return events.stream().map(Seen::event).filter(e -> e.type() == type).toList();
  }

  /** Waits for the first event of {@code type} and returns when it arrived. */
  long awaitEvent(EventType type) {
    return awaitEventWithin(type, WAIT);
  }

  /**
   * Waits up to {@code limit} for the first event of {@code type}; a limit well below the periodic
   * comparison's interval proves the change was seen through the engine's events.
   */
  long awaitEventWithin(EventType type, Duration limit) {
    Awaitility.await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> events.stream().anyMatch(s -> s.event().type() == type));
    return events.stream().filter(s -> s.event().type() == type).findFirst().orElseThrow().nanos();
  }

  /**
   * Waits up to {@code limit} for the first {@code DRIFT_DETECTED} that names {@code field};
   * returns the event and when it arrived.
   */
  Seen awaitDrift(String field, Duration limit) {
    Awaitility.await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> driftOf(field) != null);
    return driftOf(field);
  }

  private Seen driftOf(String field) {
    return events.stream()
        .filter(s -> s.event().type() == EventType.DRIFT_DETECTED)
        .filter(s -> field.equals(s.event().attributes().get("field")))
        .findFirst()
        .orElse(null);
  }

  /** Waits until a repair was reported and the plan of {@code spec} is empty again. */
  void awaitRepaired(StackSpec spec) {
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                orchestrator().plan(spec).isEmpty() && !ofType(EventType.DRIFT_REPAIRED).isEmpty());
  }

  static Shell.Result docker(String... args) {
    Shell.Result r = Shell.docker(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.all()).isZero();
    return r;
  }

  static void report(String what, long fromNanos, long toNanos) {
    // the figures the report quotes; printed by tests only
    System.out.printf("DRIFT-FIGURE %s: %d ms%n", what, (toNanos - fromNanos) / 1_000_000);
  }

  @AfterEach
  void cleanUp() {
    if (orchestrator != null) {
      for (String stack : stacks) {
        try {
          orchestrator.remove(stack, RemoveOptions.withVolumes());
        } catch (RuntimeException e) {
          // best effort
        }
      }
      orchestrator.close();
    }
    for (Runnable cleanUp : afterStacks) {
      try {
        cleanUp.run();
      } catch (RuntimeException | AssertionError e) {
        // best effort
      }
    }
    store.close();
  }
}
