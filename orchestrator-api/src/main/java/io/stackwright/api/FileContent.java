package io.stackwright.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The bytes of a secret or a config. A secret's content never appears in {@link #toString()}, so it
 * cannot leak into a log line, an event or an exception message by accident.
 */
public final class FileContent {
  private final byte[] bytes;
  private final boolean sensitive;

  private FileContent(byte[] bytes, boolean sensitive) {
    this.bytes = bytes.clone();
    this.sensitive = sensitive;
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

  /** A SHA-256 of the content in hex: safe to show and to store in labels, even for secrets. */
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
