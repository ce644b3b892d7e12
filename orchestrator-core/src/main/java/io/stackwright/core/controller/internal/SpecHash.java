package io.stackwright.core.controller.internal;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.StackSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A SHA-256 of a stack spec, as the store keeps it. The spec's text hides secret contents (it shows
 * only their sizes), so each secret's and config's content is added through {@code contentHash}: a
 * changed secret is a changed spec. {@code contentHash} is keyed ({@link ResumableSpecs#hmac}): a
 * bare hash of a short secret in a stored record would let its reader test guesses.
 */
public final class SpecHash {
  private SpecHash() {}

  public static String of(StackSpec spec, Function<byte[], String> contentHash) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(spec.toString().getBytes(StandardCharsets.UTF_8));
      for (SecretSpec secret : spec.secrets().values()) {
        if (secret.content() != null) {
          digest.update(
              contentHash.apply(secret.content().bytes()).getBytes(StandardCharsets.UTF_8));
        }
      }
      for (ConfigSpec config : spec.configs().values()) {
        if (config.content() != null) {
          digest.update(
              contentHash.apply(config.content().bytes()).getBytes(StandardCharsets.UTF_8));
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
