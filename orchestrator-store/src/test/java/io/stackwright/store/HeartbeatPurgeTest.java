package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.Job;
import io.stackwright.tck.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every process keeps a heartbeat lease of its own name; the retention purge deletes those lapsed
 * longer than the retention, so the lease table does not grow by one row per process run. Read back
 * with plain SQL.
 */
class HeartbeatPurgeTest {
  @TempDir Path directory;

  @Test
  void heartbeatsLapsedLongerThanTheRetentionAreDeletedAndNothingElse() throws SQLException {
    MutableClock clock = MutableClock.atEpochMillis(1_800_000_000_000L);
    try (Store store = Stores.embedded(directory, clock)) {
      var gone = store.leases().tryAcquire(Job.heartbeatLease("gone"), null, "gone", ttl()).get();
      store.leases().release(gone);
      store.leases().tryAcquire("autoscaler/shop", "shop", "host-a", ttl()).orElseThrow();
      clock.advance(Duration.ofHours(2));
      store.leases().tryAcquire(Job.heartbeatLease("alive"), null, "alive", ttl()).orElseThrow();
      var recent =
          store.leases().tryAcquire(Job.heartbeatLease("recent"), null, "recent", ttl()).get();
      store.leases().release(recent);

      store.jobs().purgeFinished(Duration.ofHours(1));

      assertThat(leaseNames())
          .containsExactlyInAnyOrder(
              "autoscaler/shop", Job.heartbeatLease("alive"), Job.heartbeatLease("recent"));
    }
  }

  private static Duration ttl() {
    return Duration.ofSeconds(30);
  }

  private List<String> leaseNames() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:h2:async:" + directory.toAbsolutePath().resolve(Stores.EMBEDDED_DATABASE),
                "sa",
                "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM sw_leases")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }
}
