package io.stackwright.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.spi.StateStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * The embedded, file-backed {@link StateStore}: one directory per namespace, one file per value
 * ({@code <key>.value}), one file per history ({@code <key>.history}, a JSON string per line).
 *
 * <ul>
 *   <li>Values are written to a temporary file, forced to disk and moved over the old file
 *       atomically: a reader, or a host that crashed mid-write, sees the old value or the new one,
 *       never half of one.
 *   <li>History records are appended and forced; a torn last line (a crash mid-append) is skipped
 *       on read. The file is rewritten (atomically, as values are) to the newest {@code keep}
 *       records once it holds twice as many, so an append costs one small write, not a rewrite.
 *   <li>Writers of one namespace are serialized by a lock in this process and an OS file lock
 *       ({@code .lock}), so several threads and several processes sharing the directory are safe.
 * </ul>
 *
 * The default directory is {@code $STACKWRIGHT_STATE_DIR}, else the system property {@code
 * stackwright.state.dir}, else {@code ~/.stackwright/state}.
 */
public final class FileStateStore implements StateStore {
  /** The system property naming the default directory. */
  public static final String DIRECTORY_PROPERTY = "stackwright.state.dir";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  /**
   * In-process locks by namespace directory, shared by every instance: the JVM holds OS file locks
   * per process, so two stores on one directory in one process must take turns here first.
   */
  private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

  public FileStateStore(Path root) {
    // created 0700, refused when another user owns it or can write it, or when it is a link
    this.root =
        io.stackwright.localstate.PrivateDirectory.ensure(Objects.requireNonNull(root, "root"));
  }

  /** A store in the default directory (see the class documentation). */
  public static FileStateStore atDefaultLocation() {
    return new FileStateStore(defaultDirectory());
  }

  public static Path defaultDirectory() {
    String env = System.getenv("STACKWRIGHT_STATE_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String property = System.getProperty(DIRECTORY_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    return Path.of(System.getProperty("user.home"), ".stackwright", "state");
  }

  public Path directory() {
    return root;
  }

  @Override
  public Optional<String> get(String namespace, String key) {
    Path file = file(namespace, key, ".value");
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("reading", namespace, key, e);
    }
  }

  @Override
  public void put(String namespace, String key, String value) {
    Objects.requireNonNull(value, "value");
    locked(
        namespace,
        () -> {
          writeAtomically(file(namespace, key, ".value"), value.getBytes(StandardCharsets.UTF_8));
          return null;
        },
        "writing",
        key);
  }

  @Override
  public void delete(String namespace, String key) {
    locked(
        namespace,
        () -> {
          Files.deleteIfExists(file(namespace, key, ".value"));
          Files.deleteIfExists(file(namespace, key, ".history"));
          return null;
        },
        "deleting",
        key);
  }

  @Override
  public List<String> keys(String namespace) {
    Path dir = root.resolve(encode(namespace));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".value"))
          .map(n -> decode(n.substring(0, n.length() - ".value".length())))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw failure("listing", namespace, "*", e);
    }
  }

  @Override
  public void append(String namespace, String key, String record, int keep) {
    Objects.requireNonNull(record, "record");
    int limit = Math.max(keep, 1);
    locked(
        namespace,
        () -> {
          Path file = file(namespace, key, ".history");
          String line = JSON.writeValueAsString(record) + "\n";
          try (FileChannel channel =
              FileChannel.open(
                  file,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
          }
          List<String> all = readHistory(file);
          if (all.size() >= 2 * limit) {
            List<String> newest = all.subList(all.size() - limit, all.size());
            StringBuilder text = new StringBuilder();
            for (String r : newest) {
              text.append(JSON.writeValueAsString(r)).append('\n');
            }
            writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
          }
          return null;
        },
        "appending to",
        key);
  }

  @Override
  public List<String> history(String namespace, String key, int limit) {
    try {
      List<String> all = readHistory(file(namespace, key, ".history"));
      return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    } catch (IOException e) {
      throw failure("reading the history", namespace, key, e);
    }
  }

  private static List<String> readHistory(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<String> records = new ArrayList<>(lines.size());
    for (String line : lines) {
      try {
        records.add(JSON.readValue(line, String.class));
      } catch (JsonProcessingException e) {
        // a line torn by a crash mid-append: the record was never complete
      }
    }
    return records;
  }

  private interface Io<T> {
    T run() throws IOException;
  }

  private <T> T locked(String namespace, Io<T> action, String what, String key) {
    Path dir = root.resolve(encode(namespace));
    Object lock = LOCKS.computeIfAbsent(dir, n -> new Object());
    synchronized (lock) {
      try {
        Files.createDirectories(dir);
        try (FileChannel channel =
                FileChannel.open(
                    dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          return action.run();
        }
      } catch (IOException e) {
        throw failure(what, namespace, key, e);
      }
    }
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(bytes));
      channel.force(true);
    }
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path file(String namespace, String key, String suffix) {
    return root.resolve(encode(namespace)).resolve(encode(key) + suffix);
  }

  /** File names that cannot escape the directory or collide: every unusual character escaped. */
  static String encode(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("state store names cannot be empty");
    }
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace(".", "%2E").replace("*", "%2A");
  }

  static String decode(String fileName) {
    return URLDecoder.decode(fileName, StandardCharsets.UTF_8);
  }

  private OrchestratorException failure(String what, String namespace, String key, Exception e) {
    return new OrchestratorException(
        what + " " + namespace + "/" + key + " in the state directory " + root + " failed: " + e,
        e);
  }
}
