package io.stackwright.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.ConflictException;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.Store;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobProgress;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.LeaseLostException;
import io.stackwright.core.jobs.internal.JobEngine;
import io.stackwright.core.jobs.internal.JobOutcome;
import io.stackwright.core.jobs.internal.JobRequest;
import io.stackwright.core.jobs.internal.JobSettings;
import io.stackwright.core.jobs.internal.JobWork;
import io.stackwright.core.jobs.internal.Retries;
import io.stackwright.core.metrics.InMemoryMetrics;
import io.stackwright.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobEngineTest {
  /** No jitter, so delays are exact: nextDouble() is 0. */
  private static final RandomGenerator NO_JITTER = () -> 0L;

  private final ManualClock clock = new ManualClock();
  private final QueuedExecutor executor = new QueuedExecutor();
  private final Store store = Stores.inMemory(clock);
  private final InMemoryMetrics metrics = new InMemoryMetrics();
  private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
  private final List<OrchestratorEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final List<AutoCloseable> toClose = new ArrayList<>();

  private JobSettings settings =
      JobSettings.DEFAULT.withRetries(
          new Retries(4, Duration.ofSeconds(1), Duration.ofSeconds(30)));

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private JobEngine engine(String owner) {
    return engine(owner, executor);
  }

  private JobEngine engine(String owner, java.util.concurrent.Executor on) {
    JobEngine engine =
        new JobEngine(store, on, clock, NO_JITTER, settings, owner, List.of(events::add), metrics);
    toClose.add(engine);
    return engine;
  }

  private JobWork records(String name) {
    return context -> {
      ran.add(name);
      return JobOutcome.succeeded(name + " done");
    };
  }

  private static JobRequest deploy(String stack, JobWork work) {
    return JobRequest.of(stack, JobKind.DEPLOY, work);
  }

  @Test
  @DisplayName("jobs of one stack run one at a time in submission order, other stacks meanwhile")
  void oneStackAtATime() {
    JobEngine engine = engine("a");
    JobHandle a1 = engine.submit(deploy("shop", records("a1")));
    JobHandle a2 = engine.submit(JobRequest.of("shop", JobKind.SCALE, records("a2")));
    JobHandle a3 = engine.submit(JobRequest.of("shop", JobKind.SCALE, records("a3")));
    JobHandle b1 = engine.submit(deploy("blog", records("b1")));

    assertThat(a1.job().state()).isEqualTo(JobState.RUNNING);
    assertThat(b1.job().state()).isEqualTo(JobState.RUNNING);
    assertThat(a2.job().state()).isEqualTo(JobState.QUEUED);
    assertThat(a3.job().state()).isEqualTo(JobState.QUEUED);

    executor.runAll();

    assertThat(ran).containsExactly("a1", "b1", "a2", "a3");
    for (JobHandle job : List.of(a1, a2, a3, b1)) {
      assertThat(job.job().state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(job.job().attempts()).isEqualTo(1);
    }
    assertThat(a1.finished()).isCompleted();
  }

  @Test
  @DisplayName(
      "a job that finished in the store but whose attempt is still ending here is not complete"
          + " until its result is kept")
  void completedOnlyWithItsResult() {
    java.util.concurrent.atomic.AtomicReference<JobEngine> engine =
        new java.util.concurrent.atomic.AtomicReference<>();
    List<Boolean> doneWithoutResult = Collections.synchronizedList(new ArrayList<>());
    engine.set(
        new JobEngine(
            store,
            executor,
            clock,
            NO_JITTER,
            settings,
            "a",
            List.of(
                event -> {
                  // the attempt announces the end after the store marked the job finished and
                  // before it keeps the result: whoever asks for the job's end now must wait
                  if (event.detail() instanceof EventDetail.JobFinished f) {
                    JobHandle handle = engine.get().get(f.job()).orElseThrow();
                    doneWithoutResult.add(
                        handle.finished().isDone() && engine.get().result(f.job()).isEmpty());
                  }
                }),
            metrics));
    toClose.add(engine.get());
    JobHandle job =
        engine.get().submit(deploy("shop", context -> JobOutcome.succeeded("done", "the result")));

    executor.runAll();

    assertThat(doneWithoutResult).containsExactly(false);
    assertThat(job.finished()).isCompleted();
    assertThat(engine.get().result(job.id())).contains("the result");
  }

  @Test
  @DisplayName("stacks run in parallel up to the configured limit")
  void concurrencyLimit() {
    settings = settings.withMaxConcurrentStacks(2);
    JobEngine engine = engine("a");
    JobHandle one = engine.submit(deploy("one", records("one")));
    JobHandle two = engine.submit(deploy("two", records("two")));
    JobHandle three = engine.submit(deploy("three", records("three")));

    assertThat(List.of(one, two, three))
        .extracting(j -> j.job().state())
        .containsExactly(JobState.RUNNING, JobState.RUNNING, JobState.QUEUED);
    assertThat(metrics.gauge("stackwright.jobs.running", Map.of("kind", "deploy"))).isEqualTo(2);
    assertThat(metrics.gauge("stackwright.jobs.queued", Map.of("kind", "deploy"))).isEqualTo(1);

    executor.runOne();
    assertThat(three.job().state()).isEqualTo(JobState.RUNNING);
    executor.runAll();
    assertThat(ran).containsExactly("one", "two", "three");
    assertThat(metrics.gauge("stackwright.jobs.running", Map.of("kind", "deploy"))).isZero();
    assertThat(metrics.gauge("stackwright.jobs.queued", Map.of("kind", "deploy"))).isZero();
  }

  @Test
  @DisplayName("a newer deploy supersedes the stack's queued older ones, not the running one")
  void supersession() {
    JobEngine engine = engine("a");
    JobHandle first = engine.submit(deploy("shop", records("v1")));
    JobHandle second = engine.submit(deploy("shop", records("v2")));
    JobHandle scale = engine.submit(JobRequest.of("shop", JobKind.SCALE, records("scale")));
    JobHandle third = engine.submit(deploy("shop", records("v3")));

    assertThat(second.job().state()).isEqualTo(JobState.CANCELLED);
    assertThat(second.job().error()).isEqualTo("superseded by deploy " + third.id());
    assertThat(second.finished()).isCompleted();
    assertThat(scale.job().state()).isEqualTo(JobState.QUEUED);

    executor.runAll();

    assertThat(ran).containsExactly("v1", "scale", "v3");
    assertThat(first.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(third.job().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  @DisplayName("a remove cancels the stack's queued jobs and stops its running one")
  void removeCancels() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    toClose.add(threads::shutdownNow);
    JobEngine engine = engine("a", threads);
    CountDownLatch started = new CountDownLatch(1);
    JobHandle rollout =
        engine.submit(
            deploy(
                "shop",
                context -> {
                  started.countDown();
                  Thread.sleep(60_000); // a long rollout; the cancel interrupts it
                  return JobOutcome.succeeded("never");
                }));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    JobHandle scale = engine.submit(JobRequest.of("shop", JobKind.SCALE, records("scale")));
    JobHandle remove = engine.submit(JobRequest.of("shop", JobKind.REMOVE, records("remove")));

    assertThat(scale.job().state()).isEqualTo(JobState.CANCELLED);
    assertThat(rollout.await(Duration.ofSeconds(10)).state()).isEqualTo(JobState.CANCELLED);
    assertThat(remove.await(Duration.ofSeconds(10)).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(ran).containsExactly("remove");
  }

  @Test
  @DisplayName("a signal reaches the running job's handler through the store (promote, abort)")
  void signals() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    toClose.add(threads::shutdownNow);
    JobEngine engine = engine("a", threads);
    CountDownLatch promoted = new CountDownLatch(1);
    JobHandle rollout =
        engine.submit(
            deploy(
                "shop",
                context -> {
                  context.onSignal(s -> ran.add("ignored:" + s));
                  context.onSignal(
                      s -> {
                        ran.add("signal:" + s);
                        promoted.countDown();
                        return true;
                      });
                  assertThat(promoted.await(10, TimeUnit.SECONDS)).isTrue();
                  return JobOutcome.succeeded("promoted");
                }));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> rollout.job().state() == JobState.RUNNING);
    engine.signal(engine.running("shop").orElseThrow().id(), "promote");
    assertThat(rollout.await(Duration.ofSeconds(10)).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(ran).containsExactly("signal:promote");
  }

  @Test
  @DisplayName("retryable failures are retried after exponential backoff")
  void retriesWithBackoff() {
    JobEngine engine = engine("a");
    AtomicInteger calls = new AtomicInteger();
    JobHandle job =
        engine.submit(
            deploy(
                "shop",
                context -> {
                  int n = calls.incrementAndGet();
                  if (n == 1) {
                    throw new PlatformException("engine unreachable", true);
                  }
                  if (n == 2) {
                    throw new ConflictException("version 7 is stale", null);
                  }
                  return JobOutcome.succeeded("third time");
                }));
    executor.runAll();
    assertThat(job.job().state()).isEqualTo(JobState.QUEUED);
    assertThat(job.job().error()).contains("attempt 1 failed (retrying in 1000 ms)");
    assertThat(job.job().notBefore()).isEqualTo(clock.instant().plusSeconds(1));

    clock.advance(Duration.ofMillis(999));
    engine.pump();
    assertThat(executor.runAll()).isZero();

    clock.advance(Duration.ofMillis(1));
    engine.pump();
    executor.runAll();
    assertThat(job.job().attempts()).isEqualTo(2);
    assertThat(job.job().notBefore()).isEqualTo(clock.instant().plusSeconds(2));

    clock.advance(Duration.ofSeconds(2));
    engine.pump();
    executor.runAll();
    assertThat(job.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.job().attempts()).isEqualTo(3);
    assertThat(events)
        .filteredOn(e -> e.type() == EventType.JOB_RETRYING)
        .extracting(e -> ((EventDetail.JobRetrying) e.detail()).retryIn())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("a retrying job keeps its place: the stack's later jobs wait behind it")
  void retryKeepsOrder() {
    JobEngine engine = engine("a");
    AtomicInteger calls = new AtomicInteger();
    engine.submit(
        deploy(
            "shop",
            context -> {
              if (calls.incrementAndGet() == 1) {
                throw new PlatformException("engine unreachable", true);
              }
              ran.add("deploy");
              return JobOutcome.succeeded("ok");
            }));
    JobHandle scale = engine.submit(JobRequest.of("shop", JobKind.SCALE, records("scale")));
    executor.runAll();
    assertThat(scale.job().state()).isEqualTo(JobState.QUEUED);
    clock.advance(Duration.ofSeconds(1));
    engine.pump();
    executor.runAll();
    assertThat(ran).containsExactly("deploy", "scale");
  }

  @Test
  @DisplayName("jitter takes up to half of the delay off, and the delay stops at its ceiling")
  void jitter() {
    Retries retries = new Retries(10, Duration.ofSeconds(1), Duration.ofSeconds(8));
    Random random = new Random(42);
    List<Long> seen = new ArrayList<>();
    for (int attempt = 1; attempt <= 6; attempt++) {
      long full = Math.min(8000, 1000L << (attempt - 1));
      for (int i = 0; i < 200; i++) {
        long ms = retries.delayAfter(attempt, random).toMillis();
        assertThat(ms).isBetween(full / 2, full);
        seen.add(ms);
      }
    }
    assertThat(seen.stream().distinct().count()).isGreaterThan(100);
    assertThat(retries.delayAfter(30, () -> 0L)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  @DisplayName("invalid input and other non-retryable failures are never retried")
  void noRetryForInvalidInput() {
    JobEngine engine = engine("a");
    JobHandle invalid =
        engine.submit(
            deploy(
                "shop",
                context -> {
                  ran.add("invalid");
                  throw new InvalidSpecException(List.of(SpecProblem.at("services.web", "bad")));
                }));
    JobHandle refused =
        engine.submit(
            deploy(
                "blog",
                context -> {
                  ran.add("refused");
                  throw new PlatformException("no such image", false);
                }));
    executor.runAll();
    clock.advance(Duration.ofMinutes(10));
    engine.pump();
    executor.runAll();
    assertThat(ran).containsExactly("invalid", "refused");
    assertThat(invalid.job().state()).isEqualTo(JobState.FAILED);
    assertThat(invalid.job().attempts()).isEqualTo(1);
    assertThat(refused.job().state()).isEqualTo(JobState.FAILED);
    assertThat(refused.job().error()).isEqualTo("no such image");
  }

  @Test
  @DisplayName("a job that keeps failing retryably gives up after the last attempt")
  void givesUp() {
    JobEngine engine = engine("a");
    JobHandle job =
        engine.submit(
            deploy(
                "shop",
                context -> {
                  throw new PlatformException("engine unreachable", true);
                }));
    for (int i = 0; i < 10; i++) {
      executor.runAll();
      clock.advance(Duration.ofSeconds(30));
      engine.pump();
    }
    assertThat(job.job().state()).isEqualTo(JobState.FAILED);
    assertThat(job.job().attempts()).isEqualTo(4);
    assertThat(job.job().error()).isEqualTo("gave up after 4 attempts: engine unreachable");
  }

  @Test
  @DisplayName("an idempotency key makes a resubmission a no-op returning the first job")
  void idempotency() {
    JobEngine engine = engine("a");
    JobHandle first = engine.submit(deploy("shop", records("first")).withIdempotencyKey("shop@v2"));
    JobHandle again = engine.submit(deploy("shop", records("again")).withIdempotencyKey("shop@v2"));
    executor.runAll();
    JobHandle later = engine.submit(deploy("shop", records("later")).withIdempotencyKey("shop@v2"));
    executor.runAll();

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(later.id()).isEqualTo(first.id());
    assertThat(ran).containsExactly("first");
    assertThat(engine.list("shop", 10)).hasSize(1);
    assertThat(metrics.counter("stackwright.jobs.submitted", Map.of("kind", "deploy")))
        .isEqualTo(1);
  }

  @Test
  @DisplayName(
      "when a claimant's lease lapses another process resumes the job; the first is fenced")
  void leaseExpiry() {
    JobEngine first = engine("first");
    QueuedExecutor secondThreads = new QueuedExecutor();
    JobEngine second = engine("second", secondThreads);
    List<String> writes = new ArrayList<>();
    JobWork work =
        context -> {
          try {
            context.progress(1, 2, context.job().claimedBy() + " applying");
            writes.add(context.job().claimedBy());
            context.progress(2, 2, context.job().claimedBy() + " done");
            return JobOutcome.succeeded("done by " + context.job().claimedBy());
          } catch (LeaseLostException e) {
            writes.add(context.job().claimedBy() + " fenced");
            throw e;
          }
        };
    second.resumeWith(JobKind.DEPLOY, stored -> Optional.of(work));
    JobHandle job = first.submit(deploy("shop", work).withPayload("ref:shop@1"));
    assertThat(job.job().claimedBy()).isEqualTo("first");

    // "first" claimed it but stopped (no renewal): before the lease lapses, nobody else may run it
    clock.advance(settings.leaseTtl().minusSeconds(1));
    second.pump();
    assertThat(secondThreads.pending()).isZero();

    clock.advance(Duration.ofSeconds(1));
    second.pump();
    assertThat(job.job().claimedBy()).isEqualTo("second");
    secondThreads.runAll();
    assertThat(job.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(job.job().result()).isEqualTo("done by second");
    assertThat(job.job().attempts()).isEqualTo(2);

    // the first process wakes up late: its writes are refused and the job stays as second left it
    executor.runAll();
    assertThat(writes).containsExactly("second", "first fenced");
    assertThat(job.job().result()).isEqualTo("done by second");
    assertThat(job.job().progress().message()).isEqualTo("second done");
  }

  @Test
  @DisplayName("a running job's lease is renewed while its claimant pumps")
  void leaseRenewal() {
    JobEngine engine = engine("a");
    JobHandle job = engine.submit(deploy("shop", records("long")));
    JobEngine other = engine("b");
    other.resumeWith(JobKind.DEPLOY, stored -> Optional.of(records("stolen")));
    for (int i = 0; i < 10; i++) {
      clock.advance(settings.leaseTtl().dividedBy(2));
      engine.pump();
      other.pump();
    }
    assertThat(job.job().claimedBy()).isEqualTo("a");
    executor.runAll();
    assertThat(ran).containsExactly("long");
  }

  @Test
  @DisplayName("a job whose claimant died and that no one here can rebuild fails, saying why")
  void unresumable() {
    JobEngine first = engine("first");
    JobHandle job = first.submit(deploy("shop", records("never")));
    JobEngine second = engine("second", new QueuedExecutor());
    clock.advance(settings.leaseTtl());
    second.pump();
    assertThat(job.job().state()).isEqualTo(JobState.FAILED);
    assertThat(job.job().error())
        .contains("its last claimant is gone")
        .contains("cannot rebuild the deploy job it did not submit");
  }

  @Test
  @DisplayName(
      "a queued job another live process submitted is never claimed here, and counts no attempt")
  void liveSubmitterKeepsItsQueuedJobs() {
    settings = settings.withMaxConcurrentStacks(1);
    JobEngine first = engine("first");
    JobHandle busy = first.submit(deploy("shop", records("shop")));
    JobHandle waiting = first.submit(deploy("blog", records("blog")));
    QueuedExecutor secondThreads = new QueuedExecutor();
    JobEngine second = engine("second", secondThreads);
    JobEngine third = engine("third", new QueuedExecutor());
    for (int i = 0; i < 30; i++) {
      clock.advance(settings.leaseTtl().dividedBy(2));
      first.pump();
      second.pump();
      third.pump();
    }
    assertThat(waiting.job().state()).isEqualTo(JobState.QUEUED);
    assertThat(waiting.job().attempts()).isZero();
    assertThat(secondThreads.pending()).isZero();

    executor.runAll();
    assertThat(ran).containsExactly("shop", "blog");
    assertThat(busy.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(waiting.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(waiting.job().attempts()).isEqualTo(1);
    assertThat(waiting.job().claimedBy()).isEqualTo("first");
  }

  @Test
  @DisplayName(
      "once a submitter's heartbeat lapsed, its queued job fails where no one can rebuild it")
  void deadSubmitterQueuedJobFails() {
    settings = settings.withMaxConcurrentStacks(1);
    JobEngine first = engine("first");
    first.submit(deploy("shop", records("shop")));
    JobHandle waiting = first.submit(deploy("blog", records("blog")));
    JobEngine second = engine("second", new QueuedExecutor());

    clock.advance(settings.leaseTtl().minusMillis(1));
    second.pump();
    assertThat(waiting.job().state()).isEqualTo(JobState.QUEUED);

    clock.advance(Duration.ofMillis(1)); // "first" stopped pumping: it died
    second.pump();
    assertThat(waiting.job().state()).isEqualTo(JobState.FAILED);
    assertThat(waiting.job().error())
        .isEqualTo(
            "its submitter first is gone (its heartbeat lapsed) and this process cannot rebuild"
                + " the deploy job it did not submit; submit it again");
    assertThat(waiting.job().attempts()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "once a submitter's heartbeat lapsed, another process resumes its queued job; a resumer's"
          + " refusal is the failure's reason")
  void deadSubmitterQueuedJobResumed() {
    settings = settings.withMaxConcurrentStacks(1);
    JobEngine first = engine("first");
    first.submit(deploy("shop", records("shop")));
    JobHandle resumable = first.submit(deploy("blog", records("blog")));
    JobHandle refused = first.submit(JobRequest.of("wiki", JobKind.SCALE, records("wiki")));
    QueuedExecutor secondThreads = new QueuedExecutor();
    JobEngine second = engine("second", secondThreads);
    second.resumeWith(JobKind.DEPLOY, stored -> Optional.of(records(stored.stack() + " resumed")));
    second.resumeWith(
        JobKind.SCALE,
        stored -> {
          throw new io.stackwright.api.OrchestratorException(
              "secret wiki_key: its file /run/keys/wiki is gone");
        });

    clock.advance(settings.leaseTtl());
    second.pump();
    secondThreads.runAll();
    assertThat(resumable.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(resumable.job().claimedBy()).isEqualTo("second");
    assertThat(resumable.job().attempts()).isEqualTo(1);
    assertThat(ran).containsExactly("shop resumed", "blog resumed");
    assertThat(refused.job().state()).isEqualTo(JobState.FAILED);
    assertThat(refused.job().error())
        .isEqualTo(
            "its submitter first is gone (its heartbeat lapsed) and this process cannot rebuild"
                + " the scale job: secret wiki_key: its file /run/keys/wiki is gone; submit it"
                + " again");
  }

  @Test
  @DisplayName("an engine keeps a heartbeat lease while it pumps and gives it back on close")
  void heartbeatLease() {
    JobEngine engine = engine("a");
    engine.pump();
    String name = io.stackwright.api.store.Job.heartbeatLease("a");
    assertThat(store.leases().current(name)).isPresent();
    for (int i = 0; i < 10; i++) {
      clock.advance(settings.leaseTtl().dividedBy(2));
      engine.pump();
    }
    assertThat(store.leases().current(name)).get().extracting(g -> g.holder()).isEqualTo("a");
    engine.close();
    assertThat(store.leases().current(name)).isEmpty();
  }

  @Test
  @DisplayName("finished jobs are deleted after the retention; unfinished ones never")
  void retention() {
    settings = settings.withRetention(Duration.ofHours(1));
    JobEngine engine = engine("a");
    JobHandle old = engine.submit(deploy("shop", records("old")));
    executor.runAll();
    clock.advance(Duration.ofMinutes(30));
    JobHandle recent = engine.submit(deploy("blog", records("recent")));
    executor.runAll();
    JobHandle waiting =
        engine.submit(
            deploy(
                "wiki",
                context -> {
                  throw new PlatformException("down", true);
                }));
    executor.runAll();

    clock.advance(Duration.ofMinutes(31));
    engine.pump();
    assertThat(engine.get(old.id())).isEmpty();
    assertThat(engine.get(recent.id())).isPresent();
    assertThat(engine.get(waiting.id())).isPresent();
    clock.advance(Duration.ofMinutes(30));
    engine.pump();
    assertThat(engine.get(recent.id())).isEmpty();
  }

  @Test
  @DisplayName("progress is persisted and streamed as events")
  void progressAndMdc() {
    JobEngine engine = engine("a");
    List<String> mdc = new ArrayList<>();
    JobHandle job =
        engine.submit(
            deploy(
                "shop",
                context -> {
                  mdc.add(MDC.get("stack") + "/" + MDC.get("job"));
                  context.progress(1, 3, "network");
                  context.progress(2, 3, "web");
                  context.created("network:shop_default");
                  assertThat(store.jobs().get(context.job().id()).orElseThrow().progress())
                      .isEqualTo(new JobProgress(2, 3, "web"));
                  return JobOutcome.succeeded("ok");
                }));
    List<OrchestratorEvent> own = new ArrayList<>();
    job.onEvent(own::add);
    executor.runAll();

    // slf4j-simple (the tests' binding) keeps no MDC, so only a binding with one shows
    // "stack"/"job"
    if (MDC.getMDCAdapter() != null
        && !(MDC.getMDCAdapter() instanceof org.slf4j.helpers.NOPMDCAdapter)) {
      assertThat(mdc).containsExactly("shop/" + job.id());
      assertThat(MDC.get("job")).isNull();
    }
    assertThat(job.job().progress()).isEqualTo(new JobProgress(2, 3, "web"));
    assertThat(job.job().createdResources()).containsExactly("network:shop_default");
    assertThat(own)
        .extracting(OrchestratorEvent::type)
        .containsExactly(
            EventType.JOB_SUBMITTED,
            EventType.JOB_STARTED,
            EventType.JOB_PROGRESS,
            EventType.JOB_PROGRESS,
            EventType.JOB_FINISHED);
    assertThat(own)
        .allMatch(e -> String.valueOf(job.id()).equals(e.subject()) && e.stack().equals("shop"));
    assertThat(own.get(3).message()).isEqualTo("2/3 web");
    assertThat(metrics.prometheusText())
        .contains(
            "stackwright_jobs_finished_seconds_count{kind=\"deploy\",outcome=\"succeeded\",stack=\"shop\"} 1");
  }

  @Test
  @DisplayName("cancelling a queued job keeps it from running; a finished job ignores it")
  void cancelQueued() {
    JobEngine engine = engine("a");
    JobHandle first = engine.submit(deploy("shop", records("first")));
    JobHandle second = engine.submit(JobRequest.of("shop", JobKind.SCALE, records("second")));
    second.cancel();
    executor.runAll();
    first.cancel();
    assertThat(ran).containsExactly("first");
    assertThat(second.job().state()).isEqualTo(JobState.CANCELLED);
    assertThat(first.job().state()).isEqualTo(JobState.SUCCEEDED);
    assertThatThrownBy(() -> engine.signal(first.id(), "promote"))
        .isInstanceOf(io.stackwright.api.NotFoundException.class);
  }
}
