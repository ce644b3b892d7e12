package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.NewJob;
import io.stackwright.tck.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema itself refuses the wrong states, whatever code writes the table: written here with
 * plain SQL, past the store's own checks.
 */
class SchemaConstraintsTest {
  @TempDir Path directory;
  private Store store;
  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    store = Stores.embedded(directory, MutableClock.atEpochMillis(1_800_000_000_000L));
    store.jobs().submit(NewJob.builder("shop", JobKind.DEPLOY).build());
    store.jobs().submit(NewJob.builder("shop", JobKind.SCALE).build());
    connection =
        DriverManager.getConnection(
            // the URL of Stores.embedded (async:), so that this JVM opens the same database
            "jdbc:h2:async:" + directory.toAbsolutePath().resolve(Stores.EMBEDDED_DATABASE),
            "sa",
            "");
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
    store.close();
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  private static final String RUN =
      "UPDATE sw_jobs SET state = 'running', running_stack = stack, claimed_by = 'x',"
          + " lease_expires_at = 1, fencing_token = 7 WHERE id = ";

  @Test
  void twoRunningJobsOfOneStackCannotBeStored() throws SQLException {
    execute(RUN + 1);
    assertThatThrownBy(() -> execute(RUN + 2))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_ONE_RUNNING_PER_STACK");
  }

  @Test
  void aRunningJobNeedsAClaimantALeaseAndAToken() {
    assertThatThrownBy(
            () ->
                execute("UPDATE sw_jobs SET state = 'running', running_stack = stack WHERE id = 1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_RUNNING_CLAIM");
    assertThatThrownBy(() -> execute("UPDATE sw_jobs SET state = 'running' WHERE id = 1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_RUNNING_CLAIM");
  }

  @Test
  void aQueuedJobHoldsNoLease() {
    assertThatThrownBy(() -> execute("UPDATE sw_jobs SET lease_expires_at = 5 WHERE id = 1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_RUNNING_CLAIM");
  }

  @Test
  void exactlyTheFinishedJobsHaveAFinishingTime() {
    assertThatThrownBy(() -> execute("UPDATE sw_jobs SET state = 'succeeded' WHERE id = 1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_FINISHED_AT");
    assertThatThrownBy(() -> execute("UPDATE sw_jobs SET finished_at = 5 WHERE id = 1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_FINISHED_AT");
  }

  @Test
  void anUnknownStateAndADuplicateKeyAreRefused() throws SQLException {
    assertThatThrownBy(() -> execute("UPDATE sw_jobs SET state = 'paused' WHERE id = 1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_STATE");
    execute("UPDATE sw_jobs SET idempotency_key = 'k' WHERE id = 1");
    assertThatThrownBy(() -> execute("UPDATE sw_jobs SET idempotency_key = 'k' WHERE id = 2"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SW_JOBS_IDEMPOTENCY_KEY");
    assertThat(store.jobs().byIdempotencyKey("shop", "k")).isPresent();
  }
}
