package io.stackwright.core.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.health.Alert;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Store;
import io.stackwright.api.store.AuditEntry;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.NewJob;
import io.stackwright.core.drift.internal.DriftSupervisor;
import io.stackwright.core.drift.internal.RepairBackoff;
import io.stackwright.store.Stores;
import io.stackwright.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The supervisor's decisions, driven by a manual clock and a hand-run timer. */
class DriftSupervisorTest {
  private final ManualClock clock = new ManualClock();
  private final Store store = Stores.inMemory(clock);
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private final List<String> counted = new CopyOnWriteArrayList<>();
  private final List<String> zeroed = new CopyOnWriteArrayList<>();
  private final List<Scheduled> timers = new ArrayList<>();
  private final FakeTarget target = new FakeTarget();

  record Scheduled(Runnable work, Instant due) {}

  private final MetricsRecorder metrics =
      new MetricsRecorder() {
        @Override
        public void count(String name, Map<String, String> tags, double amount) {
          if (amount > 0) {
            counted.add(name + " " + tags.get("kind"));
          } else {
            zeroed.add(name + " " + tags.get("kind"));
          }
        }

        @Override
        public void gauge(String name, Map<String, String> tags, double value) {}

        @Override
        public void timing(String name, Map<String, String> tags, Duration duration) {}
      };

  private final class FakeTarget implements DriftSupervisor.Target {
    volatile Plan plan = new Plan("shop", List.of());
    volatile boolean live;
    final List<CompletableFuture<Job>> repairs = new ArrayList<>();
    int plans;

    @Override
    public Optional<StackSpec> desiredSpec() {
      return Optional.of(
          StackSpec.builder("shop")
              .service(ServiceSpec.builder("web", "stackwright/workload:test"))
              .build());
    }

    @Override
    public long revision() {
      return 1;
    }

    @Override
    public boolean jobLive() {
      return live;
    }

    @Override
    public Plan plan(StackSpec spec) {
      plans++;
      return plan;
    }

    @Override
    public DriftSupervisor.Submitted repair() {
      CompletableFuture<Job> f = new CompletableFuture<>();
      repairs.add(f);
      return new DriftSupervisor.Submitted(repairs.size(), f);
    }
  }

  private DriftSupervisor supervisor(DriftMode mode) {
    return new DriftSupervisor(
            "shop",
            DriftPolicy.builder(mode).build(),
            target,
            (work, delay) -> {
              timers.add(new Scheduled(work, clock.instant().plus(delay)));
              return () -> timers.removeIf(t -> t.work() == work);
            },
            clock,
            new SplittableRandom(1),
            events::add,
            metrics,
            store.audit(),
            alerts::add,
            "host-1",
            "alice",
            RepairBackoff.DEFAULT)
        .start();
  }

  /** Runs the timers due by now, in order. */
  private void runDue() {
    while (true) {
      Optional<Scheduled> next =
          timers.stream()
              .filter(t -> !t.due().isAfter(clock.instant()))
              .min(java.util.Comparator.comparing(Scheduled::due));
      if (next.isEmpty()) {
        return;
      }
      timers.remove(next.get());
      next.get().work().run();
    }
  }

  private static Plan envChanged() {
    return new Plan(
        "shop",
        List.of(
            new Change.Update(
                ResourceKind.SERVICE,
                "web",
                List.of(
                    new FieldChange("TaskTemplate.ContainerSpec.Env", "(redacted)", "(redacted)")),
                4)));
  }

  private Job finished(long id, JobState state) {
    Job job = store.jobs().submit(NewJob.builder("shop", JobKind.RECONCILE).build()).job();
    return new Job(
        id,
        "shop",
        JobKind.RECONCILE,
        state,
        0,
        "",
        null,
        null,
        null,
        null,
        1,
        job.notBefore(),
        job.progress(),
        null,
        List.of(),
        null,
        state == JobState.FAILED ? "no such image" : null,
        false,
        job.createdAt(),
        job.updatedAt(),
        job.createdAt(),
        clock.instant(),
        "host-1",
        null,
        1);
  }

  private List<EventType> types() {
    return events.stream().map(OrchestratorEvent::type).toList();
  }

  private List<AuditEntry> history() {
    return store.audit().history("shop", Instant.EPOCH, clock.instant().plusSeconds(1), 100);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void itsCountersExistAtZeroFromTheStartSoThatTheFirstDriftIsAnIncrease() {
    supervisor(DriftMode.WARN);
    assertThat(zeroed)
        .contains("stackwright.drift.repaired null", "stackwright.drift.detected service")
        .hasSize(io.stackwright.api.plan.ResourceKind.values().length + 1);
    assertThat(counted).isEmpty();
  }

  @Test
  @DisplayName("the periodic comparison runs every interval plus up to the jitter")
  void periodic() {
    supervisor(DriftMode.WARN);
    assertThat(timers).hasSize(1);
    Duration first = Duration.between(clock.instant(), timers.get(0).due());
    assertThat(first).isBetween(Duration.ofMinutes(3), Duration.ofMinutes(3).plusSeconds(20));

    clock.advance(first);
    runDue();
    assertThat(target.plans).isEqualTo(1);
    assertThat(timers).hasSize(1); // the next one
  }

  @Test
  @DisplayName("warn: an engine event makes it compare soon; each new difference is reported once")
  void warnReportsOnce() {
    DriftSupervisor s = supervisor(DriftMode.WARN);
    target.plan = envChanged();
    s.onEngineEvent(
        new OrchestratorEvent(
            clock.instant(),
            "shop",
            "web",
            "x",
            new io.stackwright.api.event.EventDetail.TaskStateChanged(
                "web",
                "t1",
                1,
                io.stackwright.api.state.TaskStatus.RUNNING,
                null,
                null,
                null,
                null,
                null,
                null)));
    clock.advanceMillis(150);
    runDue();
    s.compare("again");

    assertThat(types()).containsExactly(EventType.DRIFT_DETECTED);
    OrchestratorEvent e = events.get(0);
    assertThat(e.subject()).isEqualTo("web");
    assertThat(e.attributes()).containsEntry("field", "TaskTemplate.ContainerSpec.Env");
    assertThat(e.attributes().get("live")).isEqualTo("(redacted)");
    assertThat(e.attributes()).containsKey("changedAt"); // the engine event's time
    assertThat(s.current().get(0).changedAt()).isNotNull();
    assertThat(counted).containsExactly("stackwright.drift.detected service");
    assertThat(history())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.kind()).isEqualTo(AuditEntry.Kind.DRIFT_DETECTED);
              assertThat(a.outcome()).isEqualTo("warned");
              assertThat(a.principal()).isEqualTo("alice");
            });
    assertThat(target.repairs).isEmpty(); // warn writes nothing
  }

  @Test
  @DisplayName(
      "changedAt: the instant the plan read from the live resource, else the engine event's time")
  void changedAtPrefersTheEnginesRecordOfTheResource() {
    DriftSupervisor s = supervisor(DriftMode.WARN);
    Instant updatedAt = clock.instant().minusSeconds(5).plusNanos(123_456_789);
    Change.Update envChanged = (Change.Update) envChanged().changes().get(0);
    Change.Update withUpdatedAt =
        new Change.Update(
            envChanged.kind(),
            envChanged.key(),
            envChanged.fields(),
            envChanged.version(),
            updatedAt);
    target.plan = new Plan("shop", List.of(withUpdatedAt));
    s.onEngineEvent(networkRemoved(clock.instant()));
    clock.advanceMillis(150);
    runDue();

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> assertThat(e.attributes()).containsEntry("changedAt", updatedAt.toString()));

    // a network gone: nothing of it is left to read, so the event that showed it says when
    clock.advanceMillis(10_000);
    Instant removed = clock.instant();
    target.plan =
        new Plan("shop", List.of(withUpdatedAt, new Change.Create(ResourceKind.NETWORK, "back")));
    s.onEngineEvent(networkRemoved(removed));
    clock.advanceMillis(150);
    runDue();

    assertThat(events).hasSize(2);
    assertThat(events.get(1).subject()).isEqualTo("back");
    assertThat(events.get(1).attributes())
        .containsEntry("field", "(missing)")
        .containsEntry("changedAt", removed.toString())
        .doesNotContainKey("changedBy"); // the event names no actor
    assertThat(s.current()).extracting(r -> r.changedAt()).containsExactly(updatedAt, removed);
  }

  private static OrchestratorEvent networkRemoved(Instant at) {
    return new OrchestratorEvent(
        at,
        "shop",
        null,
        "network back was removed",
        new io.stackwright.api.event.EventDetail.ResourceDeleted(
            io.stackwright.api.event.EventDetail.Resource.NETWORK, "shop_back", "n1"));
  }

  @Test
  @DisplayName("nothing is compared while a job of the stack is live: its writes are not drift")
  void notWhileJobLive() {
    DriftSupervisor s = supervisor(DriftMode.REPAIR);
    target.plan = envChanged();
    target.live = true;
    s.compare("test");
    assertThat(target.plans).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  @DisplayName("repair: a reconcile job, DRIFT_REPAIRED when it succeeded, and an audit entry")
  void repairs() {
    DriftSupervisor s = supervisor(DriftMode.REPAIR);
    target.plan = envChanged();
    s.compare("test");
    assertThat(target.repairs).hasSize(1);
    s.compare("while repairing"); // no second job while one is in flight
    assertThat(target.repairs).hasSize(1);

    target.plan = new Plan("shop", List.of());
    target.repairs.get(0).complete(finished(1, JobState.SUCCEEDED));
    assertThat(types()).containsExactly(EventType.DRIFT_DETECTED, EventType.DRIFT_REPAIRED);
    assertThat(history())
        .extracting(AuditEntry::kind)
        .containsExactly(AuditEntry.Kind.DRIFT_DETECTED, AuditEntry.Kind.DRIFT_REPAIRED);
  }

  @Test
  @DisplayName(
      "a drift that keeps coming back is repaired after 2 s, then 6 s, then stops with one alert")
  void backsOffAndStops() {
    DriftSupervisor s = supervisor(DriftMode.REPAIR);
    target.plan = envChanged();
    s.compare("test");
    target.repairs.get(0).complete(finished(1, JobState.SUCCEEDED)); // drift comes back at once
    runDue();
    s.compare("came back");
    assertThat(target.repairs).hasSize(1); // waits 2 s
    clock.advanceSeconds(2);
    runDue();
    assertThat(target.repairs).hasSize(2);

    target.repairs.get(1).complete(finished(2, JobState.SUCCEEDED));
    s.compare("came back again");
    clock.advanceSeconds(5);
    runDue();
    assertThat(target.repairs).hasSize(2); // 6 s now
    clock.advanceSeconds(1);
    runDue();
    assertThat(target.repairs).hasSize(3);

    target.repairs.get(2).complete(finished(3, JobState.SUCCEEDED));
    s.compare("third time");
    clock.advance(Duration.ofMinutes(10));
    runDue();
    s.compare("and again");

    assertThat(target.repairs).hasSize(3);
    assertThat(s.repairsStopped()).isTrue();
    assertThat(alerts)
        .singleElement()
        .satisfies(a -> assertThat(a.kind()).isEqualTo("drift_repair_stopped"));
    assertThat(types()).containsOnlyOnce(EventType.DRIFT_REPAIR_STOPPED);

    target.plan = new Plan("shop", List.of()); // someone put it back: repairs may run again
    s.compare("clean");
    assertThat(s.repairsStopped()).isFalse();
  }

  @Test
  @DisplayName("a repair that fails backs off and, at the third failure, stops with one alert")
  void failedRepairs() {
    DriftSupervisor s = supervisor(DriftMode.REPAIR);
    target.plan = envChanged();
    s.compare("test");
    for (int i = 0; i < 3; i++) {
      assertThat(target.repairs).hasSize(i + 1);
      target.repairs.get(i).complete(finished(i + 1, JobState.FAILED));
      clock.advance(Duration.ofMinutes(1));
      runDue();
    }
    clock.advance(Duration.ofMinutes(10));
    runDue();
    s.compare("still drifted");

    assertThat(target.repairs).hasSize(3);
    assertThat(alerts).hasSize(1);
    assertThat(types()).containsOnlyOnce(EventType.DRIFT_REPAIR_STOPPED);
    assertThat(history())
        .filteredOn(a -> a.kind() == AuditEntry.Kind.DRIFT_REPAIRED)
        .allMatch(a -> a.outcome().startsWith("failed"));
  }

  @Test
  @DisplayName("the backoff is 2 s tripling, capped at 5 minutes")
  void backoffSteps() {
    RepairBackoff b = RepairBackoff.DEFAULT;
    assertThat(List.of(b.delay(0), b.delay(1), b.delay(2), b.delay(3), b.delay(6), b.delay(9)))
        .containsExactly(
            Duration.ZERO,
            Duration.ofSeconds(2),
            Duration.ofSeconds(6),
            Duration.ofSeconds(18),
            Duration.ofSeconds(486).compareTo(Duration.ofMinutes(5)) > 0
                ? Duration.ofMinutes(5)
                : Duration.ofSeconds(486),
            Duration.ofMinutes(5));
  }
}
