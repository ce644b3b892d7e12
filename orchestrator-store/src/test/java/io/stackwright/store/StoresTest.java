package io.stackwright.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.spi.Store;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.NewJob;
import io.stackwright.api.store.StoreException;
import io.stackwright.tck.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
  private final MutableClock clock = MutableClock.atEpochMillis(1_800_000_000_000L);

  @Test
  void embeddedStoreCreatesAPrivateDirectory(@TempDir Path temp) {
    Path directory = temp.resolve("a/b/store");
    try (Store store = Stores.embedded(directory, clock)) {
      assertThat(store.sharedAcrossProcesses()).isFalse();
    }
    assertThat(directory).isDirectory();
    assertThat(PosixFilePermissions.toString(posix(directory))).isEqualTo("rwx------");
    assertThat(directory.resolve(Stores.EMBEDDED_DATABASE + ".mv.db")).exists();
  }

  @Test
  void embeddedStoreKeepsItsDataAcrossReopening(@TempDir Path temp) {
    long id;
    try (Store store = Stores.embedded(temp, clock)) {
      id =
          store
              .jobs()
              .submit(NewJob.builder("shop", JobKind.DEPLOY).desiredSpec("{\"v\":1}").build())
              .job()
              .id();
      store.documents().put("health", "shop", "{\"failing\":2}");
    }
    try (Store reopened = Stores.embedded(temp, clock)) {
      assertThat(reopened.jobs().get(id)).isPresent();
      assertThat(reopened.desiredStates().current("shop").orElseThrow().spec())
          .isEqualTo("{\"v\":1}");
      assertThat(reopened.documents().get("health", "shop")).contains("{\"failing\":2}");
    }
  }

  @Test
  void aDirectoryThatIsAFileIsRefusedByName(@TempDir Path temp) throws IOException {
    Path file = Files.writeString(temp.resolve("not-a-directory"), "x");
    assertThatThrownBy(() -> Stores.embedded(file, clock))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not-a-directory");
  }

  @Test
  void aPasswordInTheUrlNeverReachesAMessage() {
    assertThat(Stores.redacted("jdbc:postgresql://db:5432/app?user=sw&password=s3cr3t&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?user=sw&password=***&ssl=true")
        .doesNotContain("s3cr3t");
    assertThatThrownBy(
            () ->
                Stores.postgres(
                    "jdbc:postgresql://127.0.0.1:1/x?password=s3cr3t", "sw", "other-s3cr3t", clock))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:1")
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cr3t");
              }
            });
  }

  private static Set<PosixFilePermission> posix(Path path) {
    try {
      return Files.getPosixFilePermissions(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
