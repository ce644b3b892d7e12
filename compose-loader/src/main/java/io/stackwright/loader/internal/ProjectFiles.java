package io.stackwright.loader.internal;

import io.stackwright.loader.LoadLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every file one load reads, read with bounds: only regular files (no device, FIFO, socket or
 * directory, nothing under {@code /proc} or {@code /sys}), at most {@link LoadLimits#maxFileBytes}
 * (refused from its size before reading when the file system knows it, and never read past the
 * limit when it does not), within {@link LoadLimits#readTimeout}, and inside the {@link
 * Confinement} when the path comes from the project. Each file is read once per load.
 */
public final class ProjectFiles {
  private static final int CHUNK = 64 * 1024;

  /** Interrupts a read that passes its deadline; one daemon thread for every load. */
  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

  private final LoadLimits limits;
  private final Confinement confinement;
  private final Diagnostics diagnostics;
  private final Map<Path, byte[]> cache = new HashMap<>();

  ProjectFiles(LoadLimits limits, Confinement confinement, Diagnostics diagnostics) {
    this.limits = limits;
    this.confinement = confinement;
    this.diagnostics = diagnostics;
  }

  Confinement confinement() {
    return confinement;
  }

  /** Why a file could not be read. */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean missing;

    Unreadable(String message, boolean missing) {
      super(message, null, false, false);
      this.missing = missing;
    }

    /** Whether the file does not exist (for optional files). */
    boolean missing() {
      return missing;
    }
  }

  /**
   * Whether a path named in the project may be read or mounted; when not, the problem is recorded
   * at {@code at}.
   */
  boolean allowed(Path file, String what, Location at, String path) {
    if (confinement.allows(file)) {
      return true;
    }
    diagnostics.problem(at, path, confinement.refusal(what, file));
    return false;
  }

  /**
   * The text of a file (UTF-8), or {@code null} after recording why not at {@code at} (or the file
   * itself when {@code at} is null), the message starting with {@code what} and the path.
   *
   * @param named whether the path comes from the project (confined) rather than from the caller
   * @param optional whether a missing file is no problem (returns null silently)
   */
  String text(Path file, String what, Location at, String path, boolean named, boolean optional) {
    byte[] bytes = bytes(file, what, at, path, named, optional);
    if (bytes == null) {
      return null;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return text; // nothing was replaced: the bytes were valid UTF-8
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      report(file, what, at, path, "is not valid UTF-8");
      return null;
    }
  }

  /** The bytes of a file, or {@code null} after recording why not (see {@link #text}). */
  byte[] bytes(Path file, String what, Location at, String path, boolean named, boolean optional) {
    if (named && !allowed(file, what, at == null ? Location.file(file.toString()) : at, path)) {
      return null;
    }
    try {
      return read(file);
    } catch (Unreadable e) {
      if (!(optional && e.missing())) {
        report(file, what, at, path, e.getMessage());
      }
      return null;
    }
  }

  private void report(Path file, String what, Location at, String path, String why) {
    if (at == null) {
      // a file the caller named: the problem is the file's own
      diagnostics.problem(Location.file(file.toString()), path, what + " " + why);
    } else {
      diagnostics.problem(at, path, what + " " + file + " " + why);
    }
  }

  /** Whether the path is a regular file that exists (symlinks followed). */
  static boolean isFile(Path file) {
    return Files.isRegularFile(file);
  }

  /** The file's bytes, read once per load. */
  byte[] read(Path file) throws Unreadable {
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      throw new Unreadable("not found", true);
    } catch (AccessDeniedException e) {
      throw new Unreadable("cannot be read: permission denied", false);
    } catch (IOException e) {
      throw new Unreadable("cannot be read: " + e.getClass().getSimpleName(), false);
    }
    byte[] cached = cache.get(real);
    if (cached != null) {
      return cached;
    }
    if (real.startsWith("/proc") || real.startsWith("/sys")) {
      throw new Unreadable(
          "cannot be read: " + real + " is a kernel pseudo-file, not a regular file", false);
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(real, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new Unreadable("cannot be read: " + e.getClass().getSimpleName(), false);
    }
    if (attributes.isDirectory()) {
      throw new Unreadable("cannot be read: it is a directory", false);
    }
    if (!attributes.isRegularFile()) {
      // a device (/dev/zero never ends), a FIFO (blocks until someone writes) or a socket
      throw new Unreadable(
          "cannot be read: it is not a regular file (a device, FIFO or socket)", false);
    }
    if (attributes.size() > limits.maxFileBytes()) {
      throw new Unreadable(tooLarge(attributes.size()), false);
    }
    byte[] bytes = readBounded(real, attributes.size());
    cache.put(real, bytes);
    return bytes;
  }

  private String tooLarge(long size) {
    return "is "
        + (size < 0 ? "larger than the limit" : size + " bytes, more than the limit")
        + " of "
        + limits.maxFileBytes()
        + " bytes for a file"
        + LoadBudget.raise("maxFileBytes");
  }

  /** Reads at most the size limit, giving up at the deadline. */
  private byte[] readBounded(Path real, long expected) throws Unreadable {
    long max = limits.maxFileBytes();
    long deadline = System.nanoTime() + limits.readTimeout().toNanos();
    Thread reader = Thread.currentThread();
    Object lock = new Object();
    boolean[] state = new boolean[2]; // [0]: read finished, [1]: deadline interrupted the read
    ScheduledFuture<?> watchdog =
        DEADLINES.schedule(
            () -> {
              synchronized (lock) {
                if (!state[0]) {
                  state[1] = true;
                  reader.interrupt();
                }
              }
            },
            limits.readTimeout().toNanos(),
            TimeUnit.NANOSECONDS);
    try (InputStream in = Files.newInputStream(real)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(expected + 1, max + 1));
      byte[] buffer = new byte[(int) Math.min(CHUNK, max + 1)];
      int n;
      while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, max + 1 - out.size()))) > 0) {
        out.write(buffer, 0, n);
        if (out.size() > max) {
          throw new Unreadable(tooLarge(-1), false);
        }
        if (System.nanoTime() - deadline > 0) {
          throw new Unreadable(timedOut(), false);
        }
      }
      return out.toByteArray();
    } catch (ClosedByInterruptException | InterruptedIOException e) {
      throw new Unreadable(
          state[1] ? timedOut() : "cannot be read: the reading thread was interrupted", false);
    } catch (AccessDeniedException e) {
      throw new Unreadable("cannot be read: permission denied", false);
    } catch (IOException e) {
      throw new Unreadable("cannot be read: " + e.getClass().getSimpleName(), false);
    } finally {
      watchdog.cancel(false);
      synchronized (lock) {
        state[0] = true;
        if (state[1]) {
          Thread.interrupted(); // the deadline's interrupt, not the caller's
        }
      }
    }
  }

  private String timedOut() {
    return "cannot be read within "
        + limits.readTimeout().toMillis()
        + " ms"
        + LoadBudget.raise("readTimeout");
  }

  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = Executors.defaultThreadFactory().newThread(runnable);
              thread.setName("stackwright-loader-read-deadline");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
