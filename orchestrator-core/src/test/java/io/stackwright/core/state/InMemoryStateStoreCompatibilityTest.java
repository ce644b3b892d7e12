package io.stackwright.core.state;

import io.stackwright.api.spi.StateStore;
import io.stackwright.tck.StateStoreCompatibilityKit;

/** The in-memory store, held to the StateStore contract (it is not durable: that part skips). */
class InMemoryStateStoreCompatibilityTest extends StateStoreCompatibilityKit {
  @Override
  protected StateStore createStore() {
    return new InMemoryStateStore();
  }
}
