package io.stackwright.compose.internal;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.FileReference;
import io.stackwright.api.PlatformException;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.docker.internal.ContentDigest;
import io.stackwright.localstate.PrivateDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets and configs as files. A single engine has no secret store, so, like {@code docker
 * compose}, the content is written to a file on the host and bind-mounted read-only into the
 * container. The files live in a per-project directory, {@code <state dir>/<project>/} (mode 0700),
 * under {@code secrets/} and {@code configs/}, one file per key and per (mode, uid, gid), written
 * with the reference's mode and owner. The state directory is private ({@link PrivateDirectory}:
 * 0700, owned by this process's user, never a symbolic link). A secret's file is 0400 by default,
 * owned by the reference's uid, else by the service's numeric user (so that user can read it in the
 * container); only a service that runs as a named user the host cannot resolve gets 0444 (the
 * private directory still keeps other host users out). Configs are 0444 by default. Everything is
 * deleted when the project is removed.
 *
 * <p>Files are replaced atomically (written aside, then moved), so a container that still runs the
 * old spec keeps the old content (its bind mount holds the old file) until it is recreated; a
 * changed content changes the services' config hash, which recreates them.
 *
 * <p>Only {@link #write} reads a secret's bytes. Nothing here logs content.
 */
public final class SecretFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);

  static final int DEFAULT_MODE = 0444;
  static final int DEFAULT_SECRET_MODE = 0400;
  static final String SECRETS_DIR = "/run/secrets/";

  /** Where one secret or config goes, with its content. */
  public record FileMount(
      String kind,
      String source,
      Path hostPath,
      String target,
      FileContent content,
      int mode,
      Integer uid,
      Integer gid) {
    @Override
    public String toString() {
      return kind + " " + source + " -> " + target + " (" + content + ")";
    }
  }

  private final Path root;
  private final ContentDigest digest;

  /** Files under {@code root}, versioned by a key kept in {@code root/.keys/content.key}. */
  public SecretFiles(Path root) {
    this(root, ContentDigest.atKeyFile(root.resolve(".keys").resolve("content.key")));
  }

  public SecretFiles(Path root, ContentDigest digest) {
    this.root = root.toAbsolutePath().normalize();
    this.digest = digest;
  }

  /** The keyed hash that names content versions (in config hashes, labels and plans). */
  public ContentDigest digest() {
    return digest;
  }

  public Path root() {
    return root;
  }

  public Path projectDir(String project) {
    return root.resolve(project);
  }

  /** The project's directory, created 0700 or checked private ({@link PrivateDirectory}). */
  public Path privateProjectDir(String project) {
    Path dir = projectDir(project);
    createPrivateDirectory(dir);
    return dir;
  }

  /** The files a service needs, in the order of its references (secrets, then configs). */
  public List<FileMount> mounts(StackSpec stack, ServiceSpec service) {
    List<FileMount> mounts = new ArrayList<>();
    for (FileReference ref : service.secrets()) {
      SecretSpec secret = stack.secrets().get(ref.source());
      if (secret == null || secret.content() == null) {
        continue; // external: rejected by validation
      }
      Integer user = numericUser(service.user());
      boolean namedUser = user == null && service.user() != null && !service.user().isBlank();
      int mode = namedUser ? DEFAULT_MODE : DEFAULT_SECRET_MODE;
      mounts.add(
          mount(
              stack.name(),
              "secret",
              ref,
              secretTarget(ref),
              secret.content(),
              mode,
              user == null || user == 0 ? null : user));
    }
    for (FileReference ref : service.configs()) {
      ConfigSpec config = stack.configs().get(ref.source());
      if (config == null || config.content() == null) {
        continue;
      }
      mounts.add(
          mount(
              stack.name(),
              "config",
              ref,
              configTarget(ref),
              config.content(),
              DEFAULT_MODE,
              null));
    }
    return mounts;
  }

  private FileMount mount(
      String project,
      String kind,
      FileReference ref,
      String target,
      FileContent content,
      int defaultMode,
      Integer defaultUid) {
    int mode = ref.mode() == null ? defaultMode : ref.mode();
    Integer uid = id(ref.uid(), kind, ref);
    if (uid == null) {
      uid = defaultUid;
    }
    Integer gid = id(ref.gid(), kind, ref);
    String file = safe(ref.source());
    boolean defaults =
        mode == defaultMode && (uid == null || uid == 0) && (gid == null || gid == 0);
    if (!defaults) {
      file +=
          "@"
              + Integer.toOctalString(mode)
              + "-"
              + (uid == null ? 0 : uid)
              + "-"
              + (gid == null ? 0 : gid);
    }
    Path host = projectDir(project).resolve(kind + "s").resolve(file);
    return new FileMount(kind, ref.source(), host, target, content, mode, uid, gid);
  }

  private static Integer id(String value, String kind, FileReference ref) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          kind + " " + ref.source() + ": uid/gid must be numeric, was '" + value + "'");
    }
  }

  /** The uid of a service's {@code user} ({@code 1000} or {@code 1000:1000}) when numeric. */
  static Integer numericUser(String user) {
    if (user == null || user.isBlank()) {
      return null;
    }
    String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    try {
      return Integer.valueOf(uid.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code /run/secrets/<target>} unless the target is absolute (compose's rule). */
  public static String secretTarget(FileReference ref) {
    String target = ref.targetOrSource();
    return target.startsWith("/") ? target : SECRETS_DIR + target;
  }

  /** {@code /<target>} unless the target is absolute (compose's rule). */
  public static String configTarget(FileReference ref) {
    String target = ref.targetOrSource();
    return target.startsWith("/") ? target : "/" + target;
  }

  static String safe(String key) {
    String cleaned = key.replaceAll("[^A-Za-z0-9._-]", "_"); // never '@': it marks the mode
    return cleaned.startsWith(".") ? "_" + cleaned : cleaned;
  }

  /** Whether the file exists with the content and mode it should have. Reads only. */
  public boolean upToDate(FileMount mount) {
    Path file = mount.hostPath();
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      if (!sha256(file).equals(mount.content().sha256())) {
        return false;
      }
      return !supportsPosix(file)
          || Files.getPosixFilePermissions(file).equals(permissions(mount.mode()));
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes the file (directory 0700, file with the reference's mode and owner), atomically. */
  public void write(FileMount mount) {
    Path file = mount.hostPath();
    Path dir = file.getParent();
    try {
      createPrivateDirectory(dir.getParent());
      createPrivateDirectory(dir);
      Path temp = dir.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      Files.deleteIfExists(temp);
      if (supportsPosix(dir)) {
        Files.createFile(
            temp,
            PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
      }
      Files.write(temp, mount.content().bytes());
      if (supportsPosix(temp)) {
        Files.setPosixFilePermissions(temp, permissions(mount.mode()));
        setOwner(temp, mount);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      LOG.debug("Wrote {} to {}", mount, file);
    } catch (IOException e) {
      throw new PlatformException(
          "writing "
              + mount.kind()
              + " "
              + mount.source()
              + " to "
              + file
              + " failed: "
              + e
              + "; check that the state directory "
              + root
              + " is writable",
          false,
          e);
    }
  }

  private void setOwner(Path file, FileMount mount) {
    if (mount.uid() == null && mount.gid() == null) {
      return;
    }
    try {
      if (mount.uid() != null) {
        Files.setAttribute(file, "unix:uid", mount.uid(), LinkOption.NOFOLLOW_LINKS);
      }
      if (mount.gid() != null) {
        Files.setAttribute(file, "unix:gid", mount.gid(), LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      LOG.warn(
          "Cannot give {} {} the owner {}:{} ({}); it keeps this process's owner",
          mount.kind(),
          mount.source(),
          mount.uid(),
          mount.gid(),
          e.toString());
    }
  }

  private void createPrivateDirectory(Path dir) {
    // every level from the root down: a directory another user owns or can write is refused
    PrivateDirectory.ensure(root);
    if (!dir.equals(root)) {
      PrivateDirectory.ensure(dir);
    }
  }

  /** The keys of the secrets (or configs) that have files for the project. */
  public Set<String> keys(String project, String kind) {
    Set<String> keys = new TreeSet<>();
    Path dir = projectDir(project).resolve(kind + "s");
    if (!Files.isDirectory(dir)) {
      return keys;
    }
    try (var files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .map(n -> n.contains("@") ? n.substring(0, n.indexOf('@')) : n)
          .forEach(keys::add);
    } catch (IOException e) {
      LOG.debug("Cannot list {}", dir, e);
    }
    return keys;
  }

  /** Deletes the project's directory and everything in it; true when something was deleted. */
  public boolean deleteProject(String project) {
    Path dir = projectDir(project);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              try {
                Files.deleteIfExists(d);
              } catch (DirectoryNotEmptyException ignored) {
                // a concurrent writer; reported below
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      throw new PlatformException(
          "deleting the secret and config files of " + project + " in " + dir + " failed: " + e,
          false,
          e);
    }
    return true;
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        set.add(order[bit]);
      }
    }
    return set;
  }

  private static boolean supportsPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
