package io.stackwright.localstate;

import io.stackwright.api.OrchestratorException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * A directory of local state on a machine shared with other users: created with mode 0700 when
 * absent, and, when present, used only if it is a real directory (not a symbolic link), owned by
 * the user this process runs as, and writable by nobody else. Whoever creates a shared folder first
 * owns it, so a directory that fails these checks is refused (never repaired): another user may
 * have planted files in it that this process would read as its own configuration.
 *
 * <p>One class for the store, core and the Docker adapters (which may not depend on the store).
 */
public final class PrivateDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OTHERS_WRITE =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private PrivateDirectory() {}

  /** Stackwright's per-user root of local state: {@code ~/.stackwright}. */
  public static Path userRoot() {
    return Path.of(System.getProperty("user.home"), ".stackwright");
  }

  /**
   * Creates {@code directory} (and missing parents) with mode 0700, or checks the existing one;
   * returns its absolute path.
   *
   * @throws OrchestratorException when it is a symbolic link, not a directory, owned by another
   *     user, or writable by its group or by others; the message says which and what to do
   */
  public static Path ensure(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent)) {
          createDirectories(parent, posix);
        }
        try {
          if (posix) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            // createDirectory applies the umask; a private directory is 0700 regardless.
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
          } else {
            Files.createDirectory(dir);
          }
        } catch (FileAlreadyExistsException raced) {
          // another process created it first: checked below like any existing one
        }
      }
      check(dir, posix);
      return dir;
    } catch (IOException e) {
      throw new OrchestratorException(
          "cannot create the private state directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void createDirectories(Path dir, boolean posix) throws IOException {
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createDirectories(dir);
    }
  }

  private static void check(Path dir, boolean posix) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw refused(dir, "is a symbolic link (to " + Files.readSymbolicLink(dir) + ")");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw refused(dir, "is not a directory");
    }
    if (!posix) {
      return;
    }
    PosixFileAttributes attributes =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = currentUser(dir);
    if (me != null && !attributes.owner().equals(me)) {
      throw refused(
          dir, "is owned by " + attributes.owner().getName() + ", not by " + me.getName());
    }
    Set<PosixFilePermission> writableByOthers = EnumSet.noneOf(PosixFilePermission.class);
    writableByOthers.addAll(attributes.permissions());
    writableByOthers.retainAll(OTHERS_WRITE);
    if (!writableByOthers.isEmpty()) {
      throw refused(
          dir,
          "is writable by its group or by others (mode "
              + PosixFilePermissions.toString(attributes.permissions())
              + ")");
    }
  }

  /** The user this process runs as: the owner of {@code /proc/self}, else {@code user.name}. */
  static UserPrincipal currentUser(Path anywhere) throws IOException {
    Path self = Path.of("/proc/self");
    if (Files.exists(self)) {
      return Files.getOwner(self);
    }
    return anywhere
        .getFileSystem()
        .getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
  }

  private static OrchestratorException refused(Path dir, String why) {
    return new OrchestratorException(
        "refusing the state directory "
            + dir
            + ": it "
            + why
            + "; another local user could plant or read files in it. Remove it, or point"
            + " Stackwright at a directory of your own that only you can write (mode 0700)");
  }
}
