package io.stackwright.store;

import io.stackwright.api.spi.Store;
import io.stackwright.tck.MutableClock;
import io.stackwright.tck.StoreCompatibilityKit;
import org.junit.jupiter.api.DisplayName;

@DisplayName("in-memory store")
class InMemoryStoreTest extends StoreCompatibilityKit {
  @Override
  protected Store createStore(MutableClock clock) {
    return Stores.inMemory(clock);
  }
}
