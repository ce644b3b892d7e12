package io.stackwright.store.internal;

import io.stackwright.api.store.StoreException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
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

  /**
   * The store's migration scripts in {@link #LOCATION}, oldest first (a test checks this list
   * against the directory).
   */
  static final List<String> SCRIPTS =
      List.of("V1__store.sql", "V2__job_submitter.sql", "V3__audit.sql", "V4__quotas.sql");

  /** Migrates {@code dataSource}; several processes may do so at once (Flyway locks). */
  public static Void migrate(DataSource dataSource, String description) {
    if (current(dataSource)) {
      return null;
    }
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
   * Whether the database already holds exactly this store's schema: every script of {@link
   * #SCRIPTS} applied, successfully, with the checksum Flyway computes for it, and nothing Flyway
   * would refuse or run. Then Flyway is not started at all: configuring it, scanning its locations
   * and validating cost about 100 ms of a 1 s command of the CLI, every time. Anything else (no
   * history table, a pending or failed script, a changed checksum, a version this process does not
   * know) goes through Flyway, which migrates, or refuses with its own message.
   */
  static boolean current(DataSource dataSource) {
    Map<String, Integer> applied = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT \"version\", \"type\", \"script\", \"checksum\", \"success\" FROM \""
                    + HISTORY_TABLE
                    + "\"")) {
      while (rows.next()) {
        String type = rows.getString(2);
        if (!rows.getBoolean(5)) {
          return false;
        }
        if ("SQL".equals(type)) {
          int checksum = rows.getInt(4);
          applied.put(
              rows.getString(1) + " " + rows.getString(3), rows.wasNull() ? null : checksum);
        } else if (!"TABLE".equals(type) && !"BASELINE".equals(type)) {
          return false;
        }
      }
    } catch (SQLException e) {
      return false; // no history yet, or one this process cannot read: Flyway decides
    }
    if (applied.size() != SCRIPTS.size()) {
      return false;
    }
    for (String script : SCRIPTS) {
      String version = script.substring(1, script.indexOf("__"));
      Integer recorded = applied.get(version + " " + script);
      if (recorded == null || recorded != checksum(script)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Flyway's checksum of a script: CRC-32 of its lines' UTF-8 bytes without line breaks, a
   * byte-order mark dropped (the test compares it with what Flyway records).
   */
  static int checksum(String script) {
    String resource = LOCATION.substring("classpath:".length()) + "/" + script;
    InputStream in = SchemaMigration.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("migration script " + resource + " is missing");
    }
    CRC32 crc = new CRC32();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      boolean first = true;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (first && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        first = false;
        crc.update(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) crc.getValue();
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
