package io.stackwright.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stackwright.api.spi.Store;
import io.stackwright.api.store.StoreException;
import io.stackwright.localstate.PrivateDirectory;
import io.stackwright.store.internal.Dialect;
import io.stackwright.store.internal.InMemoryStore;
import io.stackwright.store.internal.JdbcStore;
import io.stackwright.store.internal.SchemaMigration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Opens the stores Stackwright ships:
 *
 * <ul>
 *   <li>{@link #inMemory(Clock)}: this JVM's memory, for tests;
 *   <li>{@link #embedded(Path, Clock)}: H2 files in a directory, the zero-setup default for one
 *       host process;
 *   <li>{@link #postgres(String, String, String, Clock)} or {@link #jdbc(DataSource, Clock)}:
 *       PostgreSQL, shared by several host processes (the host adds {@code
 *       org.postgresql:postgresql}).
 * </ul>
 *
 * A JDBC store migrates its schema (Flyway) when it opens.
 */
public final class Stores {
  /** The database file's base name in an embedded store's directory. */
  public static final String EMBEDDED_DATABASE = "stackwright";

  private Stores() {}

  /** A store in this JVM's memory, gone when the JVM exits; for tests. */
  public static Store inMemory(Clock clock) {
    return new InMemoryStore(clock);
  }

  /** {@link #inMemory(Clock)} on the system clock. */
  public static Store inMemory() {
    return inMemory(Clock.systemUTC());
  }

  /**
   * The default directory of the embedded store: {@code ~/.stackwright/store}, private to the user
   * who runs the host.
   */
  public static Path defaultDirectory() {
    return Path.of(System.getProperty("user.home"), ".stackwright", "store");
  }

  /** {@link #embedded(Path, Clock)} in {@link #defaultDirectory()}. */
  public static Store embedded(Clock clock) {
    return embedded(defaultDirectory(), clock);
  }

  /**
   * An H2 database in files under {@code directory}, created (readable by its owner only) when
   * absent. One host process at a time opens it: H2 locks the file.
   */
  public static Store embedded(Path directory, Clock clock) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    createPrivateDirectory(directory);
    Path base = directory.toAbsolutePath().resolve(EMBEDDED_DATABASE);
    HikariConfig config = new HikariConfig();
    // DB_CLOSE_DELAY=-1 would keep the database open past the pool; the default closes it with
    // the last connection, which is the pool's close.
    // async: H2's file system on AsynchronousFileChannel, which an interrupt does not close: a
    // job cancelled by an interrupt while writing closed the whole database on "file:".
    // WRITE_DELAY=0: a commit reaches the files at once; with H2's default (500 ms) a process
    // killed right after a commit loses it (a job, a claim), and a half-applied schema migration
    // (DDL commits on its own) was seen after a SIGKILL.
    config.setJdbcUrl("jdbc:h2:async:" + base + ";LOCK_TIMEOUT=10000;WRITE_DELAY=0");
    config.setUsername("sa");
    config.setPassword("");
    config.setPoolName("stackwright-store-h2");
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(1);
    String where = "embedded H2 in " + directory;
    return open(pool(config, where, false), clock, where, true);
  }

  /**
   * PostgreSQL at {@code url} ({@code jdbc:postgresql://host:port/db}), through a pool of up to 8
   * connections.
   */
  public static Store postgres(String url, String user, String password, Clock clock) {
    return postgres(url, user, password, 8, clock);
  }

  /** {@link #postgres(String, String, String, Clock)} with a pool of {@code poolSize}. */
  public static Store postgres(
      String url, String user, String password, int poolSize, Clock clock) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(clock, "clock");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setPoolName("stackwright-store-pg");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    // Fail at open, not at the first job, when the server does not answer.
    config.setInitializationFailTimeout(10_000);
    String where = "PostgreSQL at " + redacted(url);
    return open(pool(config, where, true), clock, where, true);
  }

  /**
   * A store on a {@link DataSource} the host manages (H2 or PostgreSQL). Closing the store leaves
   * the data source open.
   */
  public static Store jdbc(DataSource dataSource, Clock clock) {
    return open(dataSource, clock, "on " + dataSource.getClass().getSimpleName(), false);
  }

  private static Store open(
      DataSource dataSource, Clock clock, String description, boolean ownsDataSource) {
    AutoCloseable owned =
        ownsDataSource && dataSource instanceof AutoCloseable closeable ? closeable : null;
    try {
      Dialect dialect = SchemaMigration.whenConnected(() -> dialect(dataSource));
      SchemaMigration.whenConnected(() -> SchemaMigration.migrate(dataSource, description));
      return new JdbcStore(dataSource, dialect, clock, description, owned);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(owned, e);
      if (e instanceof StoreException stored) {
        throw stored;
      }
      throw new StoreException(
          "store " + description + ": cannot open: " + e.getMessage(),
          e instanceof SQLException sql
              && sql.getSQLState() != null
              && sql.getSQLState().startsWith("08"),
          e);
    }
  }

  private static Dialect dialect(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return Dialect.of(connection);
    }
  }

  /** A pool that has made its first connection, or the store's error saying why not. */
  private static HikariDataSource pool(HikariConfig config, String where, boolean retryable) {
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StoreException(
          "store "
              + where
              + ": cannot connect: "
              + redacted(String.valueOf(cause.getMessage()))
              + (where.startsWith("embedded")
                  ? " (an embedded store is opened by one process at a time; use PostgreSQL to"
                      + " share one)"
                  : ""),
          retryable,
          e);
    }
  }

  /** {@code text} with the value of any {@code password=} URL parameter masked. */
  static String redacted(String text) {
    return text.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
  }

  private static void closeQuietly(AutoCloseable resource, Exception cause) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      cause.addSuppressed(e);
    }
  }

  private static void createPrivateDirectory(Path directory) {
    try {
      PrivateDirectory.ensure(directory);
    } catch (io.stackwright.api.OrchestratorException e) {
      throw new StoreException("store: " + e.getMessage(), false, e);
    }
  }
}
