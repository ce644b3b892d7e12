package io.stackwright.core.jobs.internal;

import io.stackwright.api.NotFoundException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.DocumentStore;
import io.stackwright.api.spi.JobStore;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Store;
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
import io.stackwright.core.internal.EventLog;
import io.stackwright.core.jobs.JobHandle;
import io.stackwright.core.jobs.Jobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the jobs of a {@link Store}'s queue. The store keeps the rules that need its transactions:
 * the jobs of one stack are claimed one at a time in submission order, a queued job waits for its
 * {@code notBefore}, each claim gets a fencing token, a lapsed claim can be taken over. The engine
 * adds the rest: at most {@link JobSettings#maxConcurrentStacks} jobs running in this process,
 * supersession of queued deploys, remove cancelling the stack's jobs, retries with backoff and
 * jitter for retryable failures, signals to running jobs, lease renewal, retention, events and
 * metrics.
 *
 * <p>All decisions happen in {@link #pump()}: a submission, the end of an attempt and a timer
 * (every {@link JobSettings#tick}) call it; tests call it after moving a manual clock.
 */
public final class JobEngine implements Jobs, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);

  /** The signal that ends a running job (a remove's, a caller's cancel). */
  public static final String CANCEL = "cancel";

  /** Where signals to running jobs wait for their claimant: key {@code <stack>/<job id>}. */
  static final String SIGNALS = "job-signals";

  private static final int LIST_LIMIT = 10_000;

  private final Store store;
  private final JobStore queue;
  private final DocumentStore documents;
  private final Executor executor;
  private final Clock clock;
  private final RandomGenerator random;
  private final JobSettings settings;
  private final String owner;
  private final List<EventListener> listeners;
  private final MetricsRecorder metrics;

  private final Map<Long, JobWork> works = new ConcurrentHashMap<>();
  private final Map<Long, EventLog> logs = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Job>> futures = new ConcurrentHashMap<>();
  private final Map<Long, Object> results = new ConcurrentHashMap<>();
  private final Map<Long, LocalRun> runs = new ConcurrentHashMap<>();
  private final Map<JobKind, Function<Job, Optional<JobWork>>> resumers = new ConcurrentHashMap<>();

  private final Object dispatch = new Object();
  private volatile boolean closed;
  private volatile Instant lastPurge = Instant.MIN;

  /**
   * This process's heartbeat ({@link Job#heartbeatLease}): while it is live, the store lets no one
   * else claim the queued jobs submitted here, whose work only this process holds.
   */
  private volatile LeaseGrant heartbeat;

  private ScheduledFuture<?> timer;

  public JobEngine(
      Store store,
      Executor executor,
      Clock clock,
      RandomGenerator random,
      JobSettings settings,
      String owner,
      List<EventListener> listeners,
      MetricsRecorder metrics) {
    this.store = store;
    this.queue = store.jobs();
    this.documents = store.documents();
    this.executor = executor;
    this.clock = clock;
    this.random = random;
    this.settings = settings;
    this.owner = owner;
    this.listeners = List.copyOf(listeners);
    this.metrics = metrics;
  }

  private volatile String principal;

  /**
   * Who the host application says acts through this engine: stored with each job it submits and in
   * the audit history, or {@code null}.
   */
  public JobEngine principal(String value) {
    this.principal = value;
    return this;
  }

  /** A name for this process's claims: host, pid and a random part. */
  public static String defaultOwner() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "host";
    }
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + UUID.randomUUID().toString().substring(0, 6);
  }

  public String owner() {
    return owner;
  }

  public JobSettings settings() {
    return settings;
  }

  /** Calls {@link #pump()} every tick on {@code scheduler} until closed. */
  public JobEngine start(ScheduledExecutorService scheduler) {
    long ms = settings.tick().toMillis();
    timer =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                pump();
              } catch (RuntimeException e) {
                LOG.warn("The job engine's periodic look failed (next in {} ms)", ms, e);
              }
            },
            ms,
            ms,
            TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Lets this process run jobs of {@code kind} that it claims without having submitted them (their
   * submitter died, or another process submitted them): {@code resumer} rebuilds the work from the
   * stored job, or returns empty when it cannot.
   */
  public void resumeWith(JobKind kind, Function<Job, Optional<JobWork>> resumer) {
    resumers.put(kind, resumer);
  }

  // ------------------------------------------------------------------------------ submitting

  /**
   * Queues a job. A deploy supersedes the stack's queued deploys; a remove cancels the stack's
   * queued jobs and asks its running one to stop; a resubmission with a known idempotency key
   * returns the first job and queues nothing.
   */
  public JobHandle submit(JobRequest request) {
    if (closed) {
      throw new OrchestratorException(
          "the orchestrator is closed; cannot run "
              + request.kind().id()
              + " of "
              + request.stack());
    }
    NewJob job =
        NewJob.builder(request.stack(), request.kind())
            .submittedBy(owner)
            .payload(request.payload())
            .idempotencyKey(request.idempotencyKey())
            .desiredSpec(request.desiredSpec())
            .principal(principal)
            .tenant(request.tenant())
            .quota(request.quota())
            .build();
    Submission submission;
    // Under the dispatch lock, so that this process never claims the job before its work is known.
    synchronized (dispatch) {
      // Live before the job is queued: no other process may take it for an orphan meanwhile.
      heartbeat(true);
      submission = queue.submit(job);
      if (submission.created()) {
        EventLog log = new EventLog(listeners);
        log.subscribe(request.listener());
        logs.put(submission.job().id(), log);
        works.put(submission.job().id(), request.work());
      }
    }
    Job stored = submission.job();
    if (!submission.created()) {
      LOG.info(
          "Job {} of {} has idempotency key {} already; not queued again",
          stored.id(),
          stored.stack(),
          request.idempotencyKey());
      return handle(stored.id());
    }
    metrics.count(
        "stackwright.jobs.submitted",
        Map.of("stack", request.stack(), "kind", request.kind().id()),
        1);
    emit(
        stored,
        new EventDetail.JobSubmitted(stored.id(), stored.kind()),
        request.kind().id() + " job " + stored.id() + " was queued");
    if (request.kind() == JobKind.DEPLOY) {
      String why = "superseded by deploy " + stored.id();
      for (long older :
          queue.cancelQueuedOlderThan(stored.stack(), JobKind.DEPLOY, stored.id(), why)) {
        LOG.info("Job {} (deploy of {}) {}", older, stored.stack(), why);
        queue.get(older).ifPresent(j -> finished(j, null));
      }
    } else if (request.kind() == JobKind.REMOVE) {
      for (Job older :
          queue.list(
              JobQuery.ofStack(stored.stack(), LIST_LIMIT)
                  .inStates(JobState.QUEUED, JobState.RUNNING))) {
        if (older.id() < stored.id()
            && queue.cancel(older.id(), "cancelled by remove " + stored.id())) {
          queue.get(older.id()).filter(Job::finished).ifPresent(j -> finished(j, null));
        }
      }
    }
    pump();
    return handle(stored.id());
  }

  /**
   * Sends {@code signal} to the running job {@code id} through the store, so that its claimant gets
   * it wherever it runs; {@link #CANCEL} cancels a queued job at once.
   *
   * @throws NotFoundException when no such job is unfinished
   */
  public void signal(long id, String signal) {
    Job job =
        queue
            .get(id)
            .filter(j -> !j.finished())
            .orElseThrow(() -> new NotFoundException("no unfinished job " + id));
    if (CANCEL.equals(signal)) {
      queue.cancel(id, "cancelled");
      queue.get(id).filter(Job::finished).ifPresent(j -> finished(j, null));
    } else if (job.state() == JobState.QUEUED) {
      throw new NotFoundException(
          "job " + id + " has not started yet; only a running job can be told to " + signal);
    } else {
      documents.put(SIGNALS, signalKey(job), signal);
    }
    LOG.info("Sent {} to job {} ({} of {})", signal, id, job.kind().id(), job.stack());
    pump();
  }

  /**
   * Delivers {@code signal} (promote, abort) to the running job {@code target} and records it as a
   * job of {@code kind} of its own, finished when delivered: it has an id, a principal and a place
   * in the stack's history and the audit, though it does not queue behind the job it speaks to.
   *
   * @return the recorded job
   * @throws NotFoundException when {@code target} is not running
   */
  public Job deliver(Job target, JobKind kind, String signal) {
    signal(target.id(), signal);
    Job recorded =
        queue.record(
            NewJob.builder(target.stack(), kind)
                .payload("job " + target.id())
                .submittedBy(owner)
                .principal(principal)
                .tenant(target.tenant())
                .build(),
            JobState.SUCCEEDED,
            signal + " delivered to " + target.kind().id() + " job " + target.id(),
            null);
    finished(recorded, null);
    return recorded;
  }

  private static String signalKey(Job job) {
    return job.stack() + "/" + job.id();
  }

  /** The stack's running job, if any. */
  public Optional<Job> running(String stack) {
    return queue.list(JobQuery.ofStack(stack, 1).inStates(JobState.RUNNING)).stream().findFirst();
  }

  /** Whether this process runs job {@code id} now. */
  public boolean runsHere(long id) {
    return runs.containsKey(id);
  }

  // ------------------------------------------------------------------------------ the pump

  /** Renews, signals, claims, starts and cleans up; see the class documentation. */
  public void pump() {
    if (closed) {
      return;
    }
    List<Runnable> toStart = new ArrayList<>();
    synchronized (dispatch) {
      // Again under the lock: close() takes it after setting the flag, so once close() returns no
      // pump touches the store (which the orchestrator closes next).
      if (closed) {
        return;
      }
      Instant now = clock.instant();
      heartbeat(false);
      renewAndSignal();
      int free = settings.maxConcurrentStacks() - runs.size();
      while (free > 0) {
        List<JobClaim> claims = queue.claim(owner, settings.leaseTtl(), free);
        int started = 0;
        for (JobClaim claim : claims) {
          started += start(claim, toStart) ? 1 : 0;
        }
        free -= started;
        if (claims.size() == started) {
          break; // else some were orphans, failed at once: their slots are free for more
        }
      }
      completeForeign();
      Duration purgeEvery =
          settings.retention().compareTo(Duration.ofMinutes(1)) < 0
              ? settings.retention()
              : Duration.ofMinutes(1);
      if (!now.isBefore(lastPurge.plus(purgeEvery))) {
        lastPurge = now;
        int deleted = queue.purgeFinished(settings.retention());
        if (deleted > 0) {
          LOG.debug("Deleted {} jobs finished more than {} ago", deleted, settings.retention());
          logs.keySet().removeIf(id -> !runs.containsKey(id) && queue.get(id).isEmpty());
          results.keySet().removeIf(id -> !logs.containsKey(id));
          futures.entrySet().removeIf(e -> e.getValue().isDone() && !logs.containsKey(e.getKey()));
        }
      }
      gauges();
    }
    for (Runnable start : toStart) {
      try {
        executor.execute(start);
      } catch (RejectedExecutionException e) {
        LOG.warn("The executor refused a job attempt (closing?)", e);
      }
    }
  }

  /**
   * Acquires or renews this process's heartbeat lease, at most once a tick (or a third of the lease
   * time). A lapsed heartbeat (a long pause) is acquired again, with a new token.
   *
   * @param now a submission: a failure is thrown, not logged
   */
  private void heartbeat(boolean now) {
    LeaseGrant beat = heartbeat;
    Instant at = clock.instant();
    Duration every =
        settings.tick().compareTo(settings.leaseTtl().dividedBy(3)) < 0
            ? settings.tick()
            : settings.leaseTtl().dividedBy(3);
    if (beat != null && beat.expiresAt().isAfter(at.plus(settings.leaseTtl().minus(every)))) {
      return; // renewed less than a tick ago
    }
    try {
      if (beat != null) {
        try {
          heartbeat = store.leases().renew(beat, settings.leaseTtl());
          return;
        } catch (LeaseLostException e) {
          LOG.warn(
              "The heartbeat of {} lapsed (a pause longer than {} s?); the queued jobs submitted"
                  + " here were claimable by other processes meanwhile",
              owner,
              settings.leaseTtl().toSeconds());
        }
      }
      heartbeat =
          store
              .leases()
              .tryAcquire(Job.heartbeatLease(owner), null, owner, settings.leaseTtl())
              .orElseThrow(
                  () ->
                      new OrchestratorException(
                          "another process holds the heartbeat lease "
                              + Job.heartbeatLease(owner)
                              + "; two job engines must not share the owner name "
                              + owner));
    } catch (RuntimeException e) {
      if (now) {
        throw e;
      }
      LOG.warn("Renewing the heartbeat of {} failed: {}", owner, e.toString());
    }
  }

  private void gauges() {
    runningGauges();
    Map<JobKind, Integer> queued = new EnumMap<>(JobKind.class);
    queue
        .list(JobQuery.all(LIST_LIMIT).inStates(JobState.QUEUED))
        .forEach(j -> queued.merge(j.kind(), 1, Integer::sum));
    for (JobKind kind : JobKind.values()) {
      metrics.gauge(
          "stackwright.jobs.queued", Map.of("kind", kind.id()), queued.getOrDefault(kind, 0));
    }
  }

  /**
   * The jobs running here by kind; one that is ending no longer counts, so that whoever awaits a
   * job and then reads the metrics sees it stopped (the next pump, after its future completes, is
   * too late for them).
   */
  private void runningGauges() {
    Map<JobKind, Integer> running = new EnumMap<>(JobKind.class);
    runs.values().stream()
        .filter(r -> !r.ending)
        .forEach(r -> running.merge(r.claim.job().kind(), 1, Integer::sum));
    for (JobKind kind : JobKind.values()) {
      metrics.gauge(
          "stackwright.jobs.running", Map.of("kind", kind.id()), running.getOrDefault(kind, 0));
    }
  }

  /** Starts the claimed job here, or fails it as an orphan; whether it started. */
  private boolean start(JobClaim claim, List<Runnable> toStart) {
    Job job = claim.job();
    JobWork work = works.get(job.id());
    String unresumable = null;
    if (work == null) {
      // The store hands a job submitted elsewhere only once its submitter's heartbeat lapsed (a
      // queued job) or its claimant's claim lapsed (a running one): its work is gone with them.
      try {
        work = resumable(job).orElse(null);
      } catch (RuntimeException e) {
        unresumable = describe(e);
      }
    }
    if (work == null) {
      String gone =
          job.attempts() > 1
              ? "its last claimant is gone (its claim lapsed)"
              : "its submitter "
                  + (job.submittedBy() == null ? "(unknown)" : job.submittedBy())
                  + " is gone (its heartbeat lapsed)";
      String why =
          gone
              + " and this process cannot rebuild the "
              + job.kind().id()
              + " job"
              + (unresumable == null ? " it did not submit" : ": " + unresumable)
              + "; submit it again";
      try {
        finished(queue.finish(claim, JobState.FAILED, null, why), null);
        LOG.warn("Job {} of {} failed as an orphan: {}", job.id(), job.stack(), why);
      } catch (LeaseLostException e) {
        LOG.debug("Job {} was taken meanwhile", job.id());
      }
      return false;
    }
    if (job.attempts() > 1 && !works.containsKey(job.id())) {
      LOG.info(
          "Job {} ({} of {}): resuming it here, attempt {}",
          job.id(),
          job.kind().id(),
          job.stack(),
          job.attempts());
    }
    LocalRun run = new LocalRun(claim, work);
    runs.put(job.id(), run);
    toStart.add(() -> attempt(run));
    return true;
  }

  /**
   * The work a resumer rebuilds from the stored job; empty when there is no resumer or it cannot.
   *
   * @throws RuntimeException from the resumer, whose message says why it cannot (never a secret)
   */
  private Optional<JobWork> resumable(Job job) {
    Function<Job, Optional<JobWork>> resumer = resumers.get(job.kind());
    if (resumer == null) {
      return Optional.empty();
    }
    try {
      return resumer.apply(job);
    } catch (RuntimeException e) {
      LOG.warn("Cannot rebuild job {} of {}: {}", job.id(), job.stack(), describe(e));
      throw e;
    }
  }

  private void renewAndSignal() {
    for (LocalRun run : runs.values()) {
      if (run.fenced || run.ending) {
        continue;
      }
      try {
        run.claim = queue.renew(run.claim, settings.leaseTtl());
      } catch (LeaseLostException e) {
        if (!run.ending) {
          lostLease(run);
        }
        continue;
      } catch (RuntimeException e) {
        // The store did not answer: the claim lapses on its own unless a later renewal works.
        LOG.warn("Renewing the claim of job {} failed: {}", run.claim.jobId(), e.toString());
        continue;
      }
      Job job = run.claim.job();
      if (job.cancelRequested() && !run.cancelled) {
        run.deliver(CANCEL);
      }
      try {
        Optional<String> signal = documents.get(SIGNALS, signalKey(job));
        if (signal.isPresent()) {
          documents.delete(SIGNALS, signalKey(job));
          run.deliver(signal.get());
        }
      } catch (RuntimeException e) {
        LOG.warn("Reading the signals of job {} failed: {}", job.id(), e.toString());
      }
    }
  }

  private void lostLease(LocalRun run) {
    run.fenced = true;
    LOG.warn(
        "Lost the lease of job {} ({} of {}); it stops writing here",
        run.claim.jobId(),
        run.claim.job().kind().id(),
        run.claim.stack());
    Thread thread = run.thread;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Completes the futures of jobs that another process finished. */
  private void completeForeign() {
    for (Map.Entry<Long, CompletableFuture<Job>> entry : futures.entrySet()) {
      if (runs.containsKey(entry.getKey()) || entry.getValue().isDone()) {
        continue;
      }
      queue.get(entry.getKey()).filter(Job::finished).ifPresent(j -> entry.getValue().complete(j));
    }
  }

  // ------------------------------------------------------------------------------ one attempt

  private void attempt(LocalRun run) {
    Job job = run.claim.job();
    run.thread = Thread.currentThread();
    MDC.put("stack", job.stack());
    MDC.put("job", String.valueOf(job.id()));
    Instant started = clock.instant();
    JobState end = null;
    String message = null;
    try {
      emit(
          job,
          new EventDetail.JobStarted(job.id(), job.kind(), job.attempts()),
          job.kind().id() + " job " + job.id() + " started (attempt " + job.attempts() + ")");
      LOG.info(
          "Job {} ({} of {}) started, attempt {}",
          job.id(),
          job.kind().id(),
          job.stack(),
          job.attempts());
      JobOutcome outcome = run.work.run(run);
      end = outcome.state();
      message = outcome.message();
      run.result = outcome.result();
    } catch (Throwable failure) {
      if (run.fenced || failure instanceof LeaseLostException) {
        LOG.warn("Job {} stopped: this process lost its lease", job.id());
        run.fenced = true;
        attemptAbandoned(job, describe(failure));
      } else if (run.cancelled) {
        end = JobState.CANCELLED;
        message = "cancelled: " + describe(failure);
      } else if (Retries.isRetryable(failure)
          && job.attempts() < settings.retries().maxAttempts()) {
        Duration delay = settings.retries().delayAfter(job.attempts(), random);
        String why =
            "attempt "
                + job.attempts()
                + " failed (retrying in "
                + delay.toMillis()
                + " ms): "
                + describe(failure);
        LOG.warn("Job {} ({} of {}): {}", job.id(), job.kind().id(), job.stack(), why);
        try {
          run.ending = true;
          Job requeued = queue.retryLater(run.claim, clock.instant().plus(delay), why);
          emit(
              requeued,
              new EventDetail.JobRetrying(
                  job.id(), job.kind(), job.attempts(), delay, describe(failure)),
              job.kind().id() + " job " + job.id() + ": " + why);
        } catch (LeaseLostException e) {
          run.fenced = true;
          attemptAbandoned(job, describe(failure));
        }
      } else {
        end = JobState.FAILED;
        message =
            (Retries.isRetryable(failure) ? "gave up after " + job.attempts() + " attempts: " : "")
                + describe(failure);
        if (!(failure instanceof OrchestratorException)) {
          LOG.error(
              "Job {} ({} of {}) failed unexpectedly",
              job.id(),
              job.kind().id(),
              job.stack(),
              failure);
        }
      }
    } finally {
      if (end != null && !run.fenced) {
        run.ending = true;
        try {
          Job done =
              queue.finish(
                  run.claim,
                  end,
                  end == JobState.SUCCEEDED ? message : null,
                  end == JobState.SUCCEEDED ? null : message);
          metrics.timing(
              "stackwright.jobs.finished",
              Map.of("stack", job.stack(), "kind", job.kind().id(), "outcome", end.id()),
              Duration.between(started, clock.instant()));
          LOG.info(
              "Job {} ({} of {}) {}: {}", job.id(), job.kind().id(), job.stack(), end, message);
          runningGauges();
          finished(done, run.result);
        } catch (LeaseLostException e) {
          LOG.warn(
              "Job {} finished here after its lease lapsed; its result is not written", job.id());
          attemptAbandoned(job, "the lease lapsed before the result was written");
        } catch (RuntimeException e) {
          // the store failed: the attempt still ends for whoever watches it
          LOG.warn("Job {} ended ({}) but could not be recorded: {}", job.id(), end, e.toString());
          emit(
              job,
              new EventDetail.JobFinished(job.id(), job.kind(), end, describe(e)),
              job.kind().id() + " job " + job.id() + " ended (" + end.id() + ") unrecorded");
        }
      }
      run.thread = null;
      runs.remove(job.id());
      MDC.remove("stack");
      MDC.remove("job");
      Thread.interrupted(); // a signal's interrupt must not leak into the executor's next task
    }
    try {
      pump();
    } catch (RuntimeException e) {
      // The timer's pump tries again on its next tick; this thread belongs to the executor.
      LOG.warn("The job engine's look after job {} failed", run.claim.jobId(), e);
    }
  }

  private static String describe(Throwable failure) {
    return failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }

  /**
   * This process stopped an attempt it no longer owns: the job is not over (its next claimant runs
   * it), so the attempt ends as one that is retried.
   */
  private void attemptAbandoned(Job job, String why) {
    emit(
        job,
        new EventDetail.JobRetrying(job.id(), job.kind(), job.attempts(), Duration.ZERO, why),
        job.kind().id() + " job " + job.id() + " was left to another process: " + why);
  }

  private void finished(Job done, Object result) {
    audit(done);
    String outcome =
        done.error() != null ? done.error() : done.result() == null ? "" : done.result();
    emit(
        done,
        new EventDetail.JobFinished(done.id(), done.kind(), done.state(), done.error()),
        done.kind().id()
            + " job "
            + done.id()
            + " "
            + done.state().id().replace('_', ' ')
            + (outcome.isEmpty() ? "" : ": " + outcome));
    if (result != null) {
      results.put(done.id(), result);
    }
    futures.computeIfAbsent(done.id(), k -> new CompletableFuture<>()).complete(done);
    works.remove(done.id());
  }

  /**
   * Appends the finished job to the audit history: what it changed, how it ended, how long it ran,
   * which process ran it and for whom. A job that applied a revision moved the stack from the one
   * before to it; any other kept the current one.
   */
  private void audit(Job done) {
    try {
      long current = store.desiredStates().current(done.stack()).map(d -> d.revision()).orElse(0L);
      long after = done.revision() > 0 ? done.revision() : current;
      long before = done.revision() > 0 ? done.revision() - 1 : current;
      Duration ran =
          done.startedAt() == null || done.finishedAt() == null
              ? Duration.ZERO
              : Duration.between(done.startedAt(), done.finishedAt());
      String summary =
          done.planSummary() != null
              ? done.planSummary()
              : done.result() != null ? done.result() : done.error() != null ? done.error() : "";
      store
          .audit()
          .append(
              io.stackwright.api.store.AuditEntry.builder(
                      done.stack(), io.stackwright.api.store.AuditEntry.Kind.JOB)
                  .job(done.id(), done.kind())
                  .revisions(before, after)
                  .summary(summary)
                  .outcome(done.state().id())
                  .duration(ran.isNegative() ? Duration.ZERO : ran)
                  .host(done.claimedBy() != null ? done.claimedBy() : owner)
                  .principal(done.principal() != null ? done.principal() : principal));
    } catch (RuntimeException e) {
      // the history is a record, not a gate: a job that finished stays finished
      LOG.warn("Job {}: could not append it to the audit history: {}", done.id(), e.toString());
    }
  }

  /** What the job's work returned with its outcome (a deployment result), once it finished here. */
  public Optional<Object> result(long id) {
    return Optional.ofNullable(results.get(id));
  }

  private void emit(Job job, EventDetail detail, String message) {
    EventLog log = logs.computeIfAbsent(job.id(), k -> new EventLog(listeners));
    log.onEvent(
        new OrchestratorEvent(
            clock.instant(), job.stack(), String.valueOf(job.id()), message, detail));
  }

  // ------------------------------------------------------------------------------ handles

  @Override
  public Optional<JobHandle> get(long id) {
    return queue.get(id).map(j -> handle(j.id()));
  }

  @Override
  public List<Job> list(String stack, int limit) {
    return queue.list(JobQuery.ofStack(stack, limit));
  }

  @Override
  public List<Job> list(int limit) {
    return queue.list(JobQuery.all(limit));
  }

  JobHandle handle(long id) {
    return new EngineJobHandle(this, id);
  }

  Optional<Job> find(long id) {
    return queue.get(id);
  }

  CompletableFuture<Job> future(long id) {
    CompletableFuture<Job> future = futures.computeIfAbsent(id, k -> new CompletableFuture<>());
    // A job running here is completed by its attempt, after its result is kept: the store marks
    // it finished a moment before, and a future completed from the store then had no result (a
    // rolled-back deploy's handle, asked for at that moment, read FAILED; seen in CI under load).
    if (!future.isDone() && !runs.containsKey(id)) {
      queue.get(id).filter(Job::finished).ifPresent(future::complete);
    }
    return future;
  }

  EventLog log(long id) {
    return logs.computeIfAbsent(id, k -> new EventLog(listeners));
  }

  /** Stops claiming; running jobs are asked to stop and their claims given back. */
  @Override
  public void close() {
    closed = true;
    if (timer != null) {
      timer.cancel(false);
    }
    synchronized (dispatch) {
      // waits for a pump under way; later ones see the flag and return
    }
    for (LocalRun run : runs.values()) {
      run.deliver(CANCEL);
    }
    // Jobs queued here hold their work in this process's memory: no other process can run them.
    for (Long id : works.keySet()) {
      if (!runs.containsKey(id)) {
        try {
          if (queue.cancel(id, "the orchestrator that submitted it closed before it ran")) {
            queue.get(id).filter(Job::finished).ifPresent(j -> finished(j, null));
          }
        } catch (RuntimeException e) {
          LOG.debug("Cancelling queued job {} on close failed: {}", id, e.toString());
        }
      }
    }
    LeaseGrant beat = heartbeat;
    if (beat != null) {
      try {
        store.leases().release(beat);
      } catch (RuntimeException e) {
        LOG.debug("Releasing the heartbeat of {} failed: {}", owner, e.toString());
      }
      heartbeat = null;
    }
  }

  /** One attempt of a job that runs in this process. */
  private final class LocalRun implements JobContext {
    volatile JobClaim claim;
    final JobWork work;
    volatile Thread thread;
    volatile boolean fenced;
    // set before the attempt writes its end: from then on a renewal that finds the claim gone
    // raced with that write and is no lost lease
    volatile boolean ending;
    volatile boolean cancelled;
    volatile Predicate<String> handler;
    volatile Object result;

    LocalRun(JobClaim claim, JobWork work) {
      this.claim = claim;
      this.work = work;
    }

    void deliver(String signal) {
      if (CANCEL.equals(signal)) {
        cancelled = true;
      }
      Predicate<String> h = handler;
      boolean handled = false;
      if (h != null) {
        try {
          handled = h.test(signal);
        } catch (RuntimeException e) {
          LOG.warn("Job {} failed handling signal {}", claim.jobId(), signal, e);
        }
      }
      if (!handled && CANCEL.equals(signal)) {
        Thread t = thread;
        if (t != null) {
          t.interrupt();
        }
      }
    }

    @Override
    public Job job() {
      return claim.job();
    }

    @Override
    public void progress(int step, int total, String message) {
      JobProgress progress = new JobProgress(Math.min(step, total), total, message);
      fenced(() -> queue.progress(claim, progress));
      emit(
          claim.job(),
          new EventDetail.JobProgress(claim.job().id(), claim.job().kind(), step, total),
          (total == 0 ? "" : step + "/" + total + " ") + message);
    }

    @Override
    public void created(String resource) {
      fenced(() -> queue.recordCreated(claim, List.of(resource)));
    }

    @Override
    public void plan(String summary) {
      fenced(() -> queue.recordPlan(claim, summary));
    }

    private void fenced(Runnable write) {
      if (fenced) {
        throw new LeaseLostException(
            "job " + claim.jobId() + " lost its lease; " + owner + " stops writing it");
      }
      try {
        write.run();
      } catch (LeaseLostException e) {
        fenced = true;
        throw e;
      }
    }

    @Override
    public EventListener events() {
      return log(claim.jobId());
    }

    @Override
    public boolean holdsLease() {
      return !fenced && claim.expiresAt().isAfter(clock.instant());
    }

    @Override
    public void checkLease() {
      if (!holdsLease()) {
        fenced = true;
        throw new LeaseLostException(
            "job "
                + claim.jobId()
                + " of "
                + claim.stack()
                + " lost its lease; "
                + owner
                + " must not write");
      }
    }

    @Override
    public boolean cancelRequested() {
      return cancelled;
    }

    @Override
    public void onSignal(Predicate<String> h) {
      this.handler = h;
    }

    @Override
    public String toString() {
      return "job " + claim.jobId() + " (" + claim.job().kind().id() + " of " + claim.stack() + ")";
    }
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
