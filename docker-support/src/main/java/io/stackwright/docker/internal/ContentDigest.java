package io.stackwright.docker.internal;

import io.stackwright.api.FileContent;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.localstate.PrivateDirectory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The version id of a secret's or config's content: an HMAC-SHA256 under a key of this user's local
 * state, never a bare hash. A bare SHA-256 in a label, a name, a plan or an event lets anyone who
 * can read the Engine API test guesses of a password offline; without the key, the keyed hash says
 * nothing about the content, yet it still tells equal contents apart, which is all versioning
 * needs.
 *
 * <p>The key (32 random bytes) is created once, mode 0400, in a private directory ({@link
 * PrivateDirectory}): {@value #KEY_FILE_PROPERTY} names the file, by default {@code
 * ~/.stackwright/keys/content.key}. Hosts that deploy the same Swarm stack should share the key
 * file; with different keys each one sees the other's versions as different content and creates a
 * version of its own (which is safe, only wasteful). The key is read on first use, so a stack
 * without secrets or configs never creates it.
 */
public final class ContentDigest {
  /** Property: the file holding the key (created 0400 when absent). */
  public static final String KEY_FILE_PROPERTY = "content-key.file";

  /** The prefix of every keyed digest, so an old bare {@code sha256} value never matches one. */
  public static final String PREFIX = "hmac-sha256:";

  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_READ =
      EnumSet.of(PosixFilePermission.OWNER_READ);

  private final Supplier<byte[]> key;

  private ContentDigest(Supplier<byte[]> key) {
    this.key = key;
  }

  /** A digest under the key the context's {@value #KEY_FILE_PROPERTY} names, else the default. */
  public static ContentDigest from(PlatformContext context) {
    Path file =
        context
            .property(KEY_FILE_PROPERTY)
            .filter(s -> !s.isBlank())
            .map(Path::of)
            .orElseGet(ContentDigest::defaultKeyFile);
    return atKeyFile(file);
  }

  public static Path defaultKeyFile() {
    return Path.of(System.getProperty("user.home"), ".stackwright", "keys", "content.key");
  }

  /** A digest under the key in {@code file}, created on first use when absent. */
  public static ContentDigest atKeyFile(Path file) {
    return new ContentDigest(memoized(() -> loadOrCreate(file)));
  }

  /** A digest under a given key (tests, and hosts that keep the key elsewhere). */
  public static ContentDigest withKey(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("a content key has at least 16 bytes");
    }
    byte[] copy = key.clone();
    return new ContentDigest(() -> copy);
  }

  /** {@value #PREFIX} and the lower-case hex HMAC-SHA256 of the content. */
  public String of(FileContent content) {
    return of(content.bytes());
  }

  public String of(byte[] bytes) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  /** The hex part of a digest (for names: {@code <base>-<first hex digits>}). */
  public static String hex(String digest) {
    return digest.startsWith(PREFIX) ? digest.substring(PREFIX.length()) : digest;
  }

  private static Supplier<byte[]> memoized(Supplier<byte[]> loader) {
    return new Supplier<>() {
      private volatile byte[] value;

      @Override
      public byte[] get() {
        byte[] v = value;
        if (v == null) {
          synchronized (this) {
            if (value == null) {
              value = loader.get();
            }
            v = value;
          }
        }
        return v;
      }
    };
  }

  static byte[] loadOrCreate(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    PrivateDirectory.ensure(absolute.getParent());
    try {
      if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
        create(absolute);
      }
      if (!Files.isRegularFile(absolute, LinkOption.NOFOLLOW_LINKS)) {
        throw new OrchestratorException(
            "refusing the content key " + absolute + ": it is not a regular file (or a link)");
      }
      if (absolute.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        PosixFileAttributes attributes =
            Files.readAttributes(absolute, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> others = EnumSet.copyOf(attributes.permissions());
        others.removeAll(
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        if (!others.isEmpty()) {
          throw new OrchestratorException(
              "refusing the content key "
                  + absolute
                  + ": its mode "
                  + PosixFilePermissions.toString(attributes.permissions())
                  + " lets others read or write it; make it 0400");
        }
      }
      byte[] key = Files.readAllBytes(absolute);
      if (key.length < 16) {
        throw new OrchestratorException(
            "refusing the content key " + absolute + ": it holds fewer than 16 bytes");
      }
      return key;
    } catch (IOException e) {
      throw new OrchestratorException(
          "cannot read or create the content key " + absolute + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Path temp =
        file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    Files.deleteIfExists(temp);
    if (posix) {
      Files.createFile(
          temp,
          PosixFilePermissions.asFileAttribute(
              EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
    } else {
      Files.createFile(temp);
    }
    Files.write(temp, key, StandardOpenOption.TRUNCATE_EXISTING);
    if (posix) {
      Files.setPosixFilePermissions(temp, OWNER_READ);
    }
    try {
      // a link, not a move: when two processes race, the first key wins and both use it
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException raced) {
      // another process created it first
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
