package io.stackwright.store.internal;

import static io.stackwright.store.internal.Sql.bind;
import static io.stackwright.store.internal.Sql.instant;
import static io.stackwright.store.internal.Sql.update;

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
import io.stackwright.api.store.StoreException;
import io.stackwright.api.store.Submission;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.ResourceAmounts;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.api.tenancy.TenantUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The {@link Store} on a JDBC database (H2 or PostgreSQL) whose schema {@link SchemaMigration}
 * migrated. Every operation is one short transaction; the guarantees the SPI states are kept by the
 * schema's constraints (one running job per stack, unique idempotency keys) and by fenced {@code
 * UPDATE ... WHERE fencing_token = ?} statements, not by locks held between calls.
 */
public final class JdbcStore implements Store {

  private static final String JOB_COLUMNS =
      "id, stack, kind, state, revision, payload, idempotency_key, tenant, principal,"
          + " submitted_by, attempts, not_before, progress_step, progress_total, progress_message, plan_summary,"
          + " created_resources, result, error, cancel_requested, created_at, updated_at,"
          + " started_at, finished_at, claimed_by, lease_expires_at, fencing_token";

  /** The claimant's claim is the job's current one: it runs under this token and has not lapsed. */
  private static final String FENCE =
      " id = ? AND state = 'running' AND fencing_token = ? AND claimed_by = ?"
          + " AND lease_expires_at > ?";

  private static final String LIVE = "('queued', 'running')";

  private final Sql sql;
  private final Dialect dialect;
  private final Clock clock;
  private final AutoCloseable resources;

  /** Claims in one process on a database that cannot skip locked rows (H2) take turns here. */
  private final ReentrantLock localClaims = new ReentrantLock();

  /**
   * Submissions of one stack take turns until commit, so that job ids of a stack grow in commit
   * order: a claimant never sees a younger job before an older one of the same stack appears, and
   * supersession ("cancel the older queued deploys") sees every older job. In-process stripes on
   * H2; a transaction-scoped advisory lock on PostgreSQL, across processes.
   */
  private final ReentrantLock[] localSubmits = new ReentrantLock[64];

  {
    for (int i = 0; i < localSubmits.length; i++) {
      localSubmits[i] = new ReentrantLock();
    }
  }

  private final DesiredStateStore desiredView = new Desired();
  private final JobStore jobView = new Jobs();
  private final LeaseStore leaseView = new Leases();
  private final DocumentStore documentView = new Documents();
  private final QuotaStore quotaView = new Quotas();

  /** Admissions of one tenant take turns in this process too (H2 has no cross-process need). */
  private final ReentrantLock[] localTenants = new ReentrantLock[16];

  {
    for (int i = 0; i < localTenants.length; i++) {
      localTenants[i] = new ReentrantLock();
    }
  }

  private final io.stackwright.api.spi.AuditStore auditView = new Audit();

  /**
   * @param description where the store is, for messages (never a password)
   * @param resources closed with the store (a pool the factory opened), or {@code null}
   */
  public JdbcStore(
      DataSource dataSource,
      Dialect dialect,
      Clock clock,
      String description,
      AutoCloseable resources) {
    this.sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"), description);
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.resources = resources;
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

  /** {@code sw_audit}: append-only, not owned by a stack ({@link #deleteStack} leaves it). */
  private final class Audit implements io.stackwright.api.spi.AuditStore {
    @Override
    public io.stackwright.api.store.AuditEntry append(
        io.stackwright.api.store.AuditEntry.Builder entry) {
      Objects.requireNonNull(entry, "entry");
      Instant at = now();
      io.stackwright.api.store.AuditEntry row = entry.build(0, at);
      long id =
          sql.inTransaction(
              "append to the audit history of " + row.stack(),
              c ->
                  Sql.insert(
                      c,
                      "INSERT INTO sw_audit (at_millis, stack, entry_kind, job_id, job_kind,"
                          + " revision_before, revision_after, summary, outcome,"
                          + " duration_millis, host, principal)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      at.toEpochMilli(),
                      row.stack(),
                      row.kind().id(),
                      row.jobId(),
                      row.jobKind(),
                      row.revisionBefore(),
                      row.revisionAfter(),
                      row.summary(),
                      row.outcome(),
                      row.duration().toMillis(),
                      row.host(),
                      row.principal()));
      return entry.build(id, at);
    }

    @Override
    public List<io.stackwright.api.store.AuditEntry> history(
        String stack, Instant from, Instant to, int limit) {
      StoreRules.requireStack(stack);
      StoreRules.requirePositive(limit, "limit");
      return sql.inTransaction(
          "read the audit history of " + stack,
          c ->
              query(
                  c,
                  "SELECT * FROM sw_audit WHERE stack = ? AND at_millis >= ? AND at_millis < ?"
                      + " ORDER BY id LIMIT ?",
                  JdbcStore::auditEntry,
                  stack,
                  from.toEpochMilli(),
                  to.toEpochMilli(),
                  limit));
    }

    @Override
    public int purgeOlderThan(Duration retention) {
      StoreRules.requirePositive(retention, "retention");
      long cutoff = now().minus(retention).toEpochMilli();
      return sql.inTransaction(
          "purge the audit history",
          c -> update(c, "DELETE FROM sw_audit WHERE at_millis < ?", cutoff));
    }
  }

  private static io.stackwright.api.store.AuditEntry auditEntry(ResultSet rows)
      throws SQLException {
    return new io.stackwright.api.store.AuditEntry(
        rows.getLong("id"),
        Instant.ofEpochMilli(rows.getLong("at_millis")),
        rows.getString("stack"),
        io.stackwright.api.store.AuditEntry.Kind.fromId(rows.getString("entry_kind")),
        rows.getLong("job_id"),
        rows.getString("job_kind"),
        rows.getLong("revision_before"),
        rows.getLong("revision_after"),
        rows.getString("summary"),
        rows.getString("outcome"),
        Duration.ofMillis(rows.getLong("duration_millis")),
        rows.getString("host"),
        rows.getString("principal"));
  }

  @Override
  public QuotaStore quotas() {
    return quotaView;
  }

  // ------------------------------------------------------------------------------ tenancy

  /** Makes sure the tenant's row exists and locks it until commit. */
  private void lockTenant(Connection c, String tenant) throws SQLException {
    update(c, dialect.insertTenant, tenant, now());
    queryOne(c, "SELECT tenant FROM sw_tenants WHERE tenant = ? FOR UPDATE", rows -> 1, tenant);
  }

  private static TenantQuota quotaOf(Connection c, String tenant) throws SQLException {
    Map<QuotaResource, Long> limits = new java.util.EnumMap<>(QuotaResource.class);
    for (Object[] row :
        query(
            c,
            "SELECT resource, amount FROM sw_tenant_quotas WHERE tenant = ?",
            rows -> new Object[] {rows.getString(1), rows.getLong(2)},
            tenant)) {
      limits.put(QuotaResource.of((String) row[0]), (Long) row[1]);
    }
    return new TenantQuota(limits);
  }

  private static Map<String, ResourceAmounts> steadyOf(Connection c, String tenant)
      throws SQLException {
    Map<String, Map<QuotaResource, Long>> byStack = new java.util.TreeMap<>();
    for (Object[] row :
        query(
            c,
            "SELECT u.stack, u.resource, u.amount FROM sw_stack_usage u"
                + " JOIN sw_stack_tenants t ON t.stack = u.stack WHERE t.tenant = ?",
            rows -> new Object[] {rows.getString(1), rows.getString(2), rows.getLong(3)},
            tenant)) {
      byStack
          .computeIfAbsent((String) row[0], k -> new java.util.EnumMap<>(QuotaResource.class))
          .put(QuotaResource.of((String) row[1]), (Long) row[2]);
    }
    Map<String, ResourceAmounts> result = new java.util.TreeMap<>();
    byStack.forEach((stack, amounts) -> result.put(stack, new ResourceAmounts(amounts)));
    return result;
  }

  private static List<QuotaLedger.Reservation> reservationsOf(Connection c, String tenant)
      throws SQLException {
    Map<Long, String> stacks = new java.util.TreeMap<>();
    Map<Long, Map<QuotaResource, Long>> peaks = new java.util.TreeMap<>();
    for (Object[] row :
        query(
            c,
            "SELECT job_id, stack, resource, peak FROM sw_quota_reservations WHERE tenant = ?",
            rows ->
                new Object[] {
                  rows.getLong(1), rows.getString(2), rows.getString(3), rows.getLong(4)
                },
            tenant)) {
      long job = (Long) row[0];
      stacks.put(job, (String) row[1]);
      peaks
          .computeIfAbsent(job, k -> new java.util.EnumMap<>(QuotaResource.class))
          .put(QuotaResource.of((String) row[2]), (Long) row[3]);
    }
    List<QuotaLedger.Reservation> result = new ArrayList<>();
    peaks.forEach(
        (job, amounts) ->
            result.add(
                new QuotaLedger.Reservation(job, stacks.get(job), new ResourceAmounts(amounts))));
    return result;
  }

  private static Optional<String> ownerOf(Connection c, String stack) throws SQLException {
    return queryOne(
        c, "SELECT tenant FROM sw_stack_tenants WHERE stack = ?", rows -> rows.getString(1), stack);
  }

  /** The tenancy part of a submission: ownership, the quota check; before the job is written. */
  private void admitTenant(Connection c, NewJob request) throws SQLException {
    if (request.tenant() == null) {
      return;
    }
    lockTenant(c, request.tenant());
    QuotaLedger.checkOwner(request.stack(), request.tenant(), ownerOf(c, request.stack()));
    QuotaClaim claim = request.quota();
    if (claim != null) {
      QuotaLedger.check(
          request.stack(),
          claim,
          quotaOf(c, claim.tenant()),
          steadyOf(c, claim.tenant()),
          reservationsOf(c, claim.tenant()));
    }
  }

  /** The tenancy part after the job is written: the owner and the reservation. */
  private void recordTenant(Connection c, NewJob request, long jobId) throws SQLException {
    if (request.tenant() == null) {
      return;
    }
    if (ownerOf(c, request.stack()).isEmpty()) {
      update(
          c,
          "INSERT INTO sw_stack_tenants (stack, tenant) VALUES (?, ?)",
          request.stack(),
          request.tenant());
    }
    QuotaClaim claim = request.quota();
    if (claim == null) {
      return;
    }
    for (QuotaResource r : QuotaResource.values()) {
      long peak = claim.peak().get(r);
      if (peak > 0) {
        update(
            c,
            "INSERT INTO sw_quota_reservations (job_id, tenant, stack, resource, peak, steady)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            jobId,
            claim.tenant(),
            request.stack(),
            r.id(),
            peak,
            claim.steady().get(r));
      }
    }
  }

  /** Ends a job's reservation; a success leaves its steady use as the stack's. */
  private static void releaseQuota(Connection c, long jobId, boolean succeeded)
      throws SQLException {
    Optional<String> tenant =
        queryOne(
            c,
            "SELECT tenant FROM sw_quota_reservations WHERE job_id = ?",
            rows -> rows.getString(1),
            jobId);
    if (tenant.isEmpty()) {
      return;
    }
    // Take the tenant's turn, as admissions do: an admission reads the stacks' use and the
    // reservations in two statements, and must never see a release between them (it would count
    // the stack as neither used nor reserved, and admit past the quota).
    queryOne(
        c, "SELECT tenant FROM sw_tenants WHERE tenant = ? FOR UPDATE", rows -> 1, tenant.get());
    if (succeeded) {
      List<Object[]> rows =
          query(
              c,
              "SELECT stack, resource, steady FROM sw_quota_reservations WHERE job_id = ?",
              r -> new Object[] {r.getString(1), r.getString(2), r.getLong(3)},
              jobId);
      if (!rows.isEmpty()) {
        String stack = (String) rows.get(0)[0];
        update(c, "DELETE FROM sw_stack_usage WHERE stack = ?", stack);
        for (Object[] row : rows) {
          if ((Long) row[2] > 0) {
            update(
                c,
                "INSERT INTO sw_stack_usage (stack, resource, amount) VALUES (?, ?, ?)",
                stack,
                row[1],
                row[2]);
          }
        }
      }
    }
    update(c, "DELETE FROM sw_quota_reservations WHERE job_id = ?", jobId);
  }

  private final class Quotas implements QuotaStore {
    @Override
    public void setQuota(String tenant, TenantQuota quota) {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(quota, "quota");
      sql.inTransaction(
          "set the quota of tenant " + tenant,
          c -> {
            lockTenant(c, tenant);
            update(c, "DELETE FROM sw_tenant_quotas WHERE tenant = ?", tenant);
            for (Map.Entry<QuotaResource, Long> e : quota.limits().entrySet()) {
              update(
                  c,
                  "INSERT INTO sw_tenant_quotas (tenant, resource, amount) VALUES (?, ?, ?)",
                  tenant,
                  e.getKey().id(),
                  e.getValue());
            }
            return null;
          });
    }

    @Override
    public TenantQuota quota(String tenant) {
      return sql.inTransaction("read the quota of tenant " + tenant, c -> quotaOf(c, tenant));
    }

    @Override
    public TenantUsage usage(String tenant) {
      return sql.inTransaction(
          "read the use of tenant " + tenant,
          c -> {
            Map<String, ResourceAmounts> steady = steadyOf(c, tenant);
            ResourceAmounts used = ResourceAmounts.ZERO;
            for (ResourceAmounts a : steady.values()) {
              used = used.plus(a);
            }
            return new TenantUsage(
                tenant,
                quotaOf(c, tenant),
                used,
                QuotaLedger.reservedBeyondSteady(steady, reservationsOf(c, tenant)),
                query(
                    c,
                    "SELECT stack FROM sw_stack_tenants WHERE tenant = ? ORDER BY stack",
                    rows -> rows.getString(1),
                    tenant));
          });
    }

    @Override
    public Optional<String> owner(String stack) {
      return sql.inTransaction("read the owner of " + stack, c -> ownerOf(c, stack));
    }

    @Override
    public List<String> tenants() {
      return sql.inTransaction(
          "list tenants",
          c ->
              query(c, "SELECT tenant FROM sw_tenants ORDER BY tenant", rows -> rows.getString(1)));
    }
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public boolean sharedAcrossProcesses() {
    return dialect.sharedAcrossProcesses;
  }

  @Override
  public int deleteStack(String stack) {
    StoreRules.requireStack(stack);
    return sql.inTransaction(
        "delete stack " + stack,
        c -> {
          Optional<String> owner = ownerOf(c, stack);
          if (owner.isPresent()) {
            queryOne(
                c,
                "SELECT tenant FROM sw_tenants WHERE tenant = ? FOR UPDATE",
                rows -> 1,
                owner.get());
          }
          return update(c, "DELETE FROM sw_desired_states WHERE stack = ?", stack)
              + update(c, "DELETE FROM sw_jobs WHERE stack = ? AND state <> 'running'", stack)
              + update(c, "DELETE FROM sw_leases WHERE stack = ?", stack)
              + update(c, "DELETE FROM sw_documents WHERE owner_stack = ?", stack)
              + update(c, "DELETE FROM sw_document_history WHERE owner_stack = ?", stack)
              + update(c, "DELETE FROM sw_stack_usage WHERE stack = ?", stack)
              + update(c, "DELETE FROM sw_stack_tenants WHERE stack = ?", stack);
        });
  }

  @Override
  public void close() {
    if (resources != null) {
      try {
        resources.close();
      } catch (Exception e) {
        throw new StoreException("store: closing the connection pool failed", false, e);
      }
    }
  }

  private Instant now() {
    return StoreRules.now(clock);
  }

  private long nextToken(Connection c) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(dialect.nextToken);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static <T> List<T> query(Connection c, String text, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(text)) {
      bind(statement, args);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
        return result;
      }
    }
  }

  private static <T> Optional<T> queryOne(
      Connection c, String text, RowMapper<T> mapper, Object... args) throws SQLException {
    return query(c, text, mapper, args).stream().findFirst();
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rows) throws SQLException;
  }

  private static Job job(ResultSet rows) throws SQLException {
    String created = rows.getString("created_resources");
    return new Job(
        rows.getLong("id"),
        rows.getString("stack"),
        JobKind.fromId(rows.getString("kind")),
        JobState.fromId(rows.getString("state")),
        rows.getLong("revision"),
        rows.getString("payload"),
        rows.getString("idempotency_key"),
        rows.getString("tenant"),
        rows.getString("principal"),
        rows.getString("submitted_by"),
        rows.getInt("attempts"),
        instant(rows, "not_before"),
        new JobProgress(
            rows.getInt("progress_step"),
            rows.getInt("progress_total"),
            rows.getString("progress_message")),
        rows.getString("plan_summary"),
        created == null || created.isEmpty() ? List.of() : Arrays.asList(created.split("\n")),
        rows.getString("result"),
        rows.getString("error"),
        rows.getBoolean("cancel_requested"),
        instant(rows, "created_at"),
        instant(rows, "updated_at"),
        instant(rows, "started_at"),
        instant(rows, "finished_at"),
        rows.getString("claimed_by"),
        instant(rows, "lease_expires_at"),
        rows.getLong("fencing_token"));
  }

  private static DesiredState desiredState(ResultSet rows) throws SQLException {
    return new DesiredState(
        rows.getString("stack"),
        rows.getLong("revision"),
        rows.getString("spec"),
        rows.getString("tenant"),
        rows.getString("principal"),
        instant(rows, "accepted_at"));
  }

  private static LeaseGrant lease(ResultSet rows) throws SQLException {
    return new LeaseGrant(
        rows.getString("name"),
        rows.getString("stack"),
        rows.getString("holder"),
        rows.getLong("fencing_token"),
        instant(rows, "expires_at"));
  }

  private static Optional<Job> jobById(Connection c, long id) throws SQLException {
    return queryOne(c, "SELECT " + JOB_COLUMNS + " FROM sw_jobs WHERE id = ?", JdbcStore::job, id);
  }

  private DesiredState accept(
      Connection c, String stack, String spec, String tenant, String principal)
      throws SQLException {
    long revision =
        queryOne(
                    c,
                    "SELECT COALESCE(MAX(revision), 0) AS newest FROM sw_desired_states WHERE stack = ?",
                    rows -> rows.getLong("newest"),
                    stack)
                .orElse(0L)
            + 1;
    Instant now = now();
    // A concurrent accept of the same revision violates the primary key; the transaction then
    // runs again and takes the next number.
    update(
        c,
        "INSERT INTO sw_desired_states (stack, revision, spec, tenant, principal, accepted_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        stack,
        revision,
        spec,
        tenant,
        principal,
        now);
    return new DesiredState(stack, revision, spec, tenant, principal, now);
  }

  private final class Desired implements DesiredStateStore {
    @Override
    public Optional<DesiredState> current(String stack) {
      return sql.inTransaction(
          "read the desired state of " + stack,
          c ->
              queryOne(
                  c,
                  "SELECT * FROM sw_desired_states WHERE stack = ? ORDER BY revision DESC LIMIT 1",
                  JdbcStore::desiredState,
                  stack));
    }

    @Override
    public Optional<DesiredState> revision(String stack, long revision) {
      return sql.inTransaction(
          "read revision " + revision + " of " + stack,
          c ->
              queryOne(
                  c,
                  "SELECT * FROM sw_desired_states WHERE stack = ? AND revision = ?",
                  JdbcStore::desiredState,
                  stack,
                  revision));
    }

    @Override
    public List<DesiredState> history(String stack, int limit) {
      StoreRules.requirePositive(limit, "limit");
      return sql.inTransaction(
          "read the revisions of " + stack,
          c ->
              query(
                  c,
                  "SELECT * FROM sw_desired_states WHERE stack = ? ORDER BY revision DESC LIMIT ?",
                  JdbcStore::desiredState,
                  stack,
                  limit));
    }

    @Override
    public List<String> stacks() {
      return sql.inTransaction(
          "list stacks",
          c ->
              query(
                  c,
                  "SELECT DISTINCT stack FROM sw_desired_states ORDER BY stack",
                  rows -> rows.getString("stack")));
    }

    @Override
    public DesiredState accept(String stack, String spec, String tenant, String principal) {
      StoreRules.requireStack(stack);
      Objects.requireNonNull(spec, "spec");
      return sql.inTransaction(
          "accept a desired state of " + stack,
          c -> JdbcStore.this.accept(c, stack, spec, tenant, principal));
    }

    @Override
    public int prune(String stack, int keep) {
      StoreRules.requirePositive(keep, "keep");
      return sql.inTransaction(
          "prune the revisions of " + stack,
          c -> {
            Optional<Long> oldestKept =
                queryOne(
                    c,
                    "SELECT revision FROM sw_desired_states WHERE stack = ?"
                        + " ORDER BY revision DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
                    rows -> rows.getLong("revision"),
                    stack,
                    keep - 1);
            if (oldestKept.isEmpty()) {
              return 0;
            }
            return update(
                c,
                "DELETE FROM sw_desired_states WHERE stack = ? AND revision < ?",
                stack,
                oldestKept.get());
          });
    }
  }

  private final class Jobs implements JobStore {

    @Override
    public Submission submit(NewJob request) {
      ReentrantLock local =
          dialect.stackSubmitLock == null
              ? localSubmits[Math.floorMod(request.stack().hashCode(), localSubmits.length)]
              : null;
      if (local != null) {
        local.lock();
      }
      ReentrantLock tenantLock =
          request.tenant() == null || dialect.sharedAcrossProcesses
              ? null
              : localTenants[Math.floorMod(request.tenant().hashCode(), localTenants.length)];
      if (tenantLock != null) {
        tenantLock.lock();
      }
      try {
        return sql.inTransaction(
            "submit a " + request.kind().id() + " job of " + request.stack(),
            c -> submit(c, request));
      } finally {
        if (tenantLock != null) {
          tenantLock.unlock();
        }
        if (local != null) {
          local.unlock();
        }
      }
    }

    private Submission submit(Connection c, NewJob request) throws SQLException {
      if (dialect.stackSubmitLock != null) {
        queryOne(c, dialect.stackSubmitLock, rows -> 1, request.stack().hashCode());
      }
      if (request.idempotencyKey() != null) {
        Optional<Job> existing = byKey(c, request.stack(), request.idempotencyKey());
        if (existing.isPresent()) {
          return new Submission(existing.get(), false);
        }
      }
      admitTenant(c, request);
      long revision = 0;
      if (request.desiredSpec() != null) {
        revision =
            accept(c, request.stack(), request.desiredSpec(), request.tenant(), request.principal())
                .revision();
      }
      Instant now = now();
      Instant notBefore =
          request.notBefore() == null ? now : StoreRules.millis(request.notBefore());
      // A concurrent submission of the same key violates the unique constraint; the
      // transaction then runs again and finds the first job above.
      long id =
          Sql.insert(
              c,
              "INSERT INTO sw_jobs (stack, kind, state, revision, payload, idempotency_key,"
                  + " tenant, principal, submitted_by, not_before, created_at, updated_at)"
                  + " VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              request.stack(),
              request.kind().id(),
              revision,
              request.payload(),
              request.idempotencyKey(),
              request.tenant(),
              request.principal(),
              request.submittedBy(),
              notBefore,
              now,
              now);
      recordTenant(c, request, id);
      return new Submission(jobById(c, id).orElseThrow(), true);
    }

    @Override
    public Job record(NewJob request, JobState outcome, String result, String error) {
      StoreRules.requireRecordable(request, outcome);
      return sql.inTransaction(
          "record a " + request.kind().id() + " job of " + request.stack(),
          c -> {
            Instant now = now();
            long id =
                Sql.insert(
                    c,
                    "INSERT INTO sw_jobs (stack, kind, state, payload, tenant, principal,"
                        + " submitted_by, attempts, not_before, result, error, created_at,"
                        + " updated_at, started_at, finished_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                    request.stack(),
                    request.kind().id(),
                    outcome.id(),
                    request.payload(),
                    request.tenant(),
                    request.principal(),
                    request.submittedBy(),
                    now,
                    result,
                    error,
                    now,
                    now,
                    now,
                    now);
            return jobById(c, id).orElseThrow();
          });
    }

    private Optional<Job> byKey(Connection c, String stack, String key) throws SQLException {
      return queryOne(
          c,
          "SELECT " + JOB_COLUMNS + " FROM sw_jobs WHERE stack = ? AND idempotency_key = ?",
          JdbcStore::job,
          stack,
          key);
    }

    @Override
    public Optional<Job> get(long id) {
      return sql.inTransaction("read job " + id, c -> jobById(c, id));
    }

    @Override
    public Optional<Job> byIdempotencyKey(String stack, String idempotencyKey) {
      return sql.inTransaction("read a job of " + stack, c -> byKey(c, stack, idempotencyKey));
    }

    @Override
    public List<Job> list(JobQuery query) {
      StringBuilder text = new StringBuilder("SELECT " + JOB_COLUMNS + " FROM sw_jobs WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (query.stack() != null) {
        text.append(" AND stack = ?");
        args.add(query.stack());
      }
      if (!query.states().isEmpty()) {
        text.append(" AND state IN (")
            .append(String.join(", ", Collections.nCopies(query.states().size(), "?")))
            .append(")");
        query.states().forEach(s -> args.add(s.id()));
      }
      text.append(" ORDER BY id DESC LIMIT ?");
      args.add(query.limit());
      return sql.inTransaction(
          "list jobs", c -> query(c, text.toString(), JdbcStore::job, args.toArray()));
    }

    @Override
    public List<JobClaim> claim(String holder, Duration leaseTtl, int limit) {
      Objects.requireNonNull(holder, "holder");
      StoreRules.requirePositive(leaseTtl, "leaseTtl");
      StoreRules.requirePositive(limit, "limit");
      boolean local = !dialect.sharedAcrossProcesses;
      if (local) {
        localClaims.lock();
      }
      try {
        return sql.inTransaction(
            "claim jobs for " + holder, c -> claim(c, holder, leaseTtl, limit));
      } finally {
        if (local) {
          localClaims.unlock();
        }
      }
    }

    private List<JobClaim> claim(Connection c, String holder, Duration leaseTtl, int limit)
        throws SQLException {
      Instant now = now();
      // The oldest live job of each stack, when it is due (queued) or its claim lapsed (running):
      // no queued job of its stack is older and no other job of its stack runs (a running job
      // is always its stack's oldest live one). PostgreSQL skips rows a concurrent claim locked.
      List<long[]> candidates =
          query(
              c,
              "SELECT j.id, j.fencing_token, CASE WHEN j.state = 'running' THEN 1 ELSE 0 END"
                  + " AS taken FROM sw_jobs j"
                  + " WHERE j.state IN "
                  + LIVE
                  + " AND ((j.state = 'queued' AND j.not_before <= ?"
                  // A queued job's work lives in its submitter's memory: while the submitter's
                  // heartbeat lease is live, only the submitter claims it.
                  + "       AND (j.submitted_by IS NULL OR j.submitted_by = ?"
                  + "         OR NOT EXISTS (SELECT 1 FROM sw_leases h"
                  + "           WHERE h.name = CONCAT('"
                  + Job.HEARTBEAT_PREFIX
                  + "', j.submitted_by)"
                  + "           AND h.holder = j.submitted_by AND h.expires_at > ?)))"
                  + "     OR (j.state = 'running' AND j.lease_expires_at <= ?))"
                  // Equality on stack and state: both walk the (stack, state, id) index over
                  // live rows only, however long the stack's history is.
                  + " AND NOT EXISTS (SELECT 1 FROM sw_jobs e WHERE e.stack = j.stack"
                  + "     AND e.state = 'queued' AND e.id < j.id)"
                  + " AND NOT EXISTS (SELECT 1 FROM sw_jobs r WHERE r.running_stack = j.stack"
                  + "     AND r.id <> j.id)"
                  + " ORDER BY j.id LIMIT ? "
                  + dialect.claimLock,
              rows -> new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)},
              now,
              holder,
              now,
              now,
              limit);
      List<JobClaim> claims = new ArrayList<>();
      Instant expiresAt = now.plus(leaseTtl);
      for (long[] candidate : candidates) {
        long token = nextToken(c);
        // Guarded by the token read above: a row that changed since is left alone.
        int updated =
            update(
                c,
                "UPDATE sw_jobs SET state = 'running', running_stack = stack,"
                    + " attempts = attempts + 1, started_at = COALESCE(started_at, ?),"
                    + " claimed_by = ?, lease_expires_at = ?, fencing_token = ?, updated_at = ?"
                    + " WHERE id = ? AND fencing_token = ? AND state = ?",
                now,
                holder,
                expiresAt,
                token,
                now,
                candidate[0],
                candidate[1],
                candidate[2] == 1 ? "running" : "queued");
        if (updated == 1) {
          Job job = jobById(c, candidate[0]).orElseThrow();
          claims.add(new JobClaim(job, holder, token, expiresAt));
        }
      }
      return claims;
    }

    /** Runs a fenced update of {@code claim}'s job and returns the job as it is after it. */
    private Job fenced(Connection c, JobClaim claim, String what, String set, Object... values)
        throws SQLException {
      Object[] args = Arrays.copyOf(values, values.length + 4);
      args[values.length] = claim.jobId();
      args[values.length + 1] = claim.fencingToken();
      args[values.length + 2] = claim.holder();
      args[values.length + 3] = now();
      if (update(c, "UPDATE sw_jobs SET " + set + " WHERE" + FENCE, args) != 1) {
        throw StoreRules.lost(claim, what, jobById(c, claim.jobId()).orElse(null));
      }
      return jobById(c, claim.jobId()).orElseThrow();
    }

    @Override
    public JobClaim renew(JobClaim claim, Duration leaseTtl) {
      StoreRules.requirePositive(leaseTtl, "leaseTtl");
      return sql.inTransaction(
          "renew the claim of job " + claim.jobId(),
          c -> {
            Instant now = now();
            Instant expiresAt = now.plus(leaseTtl);
            Job job =
                fenced(c, claim, "renew", "lease_expires_at = ?, updated_at = ?", expiresAt, now);
            return new JobClaim(job, claim.holder(), claim.fencingToken(), expiresAt);
          });
    }

    @Override
    public boolean isCurrent(JobClaim claim) {
      return sql.inTransaction(
          "check the claim of job " + claim.jobId(),
          c ->
              queryOne(
                      c,
                      "SELECT id FROM sw_jobs WHERE" + FENCE,
                      rows -> rows.getLong(1),
                      claim.jobId(),
                      claim.fencingToken(),
                      claim.holder(),
                      now())
                  .isPresent());
    }

    @Override
    public void progress(JobClaim claim, JobProgress progress) {
      Objects.requireNonNull(progress, "progress");
      sql.inTransaction(
          "record the progress of job " + claim.jobId(),
          c ->
              fenced(
                  c,
                  claim,
                  "record progress",
                  "progress_step = ?, progress_total = ?, progress_message = ?, updated_at = ?",
                  progress.step(),
                  progress.total(),
                  progress.message(),
                  now()));
    }

    @Override
    public void recordPlan(JobClaim claim, String planSummary) {
      sql.inTransaction(
          "record the plan of job " + claim.jobId(),
          c ->
              fenced(
                  c,
                  claim,
                  "record the plan",
                  "plan_summary = ?, updated_at = ?",
                  planSummary,
                  now()));
    }

    @Override
    public void recordCreated(JobClaim claim, List<String> resources) {
      List<String> added = List.copyOf(resources);
      for (String resource : added) {
        if (resource.isEmpty() || resource.indexOf('\n') >= 0) {
          throw new IllegalArgumentException(
              "created resource '" + resource + "': must be one non-empty line");
        }
      }
      if (added.isEmpty()) {
        return;
      }
      String lines = String.join("\n", added);
      sql.inTransaction(
          "record what job " + claim.jobId() + " created",
          c ->
              fenced(
                  c,
                  claim,
                  "record created resources",
                  "created_resources = CASE WHEN created_resources IS NULL THEN ?"
                      + " ELSE created_resources || ? END, updated_at = ?",
                  lines,
                  "\n" + lines,
                  now()));
    }

    @Override
    public Job finish(JobClaim claim, JobState outcome, String result, String error) {
      StoreRules.requireFinal(outcome);
      return sql.inTransaction(
          "finish job " + claim.jobId(),
          c -> {
            Instant now = now();
            Job finished =
                fenced(
                    c,
                    claim,
                    "finish",
                    "state = ?, running_stack = NULL, lease_expires_at = NULL, result = ?,"
                        + " error = ?, finished_at = ?, updated_at = ?",
                    outcome.id(),
                    result,
                    error,
                    now,
                    now);
            releaseQuota(c, claim.jobId(), outcome == JobState.SUCCEEDED);
            return finished;
          });
    }

    @Override
    public Job retryLater(JobClaim claim, Instant notBefore, String error) {
      Objects.requireNonNull(notBefore, "notBefore");
      return sql.inTransaction(
          "queue job " + claim.jobId() + " again",
          c ->
              fenced(
                  c,
                  claim,
                  "retry later",
                  "state = 'queued', running_stack = NULL, lease_expires_at = NULL,"
                      + " not_before = ?, error = ?, updated_at = ?",
                  StoreRules.millis(notBefore),
                  error,
                  now()));
    }

    @Override
    public void release(JobClaim claim) {
      sql.inTransaction(
          "release job " + claim.jobId(),
          c -> {
            Instant now = now();
            return update(
                c,
                // A claim given back is no run: it does not count as an attempt.
                "UPDATE sw_jobs SET state = 'queued', running_stack = NULL,"
                    + " lease_expires_at = NULL, not_before = ?, updated_at = ?,"
                    + " started_at = CASE WHEN attempts <= 1 THEN NULL ELSE started_at END,"
                    + " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE"
                    + FENCE,
                now,
                now,
                claim.jobId(),
                claim.fencingToken(),
                claim.holder(),
                now);
          });
    }

    @Override
    public boolean cancel(long id, String reason) {
      return sql.inTransaction(
          "cancel job " + id,
          c -> {
            Instant now = now();
            if (update(
                    c,
                    "UPDATE sw_jobs SET state = 'cancelled', error = ?, finished_at = ?,"
                        + " updated_at = ? WHERE id = ? AND state = 'queued'",
                    reason,
                    now,
                    now,
                    id)
                == 1) {
              releaseQuota(c, id, false);
              return true;
            }
            return update(
                    c,
                    "UPDATE sw_jobs SET cancel_requested = TRUE, updated_at = ?"
                        + " WHERE id = ? AND state = 'running' AND cancel_requested = FALSE",
                    now,
                    id)
                == 1;
          });
    }

    @Override
    public List<Long> cancelQueuedOlderThan(
        String stack, JobKind kind, long newerJobId, String reason) {
      return sql.inTransaction(
          "cancel queued " + kind.id() + " jobs of " + stack,
          c -> {
            List<Long> ids =
                query(
                    c,
                    "SELECT id FROM sw_jobs WHERE stack = ? AND kind = ? AND state = 'queued'"
                        + " AND id < ? ORDER BY id FOR UPDATE",
                    rows -> rows.getLong(1),
                    stack,
                    kind.id(),
                    newerJobId);
            Instant now = now();
            List<Long> cancelled = new ArrayList<>();
            for (long id : ids) {
              if (update(
                      c,
                      "UPDATE sw_jobs SET state = 'cancelled', error = ?, finished_at = ?,"
                          + " updated_at = ? WHERE id = ? AND state = 'queued'",
                      reason,
                      now,
                      now,
                      id)
                  == 1) {
                cancelled.add(id);
                releaseQuota(c, id, false);
              }
            }
            return cancelled;
          });
    }

    @Override
    public int purgeFinished(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      return sql.inTransaction(
          "purge finished jobs",
          c -> {
            Instant cutoff = now().minus(retention);
            // Each process's heartbeat has a name of its own, never taken again: once lapsed for
            // as long as the retention, its row only grows the table (a job it submitted is
            // claimable by anyone whether the row is lapsed or gone).
            update(
                c,
                "DELETE FROM sw_leases WHERE name LIKE ? AND expires_at < ?",
                Job.HEARTBEAT_PREFIX + "%",
                cutoff);
            return update(
                c, "DELETE FROM sw_jobs WHERE finished_at IS NOT NULL AND finished_at < ?", cutoff);
          });
    }
  }

  private final class Leases implements LeaseStore {
    @Override
    public Optional<LeaseGrant> tryAcquire(String name, String stack, String holder, Duration ttl) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(holder, "holder");
      StoreRules.requirePositive(ttl, "ttl");
      return sql.inTransaction(
          "acquire lease " + name,
          c -> {
            Instant now = now();
            Instant expiresAt = now.plus(ttl);
            Optional<LeaseGrant> held =
                queryOne(
                    c, "SELECT * FROM sw_leases WHERE name = ? FOR UPDATE", JdbcStore::lease, name);
            if (held.isEmpty()) {
              // A concurrent first acquisition violates the primary key; this one then runs
              // again and finds the lease held.
              long token = nextToken(c);
              update(
                  c,
                  "INSERT INTO sw_leases (name, stack, holder, fencing_token, expires_at)"
                      + " VALUES (?, ?, ?, ?, ?)",
                  name,
                  stack,
                  holder,
                  token,
                  expiresAt);
              return Optional.of(new LeaseGrant(name, stack, holder, token, expiresAt));
            }
            LeaseGrant lease = held.get();
            boolean live = lease.expiresAt().isAfter(now);
            if (live && !lease.holder().equals(holder)) {
              return Optional.empty();
            }
            long token = live ? lease.fencingToken() : nextToken(c);
            update(
                c,
                "UPDATE sw_leases SET stack = ?, holder = ?, fencing_token = ?, expires_at = ?"
                    + " WHERE name = ?",
                stack,
                holder,
                token,
                expiresAt,
                name);
            return Optional.of(new LeaseGrant(name, stack, holder, token, expiresAt));
          });
    }

    @Override
    public LeaseGrant renew(LeaseGrant grant, Duration ttl) {
      StoreRules.requirePositive(ttl, "ttl");
      return sql.inTransaction(
          "renew lease " + grant.name(),
          c -> {
            Instant now = now();
            Instant expiresAt = now.plus(ttl);
            if (update(
                    c,
                    "UPDATE sw_leases SET expires_at = ? WHERE name = ? AND fencing_token = ?"
                        + " AND holder = ? AND expires_at > ?",
                    expiresAt,
                    grant.name(),
                    grant.fencingToken(),
                    grant.holder(),
                    now)
                != 1) {
              throw StoreRules.lost(grant, "renew");
            }
            return new LeaseGrant(
                grant.name(), grant.stack(), grant.holder(), grant.fencingToken(), expiresAt);
          });
    }

    @Override
    public void release(LeaseGrant grant) {
      sql.inTransaction(
          "release lease " + grant.name(),
          c -> {
            Instant now = now();
            // The row stays, lapsed at once: tokens only grow, even across a release.
            return update(
                c,
                "UPDATE sw_leases SET expires_at = ? WHERE name = ? AND fencing_token = ?"
                    + " AND holder = ? AND expires_at > ?",
                now,
                grant.name(),
                grant.fencingToken(),
                grant.holder(),
                now);
          });
    }

    @Override
    public boolean isCurrent(LeaseGrant grant) {
      return sql.inTransaction("check lease " + grant.name(), c -> leaseCurrent(c, grant, false));
    }

    @Override
    public Optional<LeaseGrant> current(String name) {
      return sql.inTransaction(
          "read lease " + name,
          c ->
              queryOne(
                  c,
                  "SELECT * FROM sw_leases WHERE name = ? AND expires_at > ?",
                  JdbcStore::lease,
                  name,
                  now()));
    }
  }

  private boolean leaseCurrent(Connection c, LeaseGrant grant, boolean lock) throws SQLException {
    return queryOne(
            c,
            "SELECT name FROM sw_leases WHERE name = ? AND fencing_token = ? AND holder = ?"
                + " AND expires_at > ?"
                + (lock ? " FOR UPDATE" : ""),
            rows -> rows.getString(1),
            grant.name(),
            grant.fencingToken(),
            grant.holder(),
            now())
        .isPresent();
  }

  /**
   * Whether {@code fence} is current, locking its row until the transaction ends, so that nobody
   * takes it over between the check and the write that follows.
   */
  private boolean fenceCurrent(Connection c, Fence fence) throws SQLException {
    if (fence instanceof JobClaim claim) {
      return queryOne(
              c,
              "SELECT id FROM sw_jobs WHERE" + FENCE + " FOR UPDATE",
              rows -> rows.getLong(1),
              claim.jobId(),
              claim.fencingToken(),
              claim.holder(),
              now())
          .isPresent();
    }
    return leaseCurrent(c, (LeaseGrant) fence, true);
  }

  private final class Documents implements DocumentStore {
    @Override
    public Optional<String> get(String namespace, String key) {
      return sql.inTransaction(
          "read document " + namespace + "/" + key,
          c ->
              queryOne(
                  c,
                  "SELECT doc_value FROM sw_documents WHERE namespace = ? AND doc_key = ?",
                  rows -> rows.getString(1),
                  namespace,
                  key));
    }

    @Override
    public void put(String namespace, String key, String value) {
      StoreRules.requireDocumentKey(namespace, key);
      Objects.requireNonNull(value, "value");
      sql.inIdempotentTransaction(
          "write document " + namespace + "/" + key, c -> upsert(c, namespace, key, value));
    }

    private int upsert(Connection c, String namespace, String key, String value)
        throws SQLException {
      return update(
          c, dialect.upsertDocument, namespace, key, StoreRules.ownerOf(key), value, now());
    }

    @Override
    public void put(String namespace, String key, String value, Fence fence) {
      StoreRules.requireDocumentKey(namespace, key);
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(fence, "fence");
      sql.inTransaction(
          "write document " + namespace + "/" + key + " fenced",
          c -> {
            if (!fenceCurrent(c, fence)) {
              throw StoreRules.lostDocument(fence, namespace, key);
            }
            return upsert(c, namespace, key, value);
          });
    }

    @Override
    public void delete(String namespace, String key) {
      sql.inTransaction(
          "delete document " + namespace + "/" + key,
          c ->
              update(
                      c,
                      "DELETE FROM sw_documents WHERE namespace = ? AND doc_key = ?",
                      namespace,
                      key)
                  + update(
                      c,
                      "DELETE FROM sw_document_history WHERE namespace = ? AND doc_key = ?",
                      namespace,
                      key));
    }

    @Override
    public List<String> keys(String namespace) {
      return sql.inTransaction(
          "list documents of " + namespace,
          c ->
              query(
                  c,
                  "SELECT doc_key FROM sw_documents WHERE namespace = ? ORDER BY doc_key",
                  rows -> rows.getString(1),
                  namespace));
    }

    @Override
    public void append(String namespace, String key, String record, int keep) {
      StoreRules.requireDocumentKey(namespace, key);
      Objects.requireNonNull(record, "record");
      StoreRules.requirePositive(keep, "keep");
      sql.inTransaction(
          "append to history " + namespace + "/" + key,
          c -> {
            update(
                c,
                "INSERT INTO sw_document_history (namespace, doc_key, owner_stack, record,"
                    + " recorded_at) VALUES (?, ?, ?, ?, ?)",
                namespace,
                key,
                StoreRules.ownerOf(key),
                record,
                now());
            Optional<Long> newestDropped =
                queryOne(
                    c,
                    "SELECT id FROM sw_document_history WHERE namespace = ? AND doc_key = ?"
                        + " ORDER BY id DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
                    rows -> rows.getLong(1),
                    namespace,
                    key,
                    keep);
            return newestDropped.isEmpty()
                ? 0
                : update(
                    c,
                    "DELETE FROM sw_document_history WHERE namespace = ? AND doc_key = ?"
                        + " AND id <= ?",
                    namespace,
                    key,
                    newestDropped.get());
          });
    }

    @Override
    public List<String> history(String namespace, String key, int limit) {
      StoreRules.requirePositive(limit, "limit");
      List<String> newestFirst =
          sql.inTransaction(
              "read history " + namespace + "/" + key,
              c ->
                  query(
                      c,
                      "SELECT record FROM sw_document_history WHERE namespace = ? AND doc_key = ?"
                          + " ORDER BY id DESC LIMIT ?",
                      rows -> rows.getString(1),
                      namespace,
                      key,
                      limit));
      List<String> oldestFirst = new ArrayList<>(newestFirst);
      Collections.reverse(oldestFirst);
      return List.copyOf(oldestFirst);
    }
  }

  @Override
  public String toString() {
    return "JdbcStore[" + dialect + "]";
  }
}
