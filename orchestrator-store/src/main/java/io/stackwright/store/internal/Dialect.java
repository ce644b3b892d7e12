package io.stackwright.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** What differs between the databases the JDBC store runs on; the schema itself is shared. */
public enum Dialect {
  /** Embedded H2 (file or memory): one process, so claims are serialized in that process. */
  H2(
      "VALUES NEXT VALUE FOR sw_fencing_token",
      "MERGE INTO sw_documents (namespace, doc_key, owner_stack, doc_value, updated_at)"
          + " KEY (namespace, doc_key) VALUES (?, ?, ?, ?, ?)",
      "FOR UPDATE",
      null,
      false,
      "MERGE INTO sw_tenants (tenant, created_at) KEY (tenant) VALUES (?, ?)"),
  /** PostgreSQL: several processes; claims skip the rows another process is claiming. */
  POSTGRESQL(
      "SELECT nextval('sw_fencing_token')",
      "INSERT INTO sw_documents (namespace, doc_key, owner_stack, doc_value, updated_at)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, doc_key) DO UPDATE SET"
          + " owner_stack = EXCLUDED.owner_stack, doc_value = EXCLUDED.doc_value,"
          + " updated_at = EXCLUDED.updated_at",
      "FOR UPDATE SKIP LOCKED",
      "SELECT pg_advisory_xact_lock(1398210373, ?)",
      true,
      "INSERT INTO sw_tenants (tenant, created_at) VALUES (?, ?) ON CONFLICT (tenant) DO NOTHING");

  final String nextToken;
  final String upsertDocument;
  final String claimLock;

  /**
   * Serializes the submissions of one stack until commit (key: the stack name's hash), so that a
   * stack's job ids grow in commit order; {@code null}: the store serializes them in-process.
   */
  final String stackSubmitLock;

  final boolean sharedAcrossProcesses;

  /** Inserts a tenant's row unless it exists (the row admissions of the tenant lock). */
  final String insertTenant;

  Dialect(
      String nextToken,
      String upsertDocument,
      String claimLock,
      String stackSubmitLock,
      boolean shared,
      String insertTenant) {
    this.insertTenant = insertTenant;
    this.nextToken = nextToken;
    this.upsertDocument = upsertDocument;
    this.claimLock = claimLock;
    this.stackSubmitLock = stackSubmitLock;
    this.sharedAcrossProcesses = shared;
  }

  /** The dialect of the database {@code connection} talks to. */
  public static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (product.contains("h2")) {
      return H2;
    }
    if (product.contains("postgres")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "database '"
            + connection.getMetaData().getDatabaseProductName()
            + "' is not supported by the Stackwright store: use H2 or PostgreSQL");
  }
}
