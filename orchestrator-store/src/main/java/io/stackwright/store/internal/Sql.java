package io.stackwright.store.internal;

import io.stackwright.api.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Transactions over a {@link DataSource}, with the retries a concurrent store needs. */
final class Sql {
  private static final Logger LOG = LoggerFactory.getLogger(Sql.class);

  /** A unique key was taken by a concurrent transaction (the same in H2 and PostgreSQL). */
  static final String UNIQUE_VIOLATION = "23505";

  private static final int ATTEMPTS = 8;

  /**
   * How long a transaction is tried again while the database cannot be reached. An embedded store
   * shared by several processes (H2's automatic mixed mode) loses its server when the process that
   * served it exits; the others reconnect, one of them becoming the new server, and a connection
   * attempt in that moment fails (for example "Lock file recently modified").
   */
  static final long RECONNECT_MILLIS = 15_000;

  /** Work done in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final String description;

  Sql(DataSource dataSource, String description) {
    this.dataSource = dataSource;
    this.description = description;
  }

  /**
   * Runs {@code work} in one transaction and commits it. A transaction that lost a race (a unique
   * key taken concurrently, a serialization failure, a deadlock) is rolled back and run again from
   * the start: {@code work} must read what it decides on inside the transaction.
   */
  <T> T inTransaction(String what, Work<T> work) {
    return inTransaction(what, work, false);
  }

  /**
   * As {@link #inTransaction(String, Work)}, for work that leaves the same state when run twice (an
   * upsert of one row): a connection lost even during the commit is connected again and the work
   * run again, whether the first commit landed or not.
   */
  <T> T inIdempotentTransaction(String what, Work<T> work) {
    return inTransaction(what, work, true);
  }

  private <T> T inTransaction(String what, Work<T> work, boolean idempotent) {
    long reconnectUntil = 0;
    for (int attempt = 1; ; attempt++) {
      boolean committing = false;
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try {
          T result = work.run(connection);
          committing = true;
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException | Error e) {
          rollback(connection, e);
          throw e;
        }
      } catch (SQLException e) {
        if (lostRace(e) && attempt < ATTEMPTS) {
          LOG.debug(
              "store: {} lost a race (SQL state {}), attempt {}", what, e.getSQLState(), attempt);
          continue;
        }
        // A connection lost before the commit was sent changed nothing: run it again once the
        // database answers. One lost during the commit may have committed; the caller decides.
        if (connectionLost(e) && (!committing || idempotent || neverSent(e))) {
          long now = System.nanoTime();
          if (reconnectUntil == 0) {
            reconnectUntil = now + RECONNECT_MILLIS * 1_000_000;
          }
          if (now - reconnectUntil < 0) {
            LOG.debug(
                "store: {}: the connection was lost (SQL state {}); connecting again",
                what,
                e.getSQLState());
            pause(Math.min(1_000, 50L << Math.min(attempt, 5)));
            continue;
          }
        }
        throw new StoreException(
            "store "
                + description
                + ": could not "
                + what
                + " (SQL state "
                + e.getSQLState()
                + "): "
                + e.getMessage(),
            retryable(e),
            e);
      }
    }
  }

  /**
   * Whether {@code e}, or an exception it was caused by, says the connection failed: SQL state
   * class 08, or one of H2's states for a database handed over between processes (90020: the files
   * are locked by the process taking over; 90067: the connection to the old server broke).
   */
  static boolean connectionLost(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08")
            || state.equals("90020")
            || state.equals("90067")
            || state.equals("90121")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the statement that failed never left this process: H2's client says "session closed"
   * when its session to the server was already gone before it sent anything, so a commit that
   * failed so did not happen.
   */
  private static boolean neverSent(SQLException e) {
    return "90067".equals(e.getSQLState())
        && e.getMessage() != null
        && e.getMessage().contains("session closed");
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while connecting to the store again", true, e);
    }
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static boolean lostRace(SQLException e) {
    String state = e.getSQLState();
    return UNIQUE_VIOLATION.equals(state)
        || "40001".equals(state) // serialization failure
        || "40P01".equals(state) // PostgreSQL deadlock
        || "HYT00".equals(state); // H2 lock timeout
  }

  /** Whether the same call may succeed later: the database was unreachable or busy. */
  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08") || state.startsWith("40") || state.equals("57P01"));
  }

  static void setNullableString(PreparedStatement statement, int index, String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  static void setNullableInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value.toEpochMilli());
    }
  }

  static Instant instant(ResultSet rows, String column) throws SQLException {
    long millis = rows.getLong(column);
    return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  /** A NULL of type BIGINT, for {@link #bind} (PostgreSQL refuses a VARCHAR NULL there). */
  static final Object NULL_BIGINT = new Object();

  /** {@code instant} for {@link #bind}, NULL as a BIGINT. */
  static Object millis(Instant instant) {
    return instant == null ? NULL_BIGINT : (Object) instant.toEpochMilli();
  }

  /** Binds {@code values} to the statement's parameters, in order. */
  static PreparedStatement bind(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      int index = i + 1;
      if (value == null) {
        statement.setNull(index, Types.VARCHAR);
      } else if (value == NULL_BIGINT) {
        statement.setNull(index, Types.BIGINT);
      } else if (value instanceof String s) {
        statement.setString(index, s);
      } else if (value instanceof Long l) {
        statement.setLong(index, l);
      } else if (value instanceof Integer n) {
        statement.setInt(index, n);
      } else if (value instanceof Boolean b) {
        statement.setBoolean(index, b);
      } else if (value instanceof Instant t) {
        statement.setLong(index, t.toEpochMilli());
      } else {
        throw new IllegalArgumentException("cannot bind " + value.getClass());
      }
    }
    return statement;
  }

  /** Runs the INSERT {@code sql} with {@code values} and returns the {@code id} it generated. */
  static long insert(Connection connection, String sql, Object... values) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(sql, new String[] {"id"})) {
      bind(insert, values).executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  static int update(Connection connection, String sql, Object... values) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      return bind(statement, values).executeUpdate();
    }
  }
}
