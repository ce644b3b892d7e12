package io.stackwright.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The bytes of a secret or a config. A secret's content never appears in {@link #toString()}, so it
 * cannot leak into a log line, an event or an exception message by accident.
 */
public final class FileContent {
  private final byte[] bytes;
  private final boolean sensitive;
  private final Origin origin;

  private FileContent(byte[] bytes, boolean sensitive, Origin origin) {
    this.bytes = bytes.clone();
    this.sensitive = sensitive;
    this.origin = origin;
  }

  private FileContent(byte[] bytes, boolean sensitive) {
    this(bytes, sensitive, null);
  }

  /**
   * Where content was read from, so that it can be read again: a process that resumes a job stores
   * this instead of the content (which a store must never hold), and reads the content again.
   *
   * @param kind a file or an environment variable
   * @param where the file's absolute path, or the variable's name
   */
  public record Origin(Kind kind, String where) {
    public enum Kind {
      FILE,
      ENVIRONMENT
    }

    public Origin {
      Objects.requireNonNull(kind, "kind");
      if (where == null || where.isBlank()) {
        throw new IllegalArgumentException("an origin needs a file path or a variable name");
      }
    }

    public static Origin file(java.nio.file.Path path) {
      return new Origin(Kind.FILE, path.toAbsolutePath().normalize().toString());
    }

    public static Origin environment(String variable) {
      return new Origin(Kind.ENVIRONMENT, variable);
    }

    @Override
    public String toString() {
      return kind == Kind.FILE ? "file " + where : "environment variable " + where;
    }
  }

  /**
   * The same content, recorded as read from {@code origin}. The origin is not part of the content:
   * {@link #equals} ignores it.
   */
  public FileContent withOrigin(Origin origin) {
    return new FileContent(bytes, sensitive, origin);
  }

  /** Where the content was read from, when it was read from a file or a variable (not inline). */
  public Optional<Origin> origin() {
    return Optional.ofNullable(origin);
  }

  /** Content that must never be shown (a secret). */
  public static FileContent secret(byte[] bytes) {
    return new FileContent(bytes, true);
  }

  public static FileContent secret(String text) {
    return secret(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Content that may be shown (a config). */
  public static FileContent plain(byte[] bytes) {
    return new FileContent(bytes, false);
  }

  public static FileContent plain(String text) {
    return plain(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public boolean sensitive() {
    return sensitive;
  }

  /**
   * A SHA-256 of the content in hex, for comparing contents locally. Never put it where others can
   * read it (labels, names, plans, events): for a secret, a bare hash lets anyone test guesses
   * offline; adapters name versions by a keyed hash instead.
   */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FileContent that
        && sensitive == that.sensitive
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return sensitive
        ? "FileContent[secret, " + bytes.length + " bytes]"
        : "FileContent[" + bytes.length + " bytes]";
  }
}
