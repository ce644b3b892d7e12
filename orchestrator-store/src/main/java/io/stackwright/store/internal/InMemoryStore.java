package io.stackwright.store.internal;

import io.stackwright.api.spi.DesiredStateStore;
import io.stackwright.api.spi.DocumentStore;
import io.stackwright.api.spi.JobStore;
import io.stackwright.api.spi.LeaseStore;
import io.stackwright.api.spi.QuotaStore;
import io.stackwright.api.spi.Store;
import io.stackwright.api.store.DesiredState;
import io.stackwright.api.store.Fence;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobClaim;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobProgress;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.api.store.LeaseGrant;
import io.stackwright.api.store.NewJob;
import io.stackwright.api.store.QuotaClaim;
import io.stackwright.api.store.Submission;
import io.stackwright.api.tenancy.ResourceAmounts;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.api.tenancy.TenantUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link Store} in this JVM's memory, for tests and for hosts that need nothing to survive a
 * restart. One monitor guards every map: the operations are short, and one lock makes the job
 * guarantees (one claimant, one running job per stack) plain to see.
 */
public final class InMemoryStore implements Store {

  private final Clock clock;
  private final Object lock = new Object();
  private long nextJobId = 1;
  private long nextToken = 1;
  private final TreeMap<Long, Job> jobs = new TreeMap<>();
  private final Map<String, TreeMap<Long, DesiredState>> desired = new HashMap<>();
  private final Map<String, LeaseGrant> leases = new HashMap<>();
  private final Map<String, TreeMap<String, String>> documents = new HashMap<>();
  private final Map<String, Map<String, Deque<String>>> histories = new HashMap<>();

  private final DesiredStateStore desiredView = new Desired();
  private final JobStore jobView = new Jobs();
  private final LeaseStore leaseView = new Leases();
  private final DocumentStore documentView = new Documents();
  private final QuotaStore quotaView = new Quotas();

  // tenancy: quotas, owners, steady use by stack, live reservations by job id
  private final Map<String, TenantQuota> quotas = new HashMap<>();
  private final Map<String, String> owners = new HashMap<>();
  private final Map<String, ResourceAmounts> steady = new HashMap<>();
  private final Map<Long, Held> reservations = new HashMap<>();

  private record Held(String tenant, String stack, ResourceAmounts steady, ResourceAmounts peak) {}

  private final List<io.stackwright.api.store.AuditEntry> auditRows = new ArrayList<>();
  private long nextAuditId = 1;
  private final io.stackwright.api.spi.AuditStore auditView = new Audit();

  public InMemoryStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public DesiredStateStore desiredStates() {
    return desiredView;
  }

  @Override
  public JobStore jobs() {
    return jobView;
  }

  @Override
  public LeaseStore leases() {
    return leaseView;
  }

  @Override
  public DocumentStore documents() {
    return documentView;
  }

  @Override
  public io.stackwright.api.spi.AuditStore audit() {
    return auditView;
  }

  /** Append-only rows; {@link #deleteStack} leaves them. */
  private final class Audit implements io.stackwright.api.spi.AuditStore {
    @Override
    public io.stackwright.api.store.AuditEntry append(
        io.stackwright.api.store.AuditEntry.Builder entry) {
      Objects.requireNonNull(entry, "entry");
      synchronized (lock) {
        io.stackwright.api.store.AuditEntry row = entry.build(nextAuditId++, now());
        auditRows.add(row);
        return row;
      }
    }

    @Override
    public List<io.stackwright.api.store.AuditEntry> history(
        String stack, Instant from, Instant to, int limit) {
      Objects.requireNonNull(stack, "stack");
      StoreRules.requirePositive(limit, "limit");
      synchronized (lock) {
        return auditRows.stream()
            .filter(r -> r.stack().equals(stack))
            .filter(r -> !r.at().isBefore(from) && r.at().isBefore(to))
            .limit(limit)
            .toList();
      }
    }

    @Override
    public int purgeOlderThan(java.time.Duration retention) {
      Instant cutoff = now().minus(retention);
      synchronized (lock) {
        int before = auditRows.size();
        auditRows.removeIf(r -> r.at().isBefore(cutoff));
        return before - auditRows.size();
      }
    }
  }

  @Override
  public QuotaStore quotas() {
    return quotaView;
  }

  /** The tenant's steady use by stack and its live reservations (under the lock). */
  private Map<String, ResourceAmounts> steadyOf(String tenant) {
    Map<String, ResourceAmounts> byStack = new TreeMap<>();
    steady.forEach(
        (stack, amounts) -> {
          if (tenant.equals(owners.get(stack))) {
            byStack.put(stack, amounts);
          }
        });
    return byStack;
  }

  private List<QuotaLedger.Reservation> reservationsOf(String tenant) {
    List<QuotaLedger.Reservation> held = new ArrayList<>();
    reservations.forEach(
        (job, r) -> {
          if (r.tenant().equals(tenant)) {
            held.add(new QuotaLedger.Reservation(job, r.stack(), r.peak()));
          }
        });
    return held;
  }

  /** Ends a job's reservation: a success leaves its steady use as the stack's (under the lock). */
  private void releaseQuota(long jobId, boolean succeeded) {
    Held held = reservations.remove(jobId);
    if (held != null && succeeded) {
      steady.put(held.stack(), held.steady());
    }
  }

  private final class Quotas implements QuotaStore {
    @Override
    public void setQuota(String tenant, TenantQuota quota) {
      synchronized (lock) {
        quotas.put(Objects.requireNonNull(tenant, "tenant"), Objects.requireNonNull(quota));
      }
    }

    @Override
    public TenantQuota quota(String tenant) {
      synchronized (lock) {
        return quotas.getOrDefault(tenant, TenantQuota.UNLIMITED);
      }
    }

    @Override
    public TenantUsage usage(String tenant) {
      synchronized (lock) {
        Map<String, ResourceAmounts> byStack = steadyOf(tenant);
        ResourceAmounts used = ResourceAmounts.ZERO;
        for (ResourceAmounts a : byStack.values()) {
          used = used.plus(a);
        }
        List<String> stacks =
            owners.entrySet().stream()
                .filter(e -> e.getValue().equals(tenant))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        return new TenantUsage(
            tenant,
            quotas.getOrDefault(tenant, TenantQuota.UNLIMITED),
            used,
            QuotaLedger.reservedBeyondSteady(byStack, reservationsOf(tenant)),
            stacks);
      }
    }

    @Override
    public Optional<String> owner(String stack) {
      synchronized (lock) {
        return Optional.ofNullable(owners.get(stack));
      }
    }

    @Override
    public List<String> tenants() {
      synchronized (lock) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(quotas.keySet());
        all.addAll(owners.values());
        return List.copyOf(all);
      }
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public int deleteStack(String stack) {
    synchronized (lock) {
      int deleted = 0;
      TreeMap<Long, DesiredState> revisions = desired.remove(stack);
      deleted += revisions == null ? 0 : revisions.size();
      for (Iterator<Job> it = jobs.values().iterator(); it.hasNext(); ) {
        Job job = it.next();
        if (job.stack().equals(stack) && job.state() != JobState.RUNNING) {
          it.remove();
          deleted++;
        }
      }
      for (Iterator<LeaseGrant> it = leases.values().iterator(); it.hasNext(); ) {
        if (stack.equals(it.next().stack())) {
          it.remove();
          deleted++;
        }
      }
      for (TreeMap<String, String> namespace : documents.values()) {
        deleted += removeOwned(namespace.keySet(), stack);
      }
      for (Map<String, Deque<String>> namespace : histories.values()) {
        deleted += removeOwned(namespace.keySet(), stack);
      }
      deleted += steady.remove(stack) == null ? 0 : 1;
      deleted += owners.remove(stack) == null ? 0 : 1;
      return deleted;
    }
  }

  private static int removeOwned(Set<String> keys, String stack) {
    int removed = 0;
    for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
      if (stack.equals(StoreRules.ownerOf(it.next()))) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  @Override
  public void close() {}

  private Instant now() {
    return StoreRules.now(clock);
  }

  private DesiredState acceptLocked(String stack, String spec, String tenant, String principal) {
    TreeMap<Long, DesiredState> revisions = desired.computeIfAbsent(stack, s -> new TreeMap<>());
    long revision = revisions.isEmpty() ? 1 : revisions.lastKey() + 1;
    DesiredState state = new DesiredState(stack, revision, spec, tenant, principal, now());
    revisions.put(revision, state);
    return state;
  }

  private final class Desired implements DesiredStateStore {
    @Override
    public Optional<DesiredState> current(String stack) {
      synchronized (lock) {
        TreeMap<Long, DesiredState> revisions = desired.get(stack);
        return revisions == null || revisions.isEmpty()
            ? Optional.empty()
            : Optional.of(revisions.lastEntry().getValue());
      }
    }

    @Override
    public Optional<DesiredState> revision(String stack, long revision) {
      synchronized (lock) {
        TreeMap<Long, DesiredState> revisions = desired.get(stack);
        return revisions == null ? Optional.empty() : Optional.ofNullable(revisions.get(revision));
      }
    }

    @Override
    public List<DesiredState> history(String stack, int limit) {
      StoreRules.requirePositive(limit, "limit");
      synchronized (lock) {
        TreeMap<Long, DesiredState> revisions = desired.get(stack);
        if (revisions == null) {
          return List.of();
        }
        return revisions.descendingMap().values().stream().limit(limit).toList();
      }
    }

    @Override
    public List<String> stacks() {
      synchronized (lock) {
        return desired.entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
      }
    }

    @Override
    public DesiredState accept(String stack, String spec, String tenant, String principal) {
      StoreRules.requireStack(stack);
      Objects.requireNonNull(spec, "spec");
      synchronized (lock) {
        return acceptLocked(stack, spec, tenant, principal);
      }
    }

    @Override
    public int prune(String stack, int keep) {
      StoreRules.requirePositive(keep, "keep");
      synchronized (lock) {
        TreeMap<Long, DesiredState> revisions = desired.get(stack);
        int pruned = 0;
        while (revisions != null && revisions.size() > keep) {
          revisions.pollFirstEntry();
          pruned++;
        }
        return pruned;
      }
    }
  }

  private final class Jobs implements JobStore {

    @Override
    public Submission submit(NewJob request) {
      synchronized (lock) {
        if (request.idempotencyKey() != null) {
          Optional<Job> existing = byKeyLocked(request.stack(), request.idempotencyKey());
          if (existing.isPresent()) {
            return new Submission(existing.get(), false);
          }
        }
        if (request.tenant() != null) {
          QuotaLedger.checkOwner(
              request.stack(), request.tenant(), Optional.ofNullable(owners.get(request.stack())));
        }
        QuotaClaim claim = request.quota();
        if (claim != null) {
          QuotaLedger.check(
              request.stack(),
              claim,
              quotas.getOrDefault(claim.tenant(), TenantQuota.UNLIMITED),
              steadyOf(claim.tenant()),
              reservationsOf(claim.tenant()));
        }
        Instant now = now();
        long revision = 0;
        if (request.desiredSpec() != null) {
          revision =
              acceptLocked(
                      request.stack(), request.desiredSpec(), request.tenant(), request.principal())
                  .revision();
        }
        Job job =
            new Job(
                nextJobId++,
                request.stack(),
                request.kind(),
                JobState.QUEUED,
                revision,
                request.payload(),
                request.idempotencyKey(),
                request.tenant(),
                request.principal(),
                request.submittedBy(),
                0,
                request.notBefore() == null ? now : StoreRules.millis(request.notBefore()),
                JobProgress.none(),
                null,
                List.of(),
                null,
                null,
                false,
                now,
                now,
                null,
                null,
                null,
                null,
                0);
        jobs.put(job.id(), job);
        if (request.tenant() != null) {
          owners.putIfAbsent(request.stack(), request.tenant());
        }
        if (claim != null) {
          reservations.put(
              job.id(), new Held(claim.tenant(), request.stack(), claim.steady(), claim.peak()));
        }
        return new Submission(job, true);
      }
    }

    @Override
    public Job record(NewJob request, JobState outcome, String result, String error) {
      StoreRules.requireRecordable(request, outcome);
      synchronized (lock) {
        Instant now = now();
        Job job =
            new Job(
                nextJobId++,
                request.stack(),
                request.kind(),
                outcome,
                0,
                request.payload(),
                null,
                request.tenant(),
                request.principal(),
                request.submittedBy(),
                1,
                now,
                JobProgress.none(),
                null,
                List.of(),
                result,
                error,
                false,
                now,
                now,
                now,
                now,
                null,
                null,
                0);
        jobs.put(job.id(), job);
        return job;
      }
    }

    private Optional<Job> byKeyLocked(String stack, String key) {
      return jobs.values().stream()
          .filter(j -> j.stack().equals(stack) && key.equals(j.idempotencyKey()))
          .findFirst();
    }

    @Override
    public Optional<Job> get(long id) {
      synchronized (lock) {
        return Optional.ofNullable(jobs.get(id));
      }
    }

    @Override
    public Optional<Job> byIdempotencyKey(String stack, String idempotencyKey) {
      synchronized (lock) {
        return byKeyLocked(stack, idempotencyKey);
      }
    }

    @Override
    public List<Job> list(JobQuery query) {
      synchronized (lock) {
        return jobs.descendingMap().values().stream()
            .filter(j -> query.stack() == null || j.stack().equals(query.stack()))
            .filter(j -> query.states().isEmpty() || query.states().contains(j.state()))
            .limit(query.limit())
            .toList();
      }
    }

    @Override
    public List<JobClaim> claim(String holder, Duration leaseTtl, int limit) {
      Objects.requireNonNull(holder, "holder");
      StoreRules.requirePositive(leaseTtl, "leaseTtl");
      StoreRules.requirePositive(limit, "limit");
      synchronized (lock) {
        Instant now = now();
        Set<String> seenStacks = new HashSet<>();
        List<JobClaim> claims = new ArrayList<>();
        // Ascending ids: the first live job met for a stack is its oldest, the only claimable one.
        for (Job job : jobs.values()) {
          if (claims.size() == limit) {
            break;
          }
          if (job.finished() || !seenStacks.add(job.stack())) {
            continue;
          }
          boolean claimable =
              job.state() == JobState.QUEUED
                  ? !job.notBefore().isAfter(now) && submitterLets(job, holder, now)
                  : !job.leaseExpiresAt().isAfter(now);
          if (!claimable) {
            continue;
          }
          long token = nextToken++;
          Instant expiresAt = now.plus(leaseTtl);
          Job claimed =
              copy(job)
                  .state(JobState.RUNNING)
                  .attempts(job.attempts() + 1)
                  .startedAt(job.startedAt() == null ? now : job.startedAt())
                  .claimedBy(holder)
                  .leaseExpiresAt(expiresAt)
                  .fencingToken(token)
                  .updatedAt(now)
                  .build();
          jobs.put(claimed.id(), claimed);
          claims.add(new JobClaim(claimed, holder, token, expiresAt));
        }
        return claims;
      }
    }

    /**
     * A queued job's work lives in its submitter's memory: while the submitter's heartbeat is live,
     * only the submitter claims it; once it lapsed, anyone may (to resume it or fail it).
     */
    private boolean submitterLets(Job job, String holder, Instant now) {
      String submitter = job.submittedBy();
      if (submitter == null || submitter.equals(holder)) {
        return true;
      }
      LeaseGrant heartbeat = leases.get(Job.heartbeatLease(submitter));
      return heartbeat == null
          || !heartbeat.holder().equals(submitter)
          || !heartbeat.expiresAt().isAfter(now);
    }

    /** The job {@code claim} holds, or the refusal of a fenced write. */
    private Job fenced(JobClaim claim, String what) {
      Job job = jobs.get(claim.jobId());
      if (job == null || !StoreRules.claimCurrent(job, claim, now())) {
        throw StoreRules.lost(claim, what, job);
      }
      return job;
    }

    @Override
    public JobClaim renew(JobClaim claim, Duration leaseTtl) {
      StoreRules.requirePositive(leaseTtl, "leaseTtl");
      synchronized (lock) {
        Job job = fenced(claim, "renew");
        Instant now = now();
        Instant expiresAt = now.plus(leaseTtl);
        Job renewed = copy(job).leaseExpiresAt(expiresAt).updatedAt(now).build();
        jobs.put(renewed.id(), renewed);
        return new JobClaim(renewed, claim.holder(), claim.fencingToken(), expiresAt);
      }
    }

    @Override
    public boolean isCurrent(JobClaim claim) {
      synchronized (lock) {
        Job job = jobs.get(claim.jobId());
        return job != null && StoreRules.claimCurrent(job, claim, now());
      }
    }

    @Override
    public void progress(JobClaim claim, JobProgress progress) {
      Objects.requireNonNull(progress, "progress");
      synchronized (lock) {
        Job job = fenced(claim, "record progress");
        jobs.put(job.id(), copy(job).progress(progress).updatedAt(now()).build());
      }
    }

    @Override
    public void recordPlan(JobClaim claim, String planSummary) {
      synchronized (lock) {
        Job job = fenced(claim, "record the plan");
        jobs.put(job.id(), copy(job).planSummary(planSummary).updatedAt(now()).build());
      }
    }

    @Override
    public void recordCreated(JobClaim claim, List<String> resources) {
      List<String> added = List.copyOf(resources);
      synchronized (lock) {
        Job job = fenced(claim, "record created resources");
        List<String> all = new ArrayList<>(job.createdResources());
        all.addAll(added);
        jobs.put(job.id(), copy(job).createdResources(all).updatedAt(now()).build());
      }
    }

    @Override
    public Job finish(JobClaim claim, JobState outcome, String result, String error) {
      StoreRules.requireFinal(outcome);
      synchronized (lock) {
        Job job = fenced(claim, "finish");
        Instant now = now();
        Job finished =
            copy(job)
                .state(outcome)
                .result(result)
                .error(error)
                .finishedAt(now)
                .leaseExpiresAt(null)
                .updatedAt(now)
                .build();
        jobs.put(finished.id(), finished);
        releaseQuota(finished.id(), outcome == JobState.SUCCEEDED);
        return finished;
      }
    }

    @Override
    public Job retryLater(JobClaim claim, Instant notBefore, String error) {
      Objects.requireNonNull(notBefore, "notBefore");
      synchronized (lock) {
        Job job = fenced(claim, "retry later");
        Job queued =
            copy(job)
                .state(JobState.QUEUED)
                .notBefore(StoreRules.millis(notBefore))
                .error(error)
                .leaseExpiresAt(null)
                .updatedAt(now())
                .build();
        jobs.put(queued.id(), queued);
        return queued;
      }
    }

    @Override
    public void release(JobClaim claim) {
      synchronized (lock) {
        Job job = jobs.get(claim.jobId());
        if (job == null || !StoreRules.claimCurrent(job, claim, now())) {
          return;
        }
        Instant now = now();
        // A claim given back is no run: it does not count as an attempt.
        int attempts = Math.max(0, job.attempts() - 1);
        jobs.put(
            job.id(),
            copy(job)
                .state(JobState.QUEUED)
                .attempts(attempts)
                .startedAt(attempts == 0 ? null : job.startedAt())
                .notBefore(now)
                .leaseExpiresAt(null)
                .updatedAt(now)
                .build());
      }
    }

    @Override
    public boolean cancel(long id, String reason) {
      synchronized (lock) {
        Job job = jobs.get(id);
        if (job == null || job.finished()) {
          return false;
        }
        Instant now = now();
        if (job.state() == JobState.QUEUED) {
          jobs.put(
              id,
              copy(job)
                  .state(JobState.CANCELLED)
                  .error(reason)
                  .finishedAt(now)
                  .updatedAt(now)
                  .build());
          releaseQuota(id, false);
          return true;
        }
        if (job.cancelRequested()) {
          return false;
        }
        jobs.put(id, copy(job).cancelRequested(true).updatedAt(now).build());
        return true;
      }
    }

    @Override
    public List<Long> cancelQueuedOlderThan(
        String stack, JobKind kind, long newerJobId, String reason) {
      synchronized (lock) {
        Instant now = now();
        List<Long> cancelled = new ArrayList<>();
        for (Job job : List.copyOf(jobs.headMap(newerJobId, false).values())) {
          if (job.stack().equals(stack) && job.kind() == kind && job.state() == JobState.QUEUED) {
            jobs.put(
                job.id(),
                copy(job)
                    .state(JobState.CANCELLED)
                    .error(reason)
                    .finishedAt(now)
                    .updatedAt(now)
                    .build());
            cancelled.add(job.id());
            releaseQuota(job.id(), false);
          }
        }
        return cancelled;
      }
    }

    @Override
    public int purgeFinished(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      synchronized (lock) {
        Instant cutoff = now().minus(retention);
        // a process's heartbeat is never taken again once its process is gone (see JdbcStore)
        leases
            .values()
            .removeIf(
                l -> l.name().startsWith(Job.HEARTBEAT_PREFIX) && l.expiresAt().isBefore(cutoff));
        int purged = 0;
        for (Iterator<Job> it = jobs.values().iterator(); it.hasNext(); ) {
          Job job = it.next();
          if (job.finished() && job.finishedAt().isBefore(cutoff)) {
            it.remove();
            purged++;
          }
        }
        return purged;
      }
    }
  }

  private final class Leases implements LeaseStore {
    @Override
    public Optional<LeaseGrant> tryAcquire(String name, String stack, String holder, Duration ttl) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(holder, "holder");
      StoreRules.requirePositive(ttl, "ttl");
      synchronized (lock) {
        Instant now = now();
        LeaseGrant held = leases.get(name);
        boolean live = held != null && held.expiresAt().isAfter(now);
        if (live && !held.holder().equals(holder)) {
          return Optional.empty();
        }
        long token = live ? held.fencingToken() : nextToken++;
        LeaseGrant grant = new LeaseGrant(name, stack, holder, token, now.plus(ttl));
        leases.put(name, grant);
        return Optional.of(grant);
      }
    }

    @Override
    public LeaseGrant renew(LeaseGrant grant, Duration ttl) {
      StoreRules.requirePositive(ttl, "ttl");
      synchronized (lock) {
        if (!currentLocked(grant)) {
          throw StoreRules.lost(grant, "renew");
        }
        LeaseGrant renewed =
            new LeaseGrant(
                grant.name(), grant.stack(), grant.holder(), grant.fencingToken(), now().plus(ttl));
        leases.put(grant.name(), renewed);
        return renewed;
      }
    }

    @Override
    public void release(LeaseGrant grant) {
      synchronized (lock) {
        if (currentLocked(grant)) {
          // The row stays (lapsed at once): tokens only grow, even across a release.
          LeaseGrant held = leases.get(grant.name());
          leases.put(
              grant.name(),
              new LeaseGrant(held.name(), held.stack(), held.holder(), held.fencingToken(), now()));
        }
      }
    }

    @Override
    public boolean isCurrent(LeaseGrant grant) {
      synchronized (lock) {
        return currentLocked(grant);
      }
    }

    private boolean currentLocked(LeaseGrant grant) {
      LeaseGrant held = leases.get(grant.name());
      return held != null
          && held.fencingToken() == grant.fencingToken()
          && held.holder().equals(grant.holder())
          && held.expiresAt().isAfter(now());
    }

    @Override
    public Optional<LeaseGrant> current(String name) {
      synchronized (lock) {
        LeaseGrant held = leases.get(name);
        return held != null && held.expiresAt().isAfter(now())
            ? Optional.of(held)
            : Optional.empty();
      }
    }
  }

  private boolean fenceCurrentLocked(Fence fence) {
    if (fence instanceof JobClaim claim) {
      Job job = jobs.get(claim.jobId());
      return job != null && StoreRules.claimCurrent(job, claim, now());
    }
    return ((Leases) leaseView).currentLocked((LeaseGrant) fence);
  }

  private final class Documents implements DocumentStore {
    @Override
    public Optional<String> get(String namespace, String key) {
      synchronized (lock) {
        TreeMap<String, String> values = documents.get(namespace);
        return values == null ? Optional.empty() : Optional.ofNullable(values.get(key));
      }
    }

    @Override
    public void put(String namespace, String key, String value) {
      StoreRules.requireDocumentKey(namespace, key);
      Objects.requireNonNull(value, "value");
      synchronized (lock) {
        documents.computeIfAbsent(namespace, n -> new TreeMap<>()).put(key, value);
      }
    }

    @Override
    public void put(String namespace, String key, String value, Fence fence) {
      StoreRules.requireDocumentKey(namespace, key);
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(fence, "fence");
      synchronized (lock) {
        if (!fenceCurrentLocked(fence)) {
          throw StoreRules.lostDocument(fence, namespace, key);
        }
        documents.computeIfAbsent(namespace, n -> new TreeMap<>()).put(key, value);
      }
    }

    @Override
    public void delete(String namespace, String key) {
      synchronized (lock) {
        TreeMap<String, String> values = documents.get(namespace);
        if (values != null) {
          values.remove(key);
        }
        Map<String, Deque<String>> history = histories.get(namespace);
        if (history != null) {
          history.remove(key);
        }
      }
    }

    @Override
    public List<String> keys(String namespace) {
      synchronized (lock) {
        TreeMap<String, String> values = documents.get(namespace);
        return values == null ? List.of() : List.copyOf(values.keySet());
      }
    }

    @Override
    public void append(String namespace, String key, String record, int keep) {
      StoreRules.requireDocumentKey(namespace, key);
      Objects.requireNonNull(record, "record");
      StoreRules.requirePositive(keep, "keep");
      synchronized (lock) {
        Deque<String> history =
            histories
                .computeIfAbsent(namespace, n -> new HashMap<>())
                .computeIfAbsent(key, k -> new ArrayDeque<>());
        history.addLast(record);
        while (history.size() > keep) {
          history.removeFirst();
        }
      }
    }

    @Override
    public List<String> history(String namespace, String key, int limit) {
      StoreRules.requirePositive(limit, "limit");
      synchronized (lock) {
        Map<String, Deque<String>> byKey = histories.get(namespace);
        Deque<String> history = byKey == null ? null : byKey.get(key);
        if (history == null) {
          return List.of();
        }
        List<String> all = List.copyOf(history);
        return all.subList(Math.max(0, all.size() - limit), all.size());
      }
    }
  }

  private static JobCopy copy(Job job) {
    return new JobCopy(job);
  }
}
