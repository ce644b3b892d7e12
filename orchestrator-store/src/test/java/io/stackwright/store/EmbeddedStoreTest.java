package io.stackwright.store;

import io.stackwright.api.spi.Store;
import io.stackwright.tck.MutableClock;
import io.stackwright.tck.StoreCompatibilityKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;

@DisplayName("embedded H2 file store")
class EmbeddedStoreTest extends StoreCompatibilityKit {
  private Path directory;

  @Override
  protected Store createStore(MutableClock clock) {
    try {
      directory = Files.createTempDirectory("st-h2-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Stores.embedded(directory.resolve("store"), clock);
  }

  @Override
  protected void disposeStore(Store store) {
    store.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
