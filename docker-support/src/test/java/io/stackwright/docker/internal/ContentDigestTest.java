package io.stackwright.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.FileContent;
import io.stackwright.localstate.PrivateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentDigestTest {
  @TempDir Path temp;

  @Test
  void aKeyedDigestTellsContentsApartButIsNoBareHash() {
    ContentDigest digest = ContentDigest.withKey("k".repeat(32).getBytes());
    FileContent secret = FileContent.secret("hunter2");
    assertThat(digest.of(secret))
        .startsWith(ContentDigest.PREFIX)
        .isEqualTo(digest.of(FileContent.secret("hunter2")))
        .isNotEqualTo(digest.of(FileContent.secret("hunter3")))
        .doesNotContain(secret.sha256());
    assertThat(ContentDigest.withKey("j".repeat(32).getBytes()).of(secret))
        .isNotEqualTo(digest.of(secret));
  }

  @Test
  void theKeyIsCreatedOnceOwnerReadOnlyInAPrivateDirectoryAndOnlyOnFirstUse() throws Exception {
    Path file = temp.resolve("keys/content.key");
    ContentDigest digest = ContentDigest.atKeyFile(file);
    assertThat(file).doesNotExist();
    String first = digest.of(FileContent.secret("x"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("r--------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.size(file)).isEqualTo(32);
    // another process (a new instance) uses the same key
    assertThat(ContentDigest.atKeyFile(file).of(FileContent.secret("x"))).isEqualTo(first);
  }

  @Test
  void refusesAKeyOthersCanRead() throws Exception {
    Path dir = PrivateDirectory.ensure(temp.resolve("keys"));
    Path file = Files.write(dir.resolve("content.key"), new byte[32]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> ContentDigest.atKeyFile(file).of(FileContent.secret("x")))
        .hasMessageContaining("lets others read or write it");
  }
}
