package io.stackwright.localstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stackwright.api.OrchestratorException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {
  @TempDir Path temp;

  @Test
  void createsTheDirectoryAndItsMissingParentsOwnerOnlyWhateverTheUmask() throws Exception {
    Path dir = temp.resolve("a/b/state");
    assertThat(PrivateDirectory.ensure(dir)).isEqualTo(dir.toAbsolutePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("a"))))
        .isEqualTo("rwx------");
    // a second call checks and accepts its own directory
    assertThat(PrivateDirectory.ensure(dir)).isEqualTo(dir.toAbsolutePath());
  }

  @Test
  void refusesASymbolicLinkEvenToAPrivateDirectory() throws Exception {
    Path target = PrivateDirectory.ensure(temp.resolve("real"));
    Path link = Files.createSymbolicLink(temp.resolve("link"), target);
    assertThatThrownBy(() -> PrivateDirectory.ensure(link))
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("refusing the state directory " + link)
        .hasMessageContaining("is a symbolic link");
  }

  @Test
  void refusesADirectoryOthersCanWrite() throws Exception {
    Path open = Files.createDirectory(temp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> PrivateDirectory.ensure(open))
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("writable by its group or by others (mode rwxrwxrwx)");
    // refused, never repaired: the files in it may already be another user's
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open)))
        .isEqualTo("rwxrwxrwx");
  }

  @Test
  void refusesADirectoryOwnedByAnotherUser() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "only root can give a directory to another user (chown nobody)");
    Path theirs = Files.createDirectory(temp.resolve("theirs"));
    Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
    UserPrincipal nobody =
        theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(theirs, nobody);
    assertThatThrownBy(() -> PrivateDirectory.ensure(theirs))
        .isInstanceOf(OrchestratorException.class)
        .hasMessageContaining("is owned by nobody, not by root");
  }

  @Test
  void refusesAFile() throws Exception {
    Path file = Files.createFile(temp.resolve("file"));
    assertThatThrownBy(() -> PrivateDirectory.ensure(file))
        .hasMessageContaining("is not a directory");
    assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
  }
}
