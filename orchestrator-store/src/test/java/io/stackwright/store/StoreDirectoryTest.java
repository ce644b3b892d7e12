package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store keeps its files only in a private directory ({@code PrivateDirectory}). */
class StoreDirectoryTest {
  @TempDir Path temp;

  @Test
  void theEmbeddedStoreRefusesAnOpenDirectory() throws Exception {
    Path open = Files.createDirectory(temp.resolve("store"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> Stores.embedded(open, java.time.Clock.systemUTC()))
        .hasMessageContaining("writable by its group or by others");
    assertThat(open.resolve(Stores.EMBEDDED_DATABASE + ".mv.db")).doesNotExist();
  }
}
