package io.stackwright.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.store.StoreException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check that lets a store open without starting Flyway says "current" exactly when Flyway would
 * have nothing to do, and hands every other state to Flyway.
 */
class SchemaMigrationTest {
  @TempDir Path directory;
  private JdbcDataSource dataSource;

  @BeforeEach
  void database() {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:" + directory.resolve("db").toAbsolutePath());
    dataSource.setUser("sa");
    dataSource.setPassword("");
  }

  @Test
  void theScriptListIsTheMigrationDirectory() throws IOException, URISyntaxException {
    Path scripts =
        Path.of(
            SchemaMigration.class
                .getClassLoader()
                .getResource(SchemaMigration.LOCATION.substring("classpath:".length()))
                .toURI());
    try (Stream<Path> files = Files.list(scripts)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .sorted((a, b) -> Integer.compare(version(a), version(b)))
              .toList();
      assertThat(SchemaMigration.SCRIPTS).isEqualTo(names);
    }
  }

  @Test
  void currentOnlyAfterFlywayAppliedEveryScriptWithItsChecksum() throws SQLException {
    assertThat(SchemaMigration.current(dataSource)).as("no history table").isFalse();
    SchemaMigration.migrate(dataSource, "test");
    assertThat(SchemaMigration.current(dataSource))
        .as("the checksums computed here are the ones Flyway recorded")
        .isTrue();
    SchemaMigration.migrate(dataSource, "test"); // the fast path: nothing to do, nothing thrown

    execute(
        "UPDATE \"sw_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '2'");
    assertThat(SchemaMigration.current(dataSource)).as("a changed checksum").isFalse();
    assertThatThrownBy(() -> SchemaMigration.migrate(dataSource, "test"))
        .as("Flyway, not the fast path, judges a changed script")
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("checksum");
    execute(
        "UPDATE \"sw_schema_history\" SET \"checksum\" = \"checksum\" - 1 WHERE \"version\" = '2'");
    assertThat(SchemaMigration.current(dataSource)).isTrue();

    execute("UPDATE \"sw_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '4'");
    assertThat(SchemaMigration.current(dataSource)).as("a failed migration").isFalse();
    execute("UPDATE \"sw_schema_history\" SET \"success\" = TRUE WHERE \"version\" = '4'");

    execute("DELETE FROM \"sw_schema_history\" WHERE \"version\" = '4'");
    assertThat(SchemaMigration.current(dataSource)).as("a pending script").isFalse();
  }

  @Test
  void aVersionThisProcessDoesNotKnowGoesToFlyway() throws SQLException {
    SchemaMigration.migrate(dataSource, "test");
    execute(
        "INSERT INTO \"sw_schema_history\" (\"installed_rank\", \"version\", \"description\","
            + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\","
            + " \"success\") VALUES (99, '99', 'newer', 'SQL', 'V99__newer.sql', 1, 'sa', 1, TRUE)");
    assertThat(SchemaMigration.current(dataSource)).isFalse();
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private static int version(String script) {
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }
}
