package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.spi.Store;
import io.stackwright.tck.MutableClock;
import io.stackwright.tck.StoreCompatibilityKit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store contract on the real PostgreSQL (scripts/dev-postgres.sh), one schema per test. */
@DisplayName("PostgreSQL store")
class PostgresStoreIT extends StoreCompatibilityKit {
  private PostgresTestDatabase database;
  private String schema;

  @Override
  protected Store createStore(MutableClock clock) {
    database = PostgresTestDatabase.require();
    schema = database.createSchema();
    return Stores.postgres(database.urlFor(schema), database.user, database.password, clock);
  }

  @Override
  protected void disposeStore(Store store) {
    try {
      store.close();
    } finally {
      database.dropSchema(schema);
    }
  }

  @Test
  @DisplayName("a PostgreSQL store says that several processes may share it")
  void shared() {
    assertThat(store.sharedAcrossProcesses()).isTrue();
  }
}
