package io.stackwright.store.internal;

import io.stackwright.api.store.StoreException;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to the store's newest schema with Flyway. The scripts live in {@code
 * io/stackwright/store/migration}; Flyway's own bookkeeping goes to {@code sw_schema_history}, so
 * the store can share a database (and its default schema) with the host application's tables.
 */
public final class SchemaMigration {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

  static final String LOCATION = "classpath:io/stackwright/store/migration";
  static final String HISTORY_TABLE = "sw_schema_history";

  private SchemaMigration() {}

  /** Work on a fresh connection. */
  @FunctionalInterface
  public interface Connected<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work}, again while it fails because the database could not be reached, for up to
   * {@link Sql#RECONNECT_MILLIS}: a store shared in H2's automatic mixed mode is briefly
   * unreachable while its serving process hands over to another one.
   */
  public static <T> T whenConnected(Connected<T> work) throws SQLException {
    long until = System.nanoTime() + Sql.RECONNECT_MILLIS * 1_000_000;
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (SQLException | RuntimeException e) {
        if (!Sql.connectionLost(e) || System.nanoTime() - until > 0) {
          throw e;
        }
        LOG.debug("store: cannot connect yet ({}); trying again", e.toString());
        Sql.pause(Math.min(1_000, 50L << Math.min(attempt, 5)));
      }
    }
  }

  /** Migrates {@code dataSource}; several processes may do so at once (Flyway locks). */
  public static Void migrate(DataSource dataSource, String description) {
    try {
      MigrateResult result =
          Flyway.configure(SchemaMigration.class.getClassLoader())
              .dataSource(dataSource)
              .locations(LOCATION)
              .table(HISTORY_TABLE)
              // A database that already holds the host's tables gets the store's beside them.
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .load()
              .migrate();
      if (result.migrationsExecuted > 0) {
        durable(dataSource);
        LOG.info(
            "store {}: schema migrated to version {} ({} migrations)",
            description,
            result.targetSchemaVersion,
            result.migrationsExecuted);
      }
      return null;
    } catch (FlywayException e) {
      throw new StoreException(
          "store " + description + ": migrating the schema failed: " + e.getMessage(), false, e);
    }
  }

  /**
   * Puts a freshly migrated H2 schema on disk at once: H2 writes committed changes within its write
   * delay, and a process killed inside it left the DDL of a migration but not Flyway's record of
   * it, so the next opener ran the migration again and failed ("sequence already exists").
   */
  private static void durable(DataSource dataSource) {
    try (java.sql.Connection c = dataSource.getConnection()) {
      if (Dialect.of(c) == Dialect.H2) {
        try (java.sql.Statement s = c.createStatement()) {
          s.execute("CHECKPOINT SYNC");
        }
      }
    } catch (SQLException e) {
      LOG.debug("store: could not checkpoint the migrated schema: {}", e.toString());
    }
  }
}
