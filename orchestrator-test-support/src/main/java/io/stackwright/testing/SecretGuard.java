package io.stackwright.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the secret values tests deploy out of their captured output.
 *
 * <p>A test that deploys a secret takes its value from {@link #secret(String)} (or registers a
 * value it must spell itself with {@link #register(String, String)}). Each registration is one line
 * appended to a values file ({@value #FILE_PROPERTY}, by default {@code
 * target/secret-guard/values.txt} under the working directory, which is the module's directory
 * under Surefire and Failsafe). After the tests, {@link #scan(Collection)} (or {@link
 * #main(String...)}) reads every test output under the given roots (Surefire's and Failsafe's
 * reports, {@code target/test-logs/}) and reports each place that holds a registered value: as is,
 * in base64 (the Engine API carries secret data as base64, at any alignment inside a longer base64
 * text), in hex, or XML-escaped. Inside a test JVM, {@link #assertNoSecretIn(String, String)}
 * checks a captured text (a process's output) as soon as it is captured.
 *
 * <p>A hit names the file, the line and the secret's purpose, never the value.
 */
public final class SecretGuard {
  /** The system property naming the values file this JVM appends to. */
  public static final String FILE_PROPERTY = "stackwright.secret-guard.file";

  /** The values file of a module, relative to its directory. */
  public static final String DEFAULT_FILE = "target/secret-guard/values.txt";

  /** Shorter values would match ordinary text; {@link #secret(String)} makes longer ones. */
  public static final int MINIMUM_LENGTH = 8;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, Secret> REGISTERED = new ConcurrentHashMap<>();

  private SecretGuard() {}

  /** A place in a test output that holds a registered secret; its text names no value. */
  public record Hit(Path file, int line, String purpose, String form) {
    @Override
    public String toString() {
      return file + ":" + line + ": holds the secret '" + purpose + "' (" + form + ")";
    }
  }

  /** What a scan found, and how much it looked at. */
  public record Report(int values, int files, List<Hit> hits) {
    public Report {
      hits = List.copyOf(hits);
    }
  }

  /**
   * A fresh random value ({@code purpose-} and 24 URL-safe random characters), registered under
   * {@code purpose}.
   */
  public static String secret(String purpose) {
    byte[] random = new byte[18];
    RANDOM.nextBytes(random);
    String value = purpose + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    register(purpose, value);
    return value;
  }

  /** Registers a value a test spells itself (at least {@value #MINIMUM_LENGTH} bytes). */
  public static void register(String purpose, String value) {
    register(purpose, value.getBytes(StandardCharsets.UTF_8));
  }

  /** Registers a value a test spells itself (at least {@value #MINIMUM_LENGTH} bytes). */
  public static void register(String purpose, byte[] value) {
    Secret secret = new Secret(label(purpose), value.clone());
    if (REGISTERED.putIfAbsent(secret.key(), secret) != null) {
      return;
    }
    String line = Base64.getEncoder().encodeToString(secret.value) + "\t" + secret.purpose + "\n";
    try {
      append(valuesFile(), line.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      REGISTERED.remove(secret.key());
      throw new UncheckedIOException("could not register the secret '" + purpose + "'", e);
    }
  }

  /**
   * Throws an {@link AssertionError} (naming {@code where} and the secret's purpose, never its
   * value) when {@code captured} holds a value registered in this JVM, in any form the scan knows.
   */
  public static void assertNoSecretIn(String captured, String where) {
    if (captured == null || captured.isEmpty() || REGISTERED.isEmpty()) {
      return;
    }
    String text =
        new String(captured.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    for (Secret secret : REGISTERED.values()) {
      for (Map.Entry<String, String> needle : secret.needles().entrySet()) {
        int at = text.indexOf(needle.getKey());
        if (at >= 0) {
          throw new AssertionError(
              where
                  + " holds the secret '"
                  + secret.purpose
                  + "' ("
                  + needle.getValue()
                  + ", line "
                  + lineOf(text, at)
                  + ")");
        }
      }
    }
  }

  /**
   * Says which registered secret {@code text} is ({@code secret 'purpose'}), else how long it is:
   * for assertions on a value read back, whose failure message must not print it.
   */
  public static String describe(String text) {
    Secret secret = REGISTERED.get(Base64.getEncoder().encodeToString(bytes(text)));
    return secret != null
        ? "secret '" + secret.purpose + "'"
        : "no registered secret (" + text.length() + " chars)";
  }

  /** Every values file and test output under {@code roots}, scanned for the values' forms. */
  public static List<Hit> scan(Collection<Path> roots) throws IOException {
    return check(roots).hits();
  }

  /** {@link #scan(Collection)}, with the number of values and files it checked. */
  public static Report check(Collection<Path> roots) throws IOException {
    Set<Path> valueFiles = new TreeSet<>();
    Set<Path> outputs = new TreeSet<>();
    for (Path root : roots) {
      collect(root.toAbsolutePath().normalize(), valueFiles, outputs);
    }
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (Path file : valueFiles) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int tab = line.indexOf('\t');
        if (line.isBlank() || tab < 0) {
          continue;
        }
        byte[] value = Base64.getDecoder().decode(line.substring(0, tab));
        Secret secret = new Secret(line.substring(tab + 1), value);
        secrets.putIfAbsent(secret.key(), secret);
      }
    }
    Matcher matcher = new Matcher(secrets.values());
    List<Hit> hits = new ArrayList<>();
    for (Path file : outputs) {
      matcher.find(file, hits);
    }
    hits.sort(Comparator.comparing((Hit h) -> h.file().toString()).thenComparing(Hit::line));
    return new Report(secrets.size(), outputs.size(), hits);
  }

  /**
   * Scans the given directories (default: the working directory), prints the verdict, and exits 1
   * when a test output holds a registered secret.
   */
  public static void main(String... args) throws IOException {
    List<Path> roots = new ArrayList<>();
    for (String arg : args) {
      roots.add(Path.of(arg));
    }
    if (roots.isEmpty()) {
      roots.add(Path.of("."));
    }
    int status = verdict(roots, System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Scans {@code roots}, prints the verdict to {@code out}: 1 when a secret was found, else 0. */
  static int verdict(List<Path> roots, PrintStream out) throws IOException {
    long started = System.nanoTime();
    Report report = check(roots);
    long millis = (System.nanoTime() - started) / 1_000_000;
    String checked =
        report.values()
            + " registered secret values in "
            + report.files()
            + " test output files under "
            + roots
            + " ("
            + millis
            + " ms)";
    if (report.hits().isEmpty()) {
      out.println(
          "[secret-guard] OK: no test output holds any of "
              + checked
              + (report.values() == 0 ? "; none registered, nothing to look for" : ""));
      return 0;
    }
    out.println(
        "[secret-guard] FAILED: "
            + report.hits().size()
            + (report.hits().size() == 1 ? " place holds" : " places hold")
            + " a secret, checking "
            + checked
            + ":");
    for (Hit hit : report.hits()) {
      out.println("[secret-guard]   " + hit);
    }
    return 1;
  }

  private static void collect(Path root, Set<Path> valueFiles, Set<Path> outputs)
      throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            return name.equals(".git") || name.equals("node_modules") || name.equals("src")
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()) {
              return FileVisitResult.CONTINUE;
            }
            Path parent = file.getParent();
            String dir = parent == null ? "" : parent.toString().replace('\\', '/');
            if (dir.endsWith("/target/secret-guard")) {
              if (file.getFileName().toString().endsWith(".txt")) {
                valueFiles.add(file);
              }
            } else if (dir.contains("/target/surefire-reports")
                || dir.contains("/target/failsafe-reports")
                || dir.endsWith("/target/test-logs")) {
              outputs.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static Path valuesFile() {
    String configured = System.getProperty(FILE_PROPERTY);
    return Path.of(configured != null && !configured.isBlank() ? configured : DEFAULT_FILE)
        .toAbsolutePath();
  }

  /**
   * One whole line in one write, under an exclusive file lock: the test JVMs of a module append at
   * once. A file lock is held by a JVM, not a thread (a second one throws), so this JVM's threads
   * take turns first.
   */
  private static synchronized void append(Path file, byte[] line) throws IOException {
    Files.createDirectories(file.getParent());
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // another JVM of the module created it
    } catch (UnsupportedOperationException e) {
      Files.write(file, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        FileLock lock = channel.lock()) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  private static String label(String purpose) {
    if (purpose == null || purpose.isBlank()) {
      throw new IllegalArgumentException(
          "a secret needs a purpose label (what the test uses it for)");
    }
    return purpose.strip().replaceAll("[\\s\\p{Cntrl}]+", "_");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** A value and the forms it is looked for in (ISO-8859-1 strings of their bytes). */
  private static final class Secret {
    final String purpose;
    final byte[] value;

    Secret(String purpose, byte[] value) {
      if (value.length < MINIMUM_LENGTH) {
        throw new IllegalArgumentException(
            "the secret '"
                + purpose
                + "' is shorter than "
                + MINIMUM_LENGTH
                + " bytes: it would match ordinary text; use SecretGuard.secret(purpose)");
      }
      this.purpose = purpose;
      this.value = value;
    }

    String key() {
      return Base64.getEncoder().encodeToString(value);
    }

    /** Each form (as an ISO-8859-1 string of its bytes) and its name. */
    Map<String, String> needles() {
      Map<String, String> needles = new LinkedHashMap<>();
      String raw = new String(value, StandardCharsets.ISO_8859_1);
      needles.put(raw, "as is");
      String stripped = raw.strip();
      if (stripped.length() >= MINIMUM_LENGTH) {
        needles.putIfAbsent(stripped, "as is");
      }
      String escaped =
          stripped
              .replace("&", "&amp;")
              .replace("<", "&lt;")
              .replace(">", "&gt;")
              .replace("\"", "&quot;")
              .replace("'", "&apos;");
      needles.putIfAbsent(escaped, "XML-escaped");
      needles.putIfAbsent(escaped.replace("&apos;", "&#39;"), "XML-escaped");
      // base64 inside a longer base64 text: the characters fully made of the value's bits, at
      // each of the three byte alignments
      for (int shift = 0; shift < 3; shift++) {
        byte[] shifted = new byte[shift + value.length];
        System.arraycopy(value, 0, shifted, shift, value.length);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(shifted);
        int from = (8 * shift + 5) / 6;
        int to = 8 * (shift + value.length) / 6;
        String core = encoded.substring(from, to);
        needles.putIfAbsent(core, "base64");
        needles.putIfAbsent(core.replace('+', '-').replace('/', '_'), "base64url");
      }
      needles.putIfAbsent(HexFormat.of().formatHex(value), "hex");
      needles.putIfAbsent(HexFormat.of().withUpperCase().formatHex(value), "hex");
      return needles;
    }
  }

  /** Finds every needle in a file in one pass, by the needles' first 8 bytes. */
  private static final class Matcher {
    private final Map<Long, List<Needle>> byPrefix = new HashMap<>();

    private record Needle(String text, Secret secret, String form) {}

    Matcher(Collection<Secret> secrets) {
      for (Secret secret : secrets) {
        for (Map.Entry<String, String> needle : secret.needles().entrySet()) {
          byPrefix
              .computeIfAbsent(prefix(needle.getKey(), 0), k -> new ArrayList<>())
              .add(new Needle(needle.getKey(), secret, needle.getValue()));
        }
      }
    }

    private static long prefix(String text, int from) {
      long key = 0;
      for (int i = from; i < from + MINIMUM_LENGTH; i++) {
        key = (key << 8) | (text.charAt(i) & 0xff);
      }
      return key;
    }

    void find(Path file, List<Hit> hits) throws IOException {
      if (byPrefix.isEmpty()) {
        return;
      }
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      Set<String> reported = new LinkedHashSet<>();
      int line = 1;
      long key = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        key = (key << 8) | (c & 0xff);
        int start = i - MINIMUM_LENGTH + 1;
        if (start >= 0) {
          if (start > 0 && text.charAt(start - 1) == '\n') {
            line++;
          }
          List<Needle> candidates = byPrefix.get(key);
          if (candidates != null) {
            for (Needle needle : candidates) {
              if (text.startsWith(needle.text(), start)
                  && reported.add(line + "\t" + needle.secret().purpose)) {
                hits.add(new Hit(file, line, needle.secret().purpose, needle.form()));
              }
            }
          }
        }
      }
    }
  }
}
