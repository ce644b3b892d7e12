package io.stackwright.core.state;

import io.stackwright.api.spi.StateStore;
import io.stackwright.tck.StateStoreCompatibilityKit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The file-backed store, held to the StateStore contract; reopened on the same directory. */
class FileStateStoreCompatibilityTest extends StateStoreCompatibilityKit {
  @TempDir Path directory;

  @Override
  protected StateStore createStore() {
    return new FileStateStore(directory);
  }

  @Override
  protected StateStore reopen(StateStore store) {
    store.close();
    return new FileStateStore(directory);
  }
}
