-- Stackwright store, schema 4: tenants, their quotas, the stacks they own, what those use, and
-- the reservations of live jobs. Written only in the transaction that admits a job (the tenant's
-- row locked FOR UPDATE first, so concurrent admissions of one tenant take turns across
-- processes) and released when the job ends. Independent of V2 and V3.

-- One row per tenant: the row admissions lock.
CREATE TABLE sw_tenants (
  tenant      VARCHAR(200) NOT NULL,
  created_at  BIGINT       NOT NULL,
  CONSTRAINT sw_tenants_pk PRIMARY KEY (tenant)
);

-- A tenant's quota, one row per limited resource (cpu-limits in nano-CPUs, memory in bytes).
CREATE TABLE sw_tenant_quotas (
  tenant    VARCHAR(200) NOT NULL,
  resource  VARCHAR(32)  NOT NULL,
  amount    BIGINT       NOT NULL,
  CONSTRAINT sw_tenant_quotas_pk PRIMARY KEY (tenant, resource),
  CONSTRAINT sw_tenant_quotas_tenant FOREIGN KEY (tenant) REFERENCES sw_tenants (tenant),
  CONSTRAINT sw_tenant_quotas_amount CHECK (amount >= 0)
);

-- Which tenant owns a stack: one owner per stack, by construction.
CREATE TABLE sw_stack_tenants (
  stack   VARCHAR(200) NOT NULL,
  tenant  VARCHAR(200) NOT NULL,
  CONSTRAINT sw_stack_tenants_pk PRIMARY KEY (stack),
  CONSTRAINT sw_stack_tenants_tenant FOREIGN KEY (tenant) REFERENCES sw_tenants (tenant)
);

-- What a stack's accepted desired state uses (written when a job that reserved it succeeds).
CREATE TABLE sw_stack_usage (
  stack     VARCHAR(200) NOT NULL,
  resource  VARCHAR(32)  NOT NULL,
  amount    BIGINT       NOT NULL,
  CONSTRAINT sw_stack_usage_pk PRIMARY KEY (stack, resource),
  CONSTRAINT sw_stack_usage_stack FOREIGN KEY (stack)
    REFERENCES sw_stack_tenants (stack) ON DELETE CASCADE,
  CONSTRAINT sw_stack_usage_amount CHECK (amount >= 0)
);

-- A live job's reservation: its peak (held while it runs) and its steady use (the stack's use
-- once it succeeded). Deleted with the job's end; a purged job cannot leave one behind.
CREATE TABLE sw_quota_reservations (
  job_id    BIGINT       NOT NULL,
  tenant    VARCHAR(200) NOT NULL,
  stack     VARCHAR(200) NOT NULL,
  resource  VARCHAR(32)  NOT NULL,
  peak      BIGINT       NOT NULL,
  steady    BIGINT       NOT NULL,
  CONSTRAINT sw_quota_reservations_pk PRIMARY KEY (job_id, resource),
  CONSTRAINT sw_quota_reservations_job FOREIGN KEY (job_id)
    REFERENCES sw_jobs (id) ON DELETE CASCADE,
  CONSTRAINT sw_quota_reservations_tenant FOREIGN KEY (tenant) REFERENCES sw_tenants (tenant),
  CONSTRAINT sw_quota_reservations_amounts CHECK (peak >= steady AND steady >= 0)
);

CREATE INDEX sw_quota_reservations_tenant ON sw_quota_reservations (tenant);
CREATE INDEX sw_stack_tenants_by_tenant ON sw_stack_tenants (tenant);
