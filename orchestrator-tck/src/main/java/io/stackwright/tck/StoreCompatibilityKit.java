package io.stackwright.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.AuditEntry;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobClaim;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobProgress;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.LeaseGrant;
import io.stackwright.api.store.LeaseLostException;
import io.stackwright.api.store.NewJob;
import io.stackwright.api.store.Submission;
import io.stackwright.api.tenancy.QuotaExceededException;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.ResourceAmounts;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.api.tenancy.TenantUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Store}, as an abstract JUnit 5 suite. Every store subclasses it, a third
 * party's too:
 *
 * <pre>{@code
 * class MyStoreCompatibilityTest extends StoreCompatibilityKit {
 *   protected Store createStore(MutableClock clock) {
 *     return MyStore.open(..., clock);   // a fresh, empty store
 *   }
 * }
 * }</pre>
 *
 * <p>Time is the {@link MutableClock} the kit passes in: the suite moves it to expire leases and
 * backoffs, and never sleeps.
 */
public abstract class StoreCompatibilityKit {

  protected static final Duration TTL = Duration.ofSeconds(30);

  protected MutableClock clock;
  protected Store store;

  /** A fresh, empty store that takes its time from {@code clock}. */
  protected abstract Store createStore(MutableClock clock);

  /** Closes (and, where it has to, empties) a store created by {@link #createStore}. */
  protected void disposeStore(Store store) {
    store.close();
  }

  @BeforeEach
  void openStore() {
    clock = MutableClock.atEpochMillis(1_800_000_000_000L);
    store = createStore(clock);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      disposeStore(store);
    }
  }

  protected Job submit(String stack, JobKind kind) {
    return store.jobs().submit(NewJob.builder(stack, kind).build()).job();
  }

  protected Job deploy(String stack, String spec) {
    return store
        .jobs()
        .submit(NewJob.builder(stack, JobKind.DEPLOY).desiredSpec(spec).build())
        .job();
  }

  protected JobClaim claimOne(String holder) {
    Optional<JobClaim> claim = store.jobs().claimNext(holder, TTL);
    assertThat(claim).as("a claimable job for " + holder).isPresent();
    return claim.get();
  }

  @Nested
  @DisplayName("desired states")
  class DesiredStates {
    @Test
    @DisplayName("revisions of a stack start at 1 and grow by one per accepted spec")
    void revisionsGrow() {
      DesiredState first = store.desiredStates().accept("shop", "{\"v\":1}", "acme", "alice");
      DesiredState second = store.desiredStates().accept("shop", "{\"v\":2}", null, null);
      DesiredState other = store.desiredStates().accept("blog", "{}", null, null);

      assertThat(first.revision()).isEqualTo(1);
      assertThat(second.revision()).isEqualTo(2);
      assertThat(other.revision()).isEqualTo(1);
      assertThat(first.tenant()).isEqualTo("acme");
      assertThat(first.principal()).isEqualTo("alice");
      assertThat(store.desiredStates().current("shop")).contains(second);
      assertThat(store.desiredStates().revision("shop", 1)).contains(first);
      assertThat(store.desiredStates().history("shop", 10)).containsExactly(second, first);
      assertThat(store.desiredStates().stacks()).containsExactly("blog", "shop");
      assertThat(store.desiredStates().current("absent")).isEmpty();
    }

    @Test
    @DisplayName("the spec document is kept exactly as given")
    void specKeptVerbatim() {
      String spec = "{\"name\":\"shop\",\n \"ünïcødé\":\"✓\", \"quote\":\"'\\\"\"}";
      store.desiredStates().accept("shop", spec, null, null);
      assertThat(store.desiredStates().current("shop").orElseThrow().spec()).isEqualTo(spec);
    }

    @Test
    @DisplayName("a job with a desired spec accepts it as the next revision and records it")
    void submitAcceptsRevision() {
      Job first = deploy("shop", "v1");
      Job second = deploy("shop", "v2");

      assertThat(first.revision()).isEqualTo(1);
      assertThat(second.revision()).isEqualTo(2);
      assertThat(store.desiredStates().current("shop").orElseThrow().spec()).isEqualTo("v2");
      assertThat(submit("shop", JobKind.SCALE).revision()).isZero();
    }

    @Test
    @DisplayName("prune keeps the newest revisions and the numbering goes on")
    void prune() {
      for (int i = 1; i <= 5; i++) {
        store.desiredStates().accept("shop", "v" + i, null, null);
      }
      assertThat(store.desiredStates().prune("shop", 2)).isEqualTo(3);
      assertThat(store.desiredStates().history("shop", 10))
          .extracting(DesiredState::revision)
          .containsExactly(5L, 4L);
      assertThat(store.desiredStates().accept("shop", "v6", null, null).revision()).isEqualTo(6);
    }
  }

  @Nested
  @DisplayName("submission and idempotency")
  class Submissions {
    @Test
    @DisplayName("a new job is queued with its inputs, and ids grow in submission order")
    void queued() {
      Job job =
          store
              .jobs()
              .submit(
                  NewJob.builder("shop", JobKind.SCALE)
                      .payload("{\"web\":3}")
                      .tenant("acme")
                      .principal("alice")
                      .build())
              .job();
      Job later = submit("shop", JobKind.SCALE);

      assertThat(job.state()).isEqualTo(JobState.QUEUED);
      assertThat(job.attempts()).isZero();
      assertThat(job.payload()).isEqualTo("{\"web\":3}");
      assertThat(job.tenant()).isEqualTo("acme");
      assertThat(job.principal()).isEqualTo("alice");
      assertThat(job.notBefore()).isEqualTo(clock.instant());
      assertThat(job.createdAt()).isEqualTo(clock.instant());
      assertThat(job.fencingToken()).isZero();
      assertThat(later.id()).isGreaterThan(job.id());
      assertThat(store.jobs().get(job.id())).contains(job);
    }

    @Test
    @DisplayName("resubmitting an idempotency key returns the first job and changes nothing")
    void idempotencyKey() {
      NewJob request =
          NewJob.builder("shop", JobKind.DEPLOY).idempotencyKey("req-1").desiredSpec("v1").build();
      Submission first = store.jobs().submit(request);
      Submission again =
          store
              .jobs()
              .submit(
                  NewJob.builder("shop", JobKind.DEPLOY)
                      .idempotencyKey("req-1")
                      .desiredSpec("v2")
                      .build());

      assertThat(first.created()).isTrue();
      assertThat(again.created()).isFalse();
      assertThat(again.job()).isEqualTo(first.job());
      assertThat(store.jobs().list(JobQuery.ofStack("shop", 10))).hasSize(1);
      assertThat(store.desiredStates().current("shop").orElseThrow().revision()).isEqualTo(1);
      assertThat(store.jobs().byIdempotencyKey("shop", "req-1")).contains(first.job());
    }

    @Test
    @DisplayName("an idempotency key is unique per stack, not across stacks")
    void keyPerStack() {
      Submission shop =
          store.jobs().submit(NewJob.builder("shop", JobKind.DEPLOY).idempotencyKey("k").build());
      Submission blog =
          store.jobs().submit(NewJob.builder("blog", JobKind.DEPLOY).idempotencyKey("k").build());
      assertThat(shop.created()).isTrue();
      assertThat(blog.created()).isTrue();
      assertThat(blog.job().id()).isNotEqualTo(shop.job().id());
    }

    @Test
    @DisplayName("concurrent submissions of one idempotency key queue exactly one job")
    void concurrentKey() throws Exception {
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<Submission>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store
                        .jobs()
                        .submit(
                            NewJob.builder("shop", JobKind.DEPLOY)
                                .idempotencyKey("same")
                                .desiredSpec("v")
                                .build());
                  }));
        }
        start.countDown();
        List<Submission> submissions = new ArrayList<>();
        for (Future<Submission> result : results) {
          submissions.add(result.get(30, TimeUnit.SECONDS));
        }
        assertThat(submissions).filteredOn(Submission::created).hasSize(1);
        assertThat(submissions)
            .extracting(s -> s.job().id())
            .containsOnly(submissions.get(0).job().id());
        assertThat(store.desiredStates().history("shop", 10)).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName(
        "a recorded job is stored finished beside the stack's running job, never claimed, and"
            + " holds up nothing")
    void recorded() {
      Job rollout = deploy("shop", "v1");
      JobClaim running = claimOne("a");
      assertThat(running.jobId()).isEqualTo(rollout.id());
      Job queued = submit("shop", JobKind.SCALE);

      Job promote =
          store
              .jobs()
              .record(
                  NewJob.builder("shop", JobKind.PROMOTE)
                      .payload("job " + rollout.id())
                      .principal("alice")
                      .build(),
                  JobState.SUCCEEDED,
                  "delivered to deploy job " + rollout.id(),
                  null);

      assertThat(promote.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(promote.kind()).isEqualTo(JobKind.PROMOTE);
      assertThat(promote.principal()).isEqualTo("alice");
      assertThat(promote.result()).isEqualTo("delivered to deploy job " + rollout.id());
      assertThat(promote.finishedAt()).isEqualTo(clock.instant());
      assertThat(promote.claimedBy()).isNull();
      assertThat(promote.leaseExpiresAt()).isNull();
      assertThat(promote.id()).isGreaterThan(queued.id());
      assertThat(store.jobs().get(promote.id())).contains(promote);
      assertThat(store.jobs().list(JobQuery.ofStack("shop", 10)))
          .extracting(Job::id)
          .startsWith(promote.id());
      assertThat(store.jobs().get(rollout.id()).orElseThrow().state())
          .as("the running job is untouched")
          .isEqualTo(JobState.RUNNING);
      assertThat(store.jobs().claim("b", TTL, 10)).as("nothing claimable beside it").isEmpty();
      store.jobs().finish(running, JobState.SUCCEEDED, null, null);
      assertThat(claimOne("b").jobId()).as("the queue goes on past it").isEqualTo(queued.id());

      assertThatThrownBy(
              () ->
                  store
                      .jobs()
                      .record(
                          NewJob.builder("shop", JobKind.ABORT).build(),
                          JobState.RUNNING,
                          null,
                          null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () ->
                  store
                      .jobs()
                      .record(
                          NewJob.builder("shop", JobKind.ABORT).desiredSpec("v2").build(),
                          JobState.FAILED,
                          null,
                          "no"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a desired spec");
    }

    @Test
    @DisplayName("list selects by stack and state, newest first")
    void list() {
      Job a = submit("shop", JobKind.DEPLOY);
      Job b = submit("blog", JobKind.DEPLOY);
      Job c = submit("shop", JobKind.SCALE);
      store.jobs().cancel(c.id(), "test");

      assertThat(store.jobs().list(JobQuery.all(10)))
          .extracting(Job::id)
          .containsExactly(c.id(), b.id(), a.id());
      assertThat(store.jobs().list(JobQuery.ofStack("shop", 10)))
          .extracting(Job::id)
          .containsExactly(c.id(), a.id());
      assertThat(store.jobs().list(JobQuery.ofStack("shop", 10).inStates(JobState.QUEUED)))
          .extracting(Job::id)
          .containsExactly(a.id());
      assertThat(store.jobs().list(JobQuery.all(1))).extracting(Job::id).containsExactly(c.id());
    }
  }

  @Nested
  @DisplayName("claims")
  class Claims {
    @Test
    @DisplayName("a claim runs the job under a fresh fencing token, one attempt more")
    void claimRuns() {
      Job job = submit("shop", JobKind.DEPLOY);
      JobClaim claim = claimOne("host-a");

      assertThat(claim.jobId()).isEqualTo(job.id());
      assertThat(claim.holder()).isEqualTo("host-a");
      assertThat(claim.fencingToken()).isPositive();
      assertThat(claim.expiresAt()).isEqualTo(clock.instant().plus(TTL));
      Job running = store.jobs().get(job.id()).orElseThrow();
      assertThat(running.state()).isEqualTo(JobState.RUNNING);
      assertThat(running.attempts()).isEqualTo(1);
      assertThat(running.claimedBy()).isEqualTo("host-a");
      assertThat(running.fencingToken()).isEqualTo(claim.fencingToken());
      assertThat(running.leaseExpiresAt()).isEqualTo(claim.expiresAt());
      assertThat(running.startedAt()).isEqualTo(clock.instant());
      assertThat(store.jobs().isCurrent(claim)).isTrue();
    }

    @Test
    @DisplayName("at most one job of a stack runs; the next is claimable once it finished")
    void oneRunningPerStack() {
      Job first = submit("shop", JobKind.DEPLOY);
      Job second = submit("shop", JobKind.SCALE);
      JobClaim claim = claimOne("host-a");

      assertThat(claim.jobId()).isEqualTo(first.id());
      assertThat(store.jobs().claimNext("host-b", TTL)).isEmpty();

      store.jobs().finish(claim, JobState.SUCCEEDED, "done", null);
      assertThat(claimOne("host-b").jobId()).isEqualTo(second.id());
    }

    @Test
    @DisplayName("jobs of one stack are claimed in submission order")
    void orderPerStack() {
      List<Long> submitted = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        submitted.add(submit("shop", i % 2 == 0 ? JobKind.DEPLOY : JobKind.SCALE).id());
      }
      List<Long> claimed = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        JobClaim claim = claimOne("host-a");
        claimed.add(claim.jobId());
        store.jobs().finish(claim, JobState.SUCCEEDED, null, null);
      }
      assertThat(claimed).isEqualTo(submitted);
    }

    @Test
    @DisplayName(
        "one claim call takes at most one job per stack, stacks in parallel up to the limit")
    void parallelStacks() {
      for (String stack : List.of("a", "b", "c", "d")) {
        submit(stack, JobKind.DEPLOY);
        submit(stack, JobKind.DEPLOY);
      }
      List<JobClaim> claims = store.jobs().claim("host-a", TTL, 3);
      assertThat(claims).hasSize(3);
      assertThat(claims).extracting(JobClaim::stack).doesNotHaveDuplicates();
      List<JobClaim> rest = store.jobs().claim("host-b", TTL, 10);
      assertThat(rest).hasSize(1);
      assertThat(rest.get(0).stack()).isEqualTo("d");
    }

    @Test
    @DisplayName(
        "many threads claiming at once: every job claimed exactly once, never two running per stack")
    void exclusiveUnderConcurrency() throws Exception {
      int stacks = 6;
      int perStack = 8;
      for (int i = 0; i < perStack; i++) {
        for (int s = 0; s < stacks; s++) {
          submit("stack-" + s, JobKind.DEPLOY);
        }
      }
      int total = stacks * perStack;
      int threads = 8;
      Map<Long, AtomicInteger> claimsPerJob = new ConcurrentHashMap<>();
      Map<String, Long> runningPerStack = new ConcurrentHashMap<>();
      List<String> violations = new CopyOnWriteArrayList<>();
      AtomicInteger finished = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      try {
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String holder = "worker-" + t;
          workers.add(
              pool.submit(
                  () -> {
                    start.await();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (finished.get() < total && System.nanoTime() < deadline) {
                      for (JobClaim claim : store.jobs().claim(holder, TTL, 2)) {
                        claimsPerJob
                            .computeIfAbsent(claim.jobId(), id -> new AtomicInteger())
                            .incrementAndGet();
                        Long other = runningPerStack.putIfAbsent(claim.stack(), claim.jobId());
                        if (other != null) {
                          violations.add(
                              claim.stack() + ": " + claim.jobId() + " while " + other + " runs");
                        }
                        store.jobs().progress(claim, new JobProgress(1, 1, "working"));
                        runningPerStack.remove(claim.stack(), claim.jobId());
                        store.jobs().finish(claim, JobState.SUCCEEDED, holder, null);
                        finished.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> worker : workers) {
          worker.get(90, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(violations).isEmpty();
      assertThat(claimsPerJob).hasSize(total);
      assertThat(claimsPerJob.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
      assertThat(store.jobs().list(JobQuery.all(1000).inStates(JobState.SUCCEEDED))).hasSize(total);
    }

    @Test
    @DisplayName("fenced writes record progress, plan, created resources and the outcome")
    void fencedWrites() {
      Job job = submit("shop", JobKind.DEPLOY);
      JobClaim claim = claimOne("host-a");
      store.jobs().progress(claim, new JobProgress(2, 5, "creating services"));
      store.jobs().recordPlan(claim, "create service shop_web");
      store.jobs().recordCreated(claim, List.of("network shop_default"));
      store.jobs().recordCreated(claim, List.of("service shop_web", "secret shop_key"));
      clock.advance(Duration.ofSeconds(3));
      Job done = store.jobs().finish(claim, JobState.ROLLED_BACK, null, "probe failed");

      assertThat(done.id()).isEqualTo(job.id());
      assertThat(done.state()).isEqualTo(JobState.ROLLED_BACK);
      assertThat(done.progress()).isEqualTo(new JobProgress(2, 5, "creating services"));
      assertThat(done.planSummary()).isEqualTo("create service shop_web");
      assertThat(done.createdResources())
          .containsExactly("network shop_default", "service shop_web", "secret shop_key");
      assertThat(done.error()).isEqualTo("probe failed");
      assertThat(done.finishedAt()).isEqualTo(clock.instant());
      assertThat(done.leaseExpiresAt()).isNull();
      assertThat(store.jobs().get(job.id())).contains(done);
      assertThat(store.jobs().isCurrent(claim)).isFalse();
      assertThatThrownBy(() -> store.jobs().progress(claim, JobProgress.none()))
          .isInstanceOf(LeaseLostException.class);
    }

    @Test
    @DisplayName(
        "release puts the job back at once, keeping its place; a claim given back is no attempt")
    void release() {
      Job first = submit("shop", JobKind.DEPLOY);
      submit("shop", JobKind.SCALE);
      JobClaim claim = claimOne("host-a");
      store.jobs().release(claim);

      Job released = store.jobs().get(first.id()).orElseThrow();
      assertThat(released.state()).isEqualTo(JobState.QUEUED);
      assertThat(released.attempts()).isZero();
      assertThat(released.startedAt()).isNull();
      JobClaim again = claimOne("host-b");
      assertThat(again.jobId()).isEqualTo(first.id());
      assertThat(again.fencingToken()).isGreaterThan(claim.fencingToken());
      assertThat(again.job().attempts()).isEqualTo(1);
    }

    @Test
    @DisplayName("a released takeover counts the runs before it, not the claim given back")
    void releaseAfterTakeover() {
      Job job = submit("shop", JobKind.DEPLOY);
      claimOne("host-a");
      clock.advance(TTL.plusMillis(1));
      JobClaim takeover = claimOne("host-b");
      assertThat(takeover.job().attempts()).isEqualTo(2);
      store.jobs().release(takeover);

      assertThat(store.jobs().get(job.id()).orElseThrow().attempts()).isEqualTo(1);
      assertThat(store.jobs().get(job.id()).orElseThrow().startedAt()).isNotNull();
    }

    @Test
    @DisplayName("finish refuses a state that is not final")
    void finishNeedsFinalState() {
      submit("shop", JobKind.DEPLOY);
      JobClaim claim = claimOne("host-a");
      assertThatThrownBy(() -> store.jobs().finish(claim, JobState.QUEUED, null, null))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(store.jobs().isCurrent(claim)).isTrue();
    }
  }

  @Nested
  @DisplayName("submitters: a queued job is its live submitter's")
  class Submitters {
    private Job submitBy(String submitter, String stack) {
      return store
          .jobs()
          .submit(NewJob.builder(stack, JobKind.DEPLOY).submittedBy(submitter).build())
          .job();
    }

    private LeaseGrant heartbeat(String owner) {
      return store
          .leases()
          .tryAcquire(Job.heartbeatLease(owner), null, owner, TTL)
          .orElseThrow(() -> new AssertionError("heartbeat of " + owner + " taken"));
    }

    @Test
    @DisplayName("the submission records its submitter")
    void recordsSubmitter() {
      Job job = submitBy("host-a", "shop");
      assertThat(job.submittedBy()).isEqualTo("host-a");
      assertThat(store.jobs().get(job.id()).orElseThrow().submittedBy()).isEqualTo("host-a");
      assertThat(submit("other", JobKind.SCALE).submittedBy()).isNull();
    }

    @Test
    @DisplayName("while the submitter's heartbeat is live, no one else claims its queued job")
    void liveSubmitterKeepsItsJob() {
      heartbeat("host-a");
      heartbeat("host-b");
      Job mine = submitBy("host-a", "shop");
      Job theirs = submitBy("host-b", "blog");

      List<JobClaim> claimedByA = store.jobs().claim("host-a", TTL, 10);
      assertThat(claimedByA).extracting(JobClaim::jobId).containsExactly(mine.id());
      assertThat(store.jobs().get(theirs.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
      assertThat(store.jobs().get(theirs.id()).orElseThrow().attempts()).isZero();
      assertThat(store.jobs().claim("host-c", TTL, 10)).isEmpty();
      assertThat(claimOne("host-b").jobId()).isEqualTo(theirs.id());
    }

    @Test
    @DisplayName("a live submitter's queued job holds back the later jobs of its stack too")
    void liveSubmitterHoldsItsStack() {
      heartbeat("host-a");
      submitBy("host-a", "shop");
      submit("shop", JobKind.SCALE);
      assertThat(store.jobs().claim("host-b", TTL, 10)).isEmpty();
    }

    @Test
    @DisplayName("once the submitter's heartbeat lapsed, anyone claims its queued job")
    void lapsedSubmitterLetsGo() {
      LeaseGrant beat = heartbeat("host-a");
      Job job = submitBy("host-a", "shop");
      clock.advance(TTL.minusMillis(1));
      heartbeat("host-b");
      beat = store.leases().renew(beat, TTL);
      clock.advance(TTL.minusMillis(1));
      assertThat(store.jobs().claimNext("host-b", TTL)).isEmpty();

      clock.advance(Duration.ofMillis(2));
      assertThat(store.leases().isCurrent(beat)).isFalse();
      JobClaim claim = claimOne("host-b");
      assertThat(claim.jobId()).isEqualTo(job.id());
      assertThat(claim.job().attempts()).isEqualTo(1);
    }

    @Test
    @DisplayName(
        "a released heartbeat lets others claim at once; a submitter with none never had one")
    void releasedOrMissingHeartbeat() {
      LeaseGrant beat = heartbeat("host-a");
      Job a = submitBy("host-a", "shop");
      Job never = submitBy("host-z", "blog");
      assertThat(store.jobs().claim("host-b", TTL, 10))
          .extracting(JobClaim::jobId)
          .containsExactly(never.id());
      store.leases().release(beat);
      assertThat(claimOne("host-b").jobId()).isEqualTo(a.id());
    }

    @Test
    @DisplayName("a lease of that name held by someone else is no heartbeat of the submitter")
    void heartbeatMustBeTheSubmitters() {
      store.leases().tryAcquire(Job.heartbeatLease("host-a"), null, "host-x", TTL).orElseThrow();
      Job job = submitBy("host-a", "shop");
      assertThat(claimOne("host-b").jobId()).isEqualTo(job.id());
    }

    @Test
    @DisplayName("a running job whose claim lapsed is taken over even while its submitter lives")
    void runningTakeoverIgnoresSubmitter() {
      LeaseGrant beat = heartbeat("host-a");
      Job job = submitBy("host-a", "shop");
      JobClaim first = claimOne("host-a");
      clock.advance(TTL.plusMillis(1));
      store.leases().tryAcquire(beat.name(), null, "host-a", TTL).orElseThrow();
      JobClaim takeover = claimOne("host-b");
      assertThat(takeover.jobId()).isEqualTo(job.id());
      assertThat(takeover.fencingToken()).isGreaterThan(first.fencingToken());
      assertThat(takeover.job().attempts()).isEqualTo(2);
    }

    @Test
    @DisplayName("a submitter's job retried later stays its own while it lives")
    void retriedJobStaysTheSubmitters() {
      heartbeat("host-a");
      Job job = submitBy("host-a", "shop");
      JobClaim claim = claimOne("host-a");
      store.jobs().retryLater(claim, clock.instant(), "engine unreachable");
      assertThat(store.jobs().claimNext("host-b", TTL)).isEmpty();
      JobClaim again = claimOne("host-a");
      assertThat(again.jobId()).isEqualTo(job.id());
      assertThat(again.job().attempts()).isEqualTo(2);
    }
  }

  @Nested
  @DisplayName("backoff")
  class Backoff {
    @Test
    @DisplayName("a job is not claimed before its not-before instant")
    void notBeforeHonoured() {
      store
          .jobs()
          .submit(
              NewJob.builder("shop", JobKind.DEPLOY)
                  .notBefore(clock.instant().plusSeconds(10))
                  .build());
      assertThat(store.jobs().claimNext("host-a", TTL)).isEmpty();
      clock.advance(Duration.ofMillis(9_999));
      assertThat(store.jobs().claimNext("host-a", TTL)).isEmpty();
      clock.advance(Duration.ofMillis(1));
      assertThat(store.jobs().claimNext("host-a", TTL)).isPresent();
    }

    @Test
    @DisplayName("a retried job waits out its backoff and keeps later jobs of its stack waiting")
    void retryLater() {
      Job first = submit("shop", JobKind.DEPLOY);
      Job second = submit("shop", JobKind.SCALE);
      Job other = submit("blog", JobKind.DEPLOY);
      JobClaim claim = store.jobs().claim("host-a", TTL, 1).get(0);
      assertThat(claim.jobId()).isEqualTo(first.id());

      Job retried =
          store.jobs().retryLater(claim, clock.instant().plusSeconds(4), "engine unreachable");
      assertThat(retried.state()).isEqualTo(JobState.QUEUED);
      assertThat(retried.error()).isEqualTo("engine unreachable");
      assertThat(retried.notBefore()).isEqualTo(clock.instant().plusSeconds(4));

      List<JobClaim> meanwhile = store.jobs().claim("host-a", TTL, 10);
      assertThat(meanwhile).extracting(JobClaim::jobId).containsExactly(other.id());

      clock.advance(Duration.ofSeconds(4));
      JobClaim again = claimOne("host-b");
      assertThat(again.jobId()).isEqualTo(first.id());
      assertThat(again.job().attempts()).isEqualTo(2);
      assertThat(again.fencingToken()).isGreaterThan(claim.fencingToken());
      store.jobs().finish(again, JobState.SUCCEEDED, null, null);
      assertThat(claimOne("host-b").jobId()).isEqualTo(second.id());
    }
  }

  @Nested
  @DisplayName("job leases and fencing")
  class JobLeases {
    @Test
    @DisplayName(
        "a lapsed claim is taken over with a higher token; the stale holder's writes are refused")
    void takeover() {
      Job job = submit("shop", JobKind.DEPLOY);
      JobClaim stale = claimOne("host-a");
      assertThat(store.jobs().claimNext("host-b", TTL)).isEmpty();

      clock.advance(TTL);
      assertThat(store.jobs().isCurrent(stale)).isFalse();
      JobClaim fresh = claimOne("host-b");

      assertThat(fresh.jobId()).isEqualTo(job.id());
      assertThat(fresh.fencingToken()).isGreaterThan(stale.fencingToken());
      assertThat(fresh.job().attempts()).isEqualTo(2);
      assertThatThrownBy(() -> store.jobs().progress(stale, new JobProgress(1, 2, "late")))
          .isInstanceOf(LeaseLostException.class)
          .hasMessageContaining("host-a");
      assertThatThrownBy(() -> store.jobs().finish(stale, JobState.SUCCEEDED, null, null))
          .isInstanceOf(LeaseLostException.class);
      assertThatThrownBy(() -> store.jobs().renew(stale, TTL))
          .isInstanceOf(LeaseLostException.class);
      assertThatThrownBy(() -> store.jobs().recordCreated(stale, List.of("x")))
          .isInstanceOf(LeaseLostException.class);
      assertThatThrownBy(() -> store.jobs().retryLater(stale, clock.instant(), "x"))
          .isInstanceOf(LeaseLostException.class);
      store.jobs().release(stale);

      Job current = store.jobs().get(job.id()).orElseThrow();
      assertThat(current.claimedBy()).isEqualTo("host-b");
      assertThat(current.state()).isEqualTo(JobState.RUNNING);
      assertThat(current.progress()).isEqualTo(JobProgress.none());
      assertThat(store.jobs().finish(fresh, JobState.SUCCEEDED, "ok", null).state())
          .isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    @DisplayName("a lapsed claim refuses writes even before anyone took it over")
    void lapsedRefused() {
      submit("shop", JobKind.DEPLOY);
      JobClaim claim = claimOne("host-a");
      clock.advance(TTL.plusMillis(1));
      assertThatThrownBy(() -> store.jobs().progress(claim, JobProgress.none()))
          .isInstanceOf(LeaseLostException.class);
    }

    @Test
    @DisplayName("renewing extends the claim and keeps its token")
    void renew() {
      submit("shop", JobKind.DEPLOY);
      JobClaim claim = claimOne("host-a");
      clock.advance(TTL.minusSeconds(1));
      JobClaim renewed = store.jobs().renew(claim, TTL);
      assertThat(renewed.fencingToken()).isEqualTo(claim.fencingToken());
      assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plus(TTL));

      clock.advance(Duration.ofSeconds(5));
      assertThat(store.jobs().claimNext("host-b", TTL)).isEmpty();
      assertThat(store.jobs().isCurrent(renewed)).isTrue();
      store.jobs().progress(renewed, new JobProgress(1, 1, "still here"));
    }
  }

  @Nested
  @DisplayName("named leases")
  class NamedLeases {
    @Test
    @DisplayName("one holder at a time; the holder re-acquires and keeps its token")
    void exclusive() {
      LeaseGrant a =
          store.leases().tryAcquire("autoscale/shop", "shop", "host-a", TTL).orElseThrow();
      assertThat(store.leases().tryAcquire("autoscale/shop", "shop", "host-b", TTL)).isEmpty();
      clock.advance(Duration.ofSeconds(10));
      LeaseGrant again =
          store.leases().tryAcquire("autoscale/shop", "shop", "host-a", TTL).orElseThrow();
      assertThat(again.fencingToken()).isEqualTo(a.fencingToken());
      assertThat(again.expiresAt()).isEqualTo(clock.instant().plus(TTL));
      assertThat(store.leases().current("autoscale/shop")).contains(again);
    }

    @Test
    @DisplayName("a lapsed lease is taken over with a higher token; the stale holder is fenced off")
    void takeover() {
      LeaseGrant stale = store.leases().tryAcquire("scaler", null, "host-a", TTL).orElseThrow();
      clock.advance(TTL);
      assertThat(store.leases().current("scaler")).isEmpty();
      LeaseGrant fresh = store.leases().tryAcquire("scaler", null, "host-b", TTL).orElseThrow();

      assertThat(fresh.fencingToken()).isGreaterThan(stale.fencingToken());
      assertThat(store.leases().isCurrent(stale)).isFalse();
      assertThat(store.leases().isCurrent(fresh)).isTrue();
      assertThatThrownBy(() -> store.leases().renew(stale, TTL))
          .isInstanceOf(LeaseLostException.class);
      store.documents().put("health", "shop", "fresh", fresh);
      assertThatThrownBy(() -> store.documents().put("health", "shop", "stale", stale))
          .isInstanceOf(LeaseLostException.class);
      assertThat(store.documents().get("health", "shop")).contains("fresh");
      store.leases().release(stale);
      assertThat(store.leases().current("scaler")).contains(fresh);
    }

    @Test
    @DisplayName("a released lease is free at once, and its next token is higher")
    void release() {
      LeaseGrant a = store.leases().tryAcquire("scaler", null, "host-a", TTL).orElseThrow();
      store.leases().release(a);
      assertThat(store.leases().current("scaler")).isEmpty();
      LeaseGrant b = store.leases().tryAcquire("scaler", null, "host-b", TTL).orElseThrow();
      assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
    }

    @Test
    @DisplayName("a job claim fences document writes too")
    void jobClaimFencesDocuments() {
      submit("shop", JobKind.DEPLOY);
      JobClaim stale = claimOne("host-a");
      store.documents().put("rollout", "shop", "step 1", stale);
      clock.advance(TTL);
      JobClaim fresh = claimOne("host-b");
      assertThatThrownBy(() -> store.documents().put("rollout", "shop", "stale", stale))
          .isInstanceOf(LeaseLostException.class);
      store.documents().put("rollout", "shop", "step 2", fresh);
      assertThat(store.documents().get("rollout", "shop")).contains("step 2");
    }

    @Test
    @DisplayName("fencing tokens grow across job claims and lease acquisitions")
    void tokensGrowAcrossKinds() {
      submit("shop", JobKind.DEPLOY);
      long claim = claimOne("host-a").fencingToken();
      long lease = store.leases().tryAcquire("x", null, "host-a", TTL).orElseThrow().fencingToken();
      submit("blog", JobKind.DEPLOY);
      long second = claimOne("host-a").fencingToken();
      assertThat(lease).isGreaterThan(claim);
      assertThat(second).isGreaterThan(lease);
    }
  }

  @Nested
  @DisplayName("cancellation and supersession")
  class Cancellation {
    @Test
    @DisplayName("a queued job is cancelled at once; a running one is asked to stop")
    void cancel() {
      Job running = submit("shop", JobKind.DEPLOY);
      Job queued = submit("shop", JobKind.DEPLOY);
      JobClaim claim = claimOne("host-a");

      assertThat(store.jobs().cancel(queued.id(), "user asked")).isTrue();
      Job cancelled = store.jobs().get(queued.id()).orElseThrow();
      assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
      assertThat(cancelled.error()).isEqualTo("user asked");
      assertThat(cancelled.finishedAt()).isEqualTo(clock.instant());

      assertThat(store.jobs().cancel(running.id(), "abort")).isTrue();
      Job asked = store.jobs().get(running.id()).orElseThrow();
      assertThat(asked.state()).isEqualTo(JobState.RUNNING);
      assertThat(asked.cancelRequested()).isTrue();
      assertThat(store.jobs().isCurrent(claim)).isTrue();

      store.jobs().finish(claim, JobState.CANCELLED, null, "aborted");
      assertThat(store.jobs().cancel(running.id(), "again")).isFalse();
      assertThat(store.jobs().cancel(424242, "absent")).isFalse();
    }

    @Test
    @DisplayName("a newer deploy cancels the older queued deploys of its stack, nothing else")
    void supersede() {
      Job running = submit("shop", JobKind.DEPLOY);
      claimOne("host-a");
      Job olderDeploy = submit("shop", JobKind.DEPLOY);
      Job scale = submit("shop", JobKind.SCALE);
      Job otherStack = submit("blog", JobKind.DEPLOY);
      Job olderDeploy2 = submit("shop", JobKind.DEPLOY);
      Job newest = submit("shop", JobKind.DEPLOY);
      Job afterNewest = submit("shop", JobKind.DEPLOY);

      List<Long> cancelled =
          store
              .jobs()
              .cancelQueuedOlderThan(
                  "shop", JobKind.DEPLOY, newest.id(), "superseded by job " + newest.id());

      assertThat(cancelled).containsExactlyInAnyOrder(olderDeploy.id(), olderDeploy2.id());
      assertThat(store.jobs().get(olderDeploy.id()).orElseThrow().state())
          .isEqualTo(JobState.CANCELLED);
      assertThat(store.jobs().get(olderDeploy.id()).orElseThrow().error())
          .isEqualTo("superseded by job " + newest.id());
      for (Job untouched : List.of(running, scale, otherStack, newest, afterNewest)) {
        assertThat(store.jobs().get(untouched.id()).orElseThrow().state())
            .as("job %d", untouched.id())
            .isIn(JobState.QUEUED, JobState.RUNNING);
      }
    }
  }

  @Nested
  @DisplayName("retention")
  class Retention {
    @Test
    @DisplayName("finished jobs older than the retention are deleted; live and recent ones stay")
    void purge() {
      Job old = submit("shop", JobKind.DEPLOY);
      store.jobs().finish(claimOne("host-a"), JobState.SUCCEEDED, null, null);
      Job oldFailed = submit("blog", JobKind.DEPLOY);
      store.jobs().finish(claimOne("host-a"), JobState.FAILED, null, "boom");
      clock.advance(Duration.ofHours(2));
      Job recent = submit("shop", JobKind.DEPLOY);
      store.jobs().finish(claimOne("host-a"), JobState.SUCCEEDED, null, null);
      Job running = submit("wiki", JobKind.DEPLOY);
      Job queued = submit("blog", JobKind.DEPLOY);
      assertThat(claimOne("host-a").jobId()).isEqualTo(running.id());
      clock.advance(Duration.ofMinutes(30));

      assertThat(store.jobs().purgeFinished(Duration.ofHours(1))).isEqualTo(2);
      assertThat(store.jobs().get(old.id())).isEmpty();
      assertThat(store.jobs().get(oldFailed.id())).isEmpty();
      assertThat(store.jobs().get(recent.id())).isPresent();
      assertThat(store.jobs().get(running.id())).isPresent();
      assertThat(store.jobs().get(queued.id())).isPresent();
      assertThat(store.jobs().purgeFinished(Duration.ofHours(1))).isZero();
    }
  }

  @Nested
  @DisplayName("stack deletion")
  class StackDeletion {
    @Test
    @DisplayName(
        "deleting a stack deletes its desired states, jobs, leases and documents, nobody else's")
    void deleteStack() {
      for (String stack : List.of("shop", "shop2", "shop-x")) {
        deploy(stack, "v1");
        deploy(stack, "v2");
        store.leases().tryAcquire("autoscale/" + stack, stack, "host-a", TTL).orElseThrow();
        store.documents().put("health", stack, "{}");
        store.documents().put("rollout", stack + "/web", "{}");
        store.documents().append("health-events", stack, "e1", 10);
      }
      store.leases().tryAcquire("global", null, "host-a", TTL).orElseThrow();
      store.documents().put("settings", "global", "{}");
      JobClaim removal = claimOne("host-a");
      while (!removal.stack().equals("shop")) {
        store.jobs().finish(removal, JobState.SUCCEEDED, null, null);
        removal = claimOne("host-a");
      }
      Job remove = store.jobs().submit(NewJob.builder("shop", JobKind.REMOVE).build()).job();

      int deleted = store.deleteStack("shop");

      assertThat(deleted).isPositive();
      assertThat(store.desiredStates().current("shop")).isEmpty();
      assertThat(store.desiredStates().history("shop", 10)).isEmpty();
      assertThat(store.jobs().list(JobQuery.ofStack("shop", 10)))
          .extracting(Job::id)
          .containsExactly(removal.jobId());
      assertThat(store.jobs().get(remove.id())).isEmpty();
      assertThat(store.leases().current("autoscale/shop")).isEmpty();
      assertThat(store.documents().get("health", "shop")).isEmpty();
      assertThat(store.documents().get("rollout", "shop/web")).isEmpty();
      assertThat(store.documents().history("health-events", "shop", 10)).isEmpty();
      assertThat(store.desiredStates().stacks()).containsExactly("shop-x", "shop2");
      // The running job's claimant still records its outcome.
      assertThat(store.jobs().finish(removal, JobState.SUCCEEDED, "removed", null).state())
          .isEqualTo(JobState.SUCCEEDED);

      for (String other : List.of("shop2", "shop-x")) {
        assertThat(store.desiredStates().history(other, 10)).hasSize(2);
        assertThat(store.jobs().list(JobQuery.ofStack(other, 10))).hasSize(2);
        assertThat(store.leases().current("autoscale/" + other)).isPresent();
        assertThat(store.documents().get("health", other)).contains("{}");
        assertThat(store.documents().get("rollout", other + "/web")).contains("{}");
        assertThat(store.documents().history("health-events", other, 10)).containsExactly("e1");
      }
      assertThat(store.leases().current("global")).isPresent();
      assertThat(store.documents().get("settings", "global")).contains("{}");
    }

    @Test
    @DisplayName("a stack created again after deletion starts at revision 1 with no old state")
    void recreate() {
      deploy("shop", "v1");
      deploy("shop", "v2");
      store.documents().put("health", "shop", "failing");
      store.deleteStack("shop");
      assertThat(deploy("shop", "v1").revision()).isEqualTo(1);
      assertThat(store.documents().get("health", "shop")).isEmpty();
    }
  }

  @Nested
  @DisplayName("audit history")
  class AuditHistory {
    private AuditEntry append(String stack, AuditEntry.Kind kind, String summary) {
      return store
          .audit()
          .append(
              AuditEntry.builder(stack, kind)
                  .job(7, JobKind.DEPLOY)
                  .revisions(1, 2)
                  .summary(summary)
                  .outcome("succeeded")
                  .duration(Duration.ofMillis(1234))
                  .host("host-1")
                  .principal("alice"));
    }

    @Test
    @DisplayName("an appended entry comes back with every field, timed by the store's clock")
    void roundTrip() {
      AuditEntry appended = append("shop", AuditEntry.Kind.JOB, "~ update web");
      List<AuditEntry> rows =
          store.audit().history("shop", clock.instant(), clock.instant().plusMillis(1), 10);

      assertThat(rows).containsExactly(appended);
      AuditEntry row = rows.get(0);
      assertThat(row.at()).isEqualTo(clock.instant());
      assertThat(row.kind()).isEqualTo(AuditEntry.Kind.JOB);
      assertThat(row.jobId()).isEqualTo(7);
      assertThat(row.jobKind()).isEqualTo("deploy");
      assertThat(row.revisionBefore()).isEqualTo(1);
      assertThat(row.revisionAfter()).isEqualTo(2);
      assertThat(row.summary()).isEqualTo("~ update web");
      assertThat(row.outcome()).isEqualTo("succeeded");
      assertThat(row.duration()).isEqualTo(Duration.ofMillis(1234));
      assertThat(row.host()).isEqualTo("host-1");
      assertThat(row.principal()).isEqualTo("alice");
    }

    @Test
    @DisplayName("history is by stack and time range (from inclusive, to exclusive), oldest first")
    void byStackAndRange() {
      java.time.Instant start = clock.instant();
      AuditEntry first = append("shop", AuditEntry.Kind.JOB, "one");
      clock.advance(Duration.ofMinutes(1));
      AuditEntry second = append("shop", AuditEntry.Kind.DRIFT_DETECTED, "two");
      append("shop2", AuditEntry.Kind.JOB, "other stack");
      clock.advance(Duration.ofMinutes(1));
      AuditEntry third = append("shop", AuditEntry.Kind.DRIFT_REPAIRED, "three");

      assertThat(store.audit().history("shop", start, clock.instant().plusMillis(1), 10))
          .containsExactly(first, second, third);
      assertThat(store.audit().history("shop", start.plusSeconds(60), clock.instant(), 10))
          .containsExactly(second);
      assertThat(store.audit().history("shop", start, clock.instant().plusMillis(1), 2))
          .containsExactly(first, second);
      assertThat(second.id()).isGreaterThan(first.id());
    }

    @Test
    @DisplayName("deleting a stack leaves its history; retention deletes by age only")
    void survivesDeletionAndGoesByRetention() {
      java.time.Instant start = clock.instant();
      append("shop", AuditEntry.Kind.JOB, "old");
      clock.advance(Duration.ofDays(10));
      AuditEntry recent = append("shop", AuditEntry.Kind.DRIFT_REPAIR_STOPPED, "recent");
      submit("shop", JobKind.SCALE);
      store.deleteStack("shop");

      assertThat(store.audit().history("shop", start, clock.instant().plusMillis(1), 10))
          .hasSize(2);
      assertThat(store.audit().purgeOlderThan(Duration.ofDays(7))).isEqualTo(1);
      assertThat(store.audit().history("shop", start, clock.instant().plusMillis(1), 10))
          .containsExactly(recent);
    }
  }

  @Nested
  @DisplayName("documents (the StateStore)")
  class Documents {
    @Test
    @DisplayName("put, get, replace and delete by namespace and key")
    void values() {
      store.documents().put("health", "shop", "a");
      store.documents().put("health", "shop", "b");
      store.documents().put("health", "blog", "c");
      store.documents().put("other", "shop", "d");

      assertThat(store.documents().get("health", "shop")).contains("b");
      assertThat(store.documents().keys("health")).containsExactly("blog", "shop");
      store.documents().delete("health", "shop");
      store.documents().delete("health", "absent");
      assertThat(store.documents().get("health", "shop")).isEmpty();
      assertThat(store.documents().get("other", "shop")).contains("d");
      assertThat(store.documents().keys("none")).isEmpty();
    }

    @Test
    @DisplayName("a history keeps the newest records, oldest first")
    void history() {
      for (int i = 1; i <= 6; i++) {
        store.documents().append("revisions", "shop", "r" + i, 4);
      }
      assertThat(store.documents().history("revisions", "shop", 10))
          .containsExactly("r3", "r4", "r5", "r6");
      assertThat(store.documents().history("revisions", "shop", 2)).containsExactly("r5", "r6");
      assertThat(store.documents().history("revisions", "blog", 2)).isEmpty();
    }

    @Test
    @DisplayName("large documents come back intact")
    void large() {
      String big = "x".repeat(300_000) + "✓";
      store.documents().put("specs", "shop", big);
      assertThat(store.documents().get("specs", "shop")).contains(big);
    }
  }

  private static io.stackwright.api.store.QuotaClaim claim(
      String tenant, long steadyReplicas, long peakReplicas) {
    return new io.stackwright.api.store.QuotaClaim(
        tenant,
        new ResourceAmounts(
            Map.of(QuotaResource.REPLICAS, steadyReplicas, QuotaResource.STACKS, 1L)),
        new ResourceAmounts(
            Map.of(QuotaResource.REPLICAS, peakReplicas, QuotaResource.STACKS, 1L)));
  }

  private Submission deployFor(String tenant, String stack, long steady, long peak) {
    return store
        .jobs()
        .submit(
            NewJob.builder(stack, JobKind.DEPLOY)
                .desiredSpec("spec")
                .quota(claim(tenant, steady, peak))
                .build());
  }

  @Nested
  @DisplayName("tenant quotas")
  class Quotas {
    @BeforeEach
    void quota() {
      store.quotas().setQuota("acme", TenantQuota.builder().replicas(10).stacks(3).build());
    }

    @Test
    @DisplayName(
        "a quota is kept as set and replaced as a whole; a tenant without one is unlimited")
    void setAndRead() {
      assertThat(store.quotas().quota("acme").limit(QuotaResource.REPLICAS)).contains(10L);
      store.quotas().setQuota("acme", TenantQuota.builder().services(4).build());
      assertThat(store.quotas().quota("acme").limits()).containsOnlyKeys(QuotaResource.SERVICES);
      assertThat(store.quotas().quota("nobody")).isEqualTo(TenantQuota.UNLIMITED);
      assertThat(store.quotas().tenants()).contains("acme");
    }

    @Test
    @DisplayName("a job is admitted with its reservation, and the stack is the tenant's")
    void reserve() {
      deployFor("acme", "shop", 4, 6);
      TenantUsage usage = store.quotas().usage("acme");
      assertThat(usage.used().isZero()).isTrue();
      assertThat(usage.total().get(QuotaResource.REPLICAS)).isEqualTo(6);
      assertThat(usage.stacks()).containsExactly("shop");
      assertThat(store.quotas().owner("shop")).contains("acme");
    }

    @Test
    @DisplayName(
        "a job past the quota is refused, naming tenant, resource, quota, use and request, and"
            + " writes nothing: no job, no desired state")
    void refuse() {
      deployFor("acme", "shop", 4, 6);
      assertThatThrownBy(() -> deployFor("acme", "blog", 4, 5))
          .isInstanceOfSatisfying(
              QuotaExceededException.class,
              e -> {
                assertThat(e.tenant()).isEqualTo("acme");
                assertThat(e.resource()).isEqualTo(QuotaResource.REPLICAS);
                assertThat(e.quota()).isEqualTo(10);
                assertThat(e.used()).isEqualTo(6);
                assertThat(e.requested()).isEqualTo(5);
              })
          .hasMessageContaining("tenant acme")
          .hasMessageContaining("replicas");
      assertThat(store.jobs().list(JobQuery.ofStack("blog", 10))).isEmpty();
      assertThat(store.desiredStates().current("blog")).isEmpty();
      assertThat(store.quotas().owner("blog")).isEmpty();
    }

    @Test
    @DisplayName("success leaves the steady use; the surge is released")
    void successKeepsSteady() {
      deployFor("acme", "shop", 4, 6);
      JobClaim claim = claimOne("a");
      store.jobs().finish(claim, JobState.SUCCEEDED, "ok", null);
      TenantUsage usage = store.quotas().usage("acme");
      assertThat(usage.used().get(QuotaResource.REPLICAS)).isEqualTo(4);
      assertThat(usage.reserved().isZero()).isTrue();
      // an update of the same stack is charged its own peak, not on top of its current use
      deployFor("acme", "shop", 8, 10);
      assertThat(store.quotas().usage("acme").total().get(QuotaResource.REPLICAS)).isEqualTo(10);
    }

    @Test
    @DisplayName("a failed, rolled-back or cancelled job releases its reservation")
    void failureReleases() {
      deployFor("acme", "shop", 4, 6);
      store.jobs().finish(claimOne("a"), JobState.FAILED, null, "boom");
      assertThat(store.quotas().usage("acme").total().isZero()).isTrue();
      Job queued = deployFor("acme", "shop", 9, 10).job();
      store.jobs().cancel(queued.id(), "no");
      assertThat(store.quotas().usage("acme").total().isZero()).isTrue();
      deployFor("acme", "shop", 2, 2);
      Job newer = deployFor("acme", "shop", 3, 3).job();
      store.jobs().cancelQueuedOlderThan("shop", JobKind.DEPLOY, newer.id(), "superseded");
      assertThat(store.quotas().usage("acme").total().get(QuotaResource.REPLICAS)).isEqualTo(3);
    }

    @Test
    @DisplayName("a stack of one tenant cannot be deployed by another")
    void ownership() {
      deployFor("acme", "shop", 1, 1);
      assertThatThrownBy(() -> deployFor("globex", "shop", 1, 1))
          .isInstanceOf(io.stackwright.api.ConflictException.class)
          .hasMessageContaining("another tenant");
    }

    @Test
    @DisplayName("deleting a stack frees its use and its ownership")
    void deleteFrees() {
      deployFor("acme", "shop", 4, 4);
      store.jobs().finish(claimOne("a"), JobState.SUCCEEDED, "ok", null);
      store.deleteStack("shop");
      assertThat(store.quotas().usage("acme").total().isZero()).isTrue();
      assertThat(store.quotas().owner("shop")).isEmpty();
    }

    @Test
    @DisplayName(
        "many threads admitting at once never pass the quota: exactly the admissible number"
            + " succeed")
    void concurrentAdmissions() throws Exception {
      int threads = 8;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      try {
        for (int i = 0; i < 12; i++) {
          String stack = "s" + i;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    try {
                      deployFor("acme", stack, 3, 3);
                      admitted.incrementAndGet();
                    } catch (QuotaExceededException e) {
                      refused.incrementAndGet();
                    }
                    return null;
                  }));
        }
        start.countDown();
        for (Future<?> f : futures) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      // 10 replicas and 3 stacks: 3 stacks of 3 replicas fit, the fourth passes both
      assertThat(admitted.get()).isEqualTo(3);
      assertThat(refused.get()).isEqualTo(9);
      assertThat(store.quotas().usage("acme").total().get(QuotaResource.REPLICAS)).isEqualTo(9);
    }
  }
}
