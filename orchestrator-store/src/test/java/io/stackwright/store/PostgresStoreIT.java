package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.spi.Store;
import io.stackwright.tck.MutableClock;
import io.stackwright.tck.StoreCompatibilityKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The store contract on the real PostgreSQL (scripts/dev-postgres.sh). One schema for the class,
 * migrated by the first store that opens it and emptied after every test: each store still opens
 * through Flyway (which finds nothing to do), and the 60 tests do not pay 60 migrations.
 */
@DisplayName("PostgreSQL store")
class PostgresStoreIT extends StoreCompatibilityKit {
  private static PostgresTestDatabase database;
  private static String schema;

  @Override
  protected Store createStore(MutableClock clock) {
    if (schema == null) {
      database = PostgresTestDatabase.require();
      schema = database.createSchema();
    }
    return Stores.postgres(database.urlFor(schema), database.user, database.password, clock);
  }

  @Override
  protected void disposeStore(Store store) {
    try {
      store.close();
    } finally {
      database.emptySchema(schema);
    }
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      database.dropSchema(schema);
      schema = null;
    }
  }

  @Test
  @DisplayName("a PostgreSQL store says that several processes may share it")
  void shared() {
    assertThat(store.sharedAcrossProcesses()).isTrue();
  }
}
