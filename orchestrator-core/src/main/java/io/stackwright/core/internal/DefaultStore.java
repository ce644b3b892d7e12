package io.stackwright.core.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stackwright.api.spi.DesiredStateStore;
import io.stackwright.api.spi.DocumentStore;
import io.stackwright.api.spi.JobStore;
import io.stackwright.api.spi.LeaseStore;
import io.stackwright.api.spi.Store;
import io.stackwright.localstate.PrivateDirectory;
import io.stackwright.store.Stores;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The orchestrator's default store: H2 files under a directory (the system property {@value
 * #DIRECTORY_PROPERTY}, else the environment variable {@value #DIRECTORY_VARIABLE}, else {@link
 * Stores#defaultDirectory()}), opened in H2's automatic mixed mode so that several processes on the
 * host (a host application and the CLI's {@code promote}) share it: the first one serves the
 * others.
 */
public final class DefaultStore implements Store {
  /** A system property naming the directory of the default store (tests point it elsewhere). */
  public static final String DIRECTORY_PROPERTY = "stackwright.store.dir";

  /** An environment variable naming the directory of the default store (after the property). */
  public static final String DIRECTORY_VARIABLE = "STACKWRIGHT_STORE_DIR";

  /** A system property that, set to {@code memory}, makes the default store an in-memory one. */
  public static final String KIND_PROPERTY = "stackwright.store";

  private final HikariDataSource pool;
  private final Store store;

  private DefaultStore(HikariDataSource pool, Store store) {
    this.pool = pool;
    this.store = store;
  }

  public static Path directory() {
    for (String configured :
        new String[] {System.getProperty(DIRECTORY_PROPERTY), System.getenv(DIRECTORY_VARIABLE)}) {
      if (configured != null && !configured.isBlank()) {
        return Path.of(configured);
      }
    }
    return Stores.defaultDirectory();
  }

  /** The default store: in memory when {@value #KIND_PROPERTY} says so, else H2 files. */
  public static Store openDefault(Clock clock) {
    if ("memory".equals(System.getProperty(KIND_PROPERTY))) {
      return Stores.inMemory(clock);
    }
    return open(directory(), clock);
  }

  /**
   * Opens (creating it when absent, mode 0700) the shared H2 store in {@code directory}; refuses a
   * directory that is a symbolic link, owned by another user or writable by others.
   */
  public static Store open(Path directory, Clock clock) {
    // H2's files hold every job and desired state: a directory another user can write is refused.
    PrivateDirectory.ensure(directory);
    Path base = directory.toAbsolutePath().resolve(Stores.EMBEDDED_DATABASE);
    HikariConfig config = new HikariConfig();
    // async: H2's file system on AsynchronousFileChannel, which an interrupt does not close: a
    // job cancelled by an interrupt while writing closed the whole database on "file:".
    // WRITE_DELAY=0 as in Stores.embedded: a serving process killed right after a commit must not
    // lose it.
    config.setJdbcUrl(
        "jdbc:h2:async:" + base + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;WRITE_DELAY=0");
    config.setUsername("sa");
    config.setPassword("");
    config.setPoolName("stackwright-store");
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(1);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      return new DefaultStore(pool, Stores.jdbc(pool, clock));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  @Override
  public DesiredStateStore desiredStates() {
    return store.desiredStates();
  }

  @Override
  public JobStore jobs() {
    return store.jobs();
  }

  @Override
  public LeaseStore leases() {
    return store.leases();
  }

  @Override
  public DocumentStore documents() {
    return store.documents();
  }

  @Override
  public io.stackwright.api.spi.AuditStore audit() {
    return store.audit();
  }

  @Override
  public io.stackwright.api.spi.QuotaStore quotas() {
    return store.quotas();
  }

  @Override
  public int deleteStack(String stack) {
    return store.deleteStack(stack);
  }

  @Override
  public Clock clock() {
    return store.clock();
  }

  @Override
  public boolean sharedAcrossProcesses() {
    return true;
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "H2 store in " + pool.getJdbcUrl();
  }
}
