package io.stackwright.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL the tests use, started by {@code scripts/dev-postgres.sh}. Tests get schemas
 * of their own ({@code st_<random>}), dropped afterwards.
 *
 * <p>Where it is: {@code -Dstackwright.test.postgres.url} or {@code STACKWRIGHT_TEST_POSTGRES_URL}
 * (default {@value #DEFAULT_URL}); user and password likewise ({@code .user}/{@code _USER}, {@code
 * .password}/{@code _PASSWORD}, default {@code stackwright}). When no server answers, a test fails
 * in CI ({@code CI=true}) and is skipped elsewhere, saying how to start one.
 */
final class PostgresTestDatabase {
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:55432/stackwright";

  final String url;
  final String user;
  final String password;

  private PostgresTestDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The configured server, or the test's abort (skip) or failure (CI) when it does not answer. */
  static PostgresTestDatabase require() {
    PostgresTestDatabase database =
        new PostgresTestDatabase(
            setting("url", DEFAULT_URL),
            setting("user", "stackwright"),
            setting("password", "stackwright"));
    try (Connection connection = database.connect()) {
      connection.isValid(5);
    } catch (SQLException e) {
      String message =
          "no PostgreSQL answers at "
              + database.url
              + " ("
              + e.getMessage()
              + "); start one with `bash scripts/dev-postgres.sh` (or scripts/dev-env.sh), or point"
              + " -Dstackwright.test.postgres.url at one";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return database;
  }

  private static String setting(String name, String fallback) {
    String property = System.getProperty("stackwright.test.postgres." + name);
    if (property != null && !property.isBlank()) {
      return property;
    }
    String env = System.getenv("STACKWRIGHT_TEST_POSTGRES_" + name.toUpperCase(Locale.ROOT));
    return env != null && !env.isBlank() ? env : fallback;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** Creates a fresh schema and returns its name. */
  String createSchema() {
    String schema = "st_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + schema);
    return schema;
  }

  /**
   * Empties every table of {@code schema} but Flyway's history, restarting identities: the schema
   * is as the store's migration left it, without migrating again (about a second each time).
   */
  void emptySchema(String schema) {
    List<String> tables = new ArrayList<>();
    try (Connection connection = connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ?"
                    + " AND table_type = 'BASE TABLE' AND table_name <> 'sw_schema_history'")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          tables.add(schema + "." + rows.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("listing the tables of " + schema + ": " + e.getMessage(), e);
    }
    if (!tables.isEmpty()) {
      execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
    }
  }

  void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  /** The JDBC URL whose connections work in {@code schema}. */
  String urlFor(String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private void execute(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
