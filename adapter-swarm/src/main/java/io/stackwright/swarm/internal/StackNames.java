package io.stackwright.swarm.internal;

import java.util.Map;
import java.util.TreeMap;

/** Names and labels exactly as {@code docker stack deploy} writes them. */
public final class StackNames {
  /** The label every object of a stack carries; its value is the stack name. */
  public static final String NAMESPACE = "com.docker.stack.namespace";

  /** The service label holding the image exactly as declared (the spec may pin a digest). */
  public static final String IMAGE = "com.docker.stack.image";

  /**
   * Stackwright's label on secrets and configs: the keyed hash of their content ({@code
   * hmac-sha256:<hex>}, see {@code ContentDigest}), never a bare hash.
   */
  public static final String CONTENT_HASH = "io.stackwright.content-hash";

  /** How many hex digits of the content hash a versioned secret or config name carries. */
  static final int HASH_SUFFIX_LENGTH = 10;

  private StackNames() {}

  /** {@code <stack>_<key>}. */
  public static String scope(String stack, String key) {
    return stack + "_" + key;
  }

  /** Strips {@code <stack>_} (what the CLI's prune does); other names are returned unchanged. */
  public static String descope(String stack, String name) {
    String prefix = stack + "_";
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  /** The name of a new version: {@code <base>-<first 10 hex digits of its keyed hash>}. */
  public static String versioned(String baseName, String hex) {
    return baseName + "-" + hex.substring(0, HASH_SUFFIX_LENGTH);
  }

  /** Whether {@code name} is {@code baseName} or one of its versions. */
  static boolean isVersionOf(String baseName, String name) {
    if (name.equals(baseName)) {
      return true;
    }
    if (name.length() != baseName.length() + 1 + HASH_SUFFIX_LENGTH
        || !name.startsWith(baseName + "-")) {
      return false;
    }
    return name.substring(baseName.length() + 1).chars().allMatch(StackNames::isHex);
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /**
   * Whether a service spec's {@code image} is the {@code declared} one, as written or with the
   * digest the engine pins on create and update ({@code nginx} runs as {@code
   * nginx:latest@sha256:...}, the familiar name with its tag). Any other image was put there behind
   * the label's back ({@code docker service update --image}), which the label, only written by a
   * deploy, does not show.
   */
  static boolean isDeclaredImage(String image, String declared) {
    if (image.equals(declared)) {
      return true;
    }
    int digest = image.indexOf('@');
    if (digest < 0 || declared.contains("@")) {
      return false;
    }
    return tagged(familiar(image.substring(0, digest))).equals(tagged(familiar(declared)));
  }

  private static String familiar(String image) {
    for (String prefix : new String[] {"docker.io/library/", "index.docker.io/library/"}) {
      if (image.startsWith(prefix)) {
        return image.substring(prefix.length());
      }
    }
    for (String prefix : new String[] {"docker.io/", "index.docker.io/"}) {
      if (image.startsWith(prefix)) {
        return image.substring(prefix.length());
      }
    }
    return image;
  }

  private static String tagged(String image) {
    return image.substring(image.lastIndexOf('/') + 1).contains(":") ? image : image + ":latest";
  }

  /** {@code labels} plus the namespace label (a copy, sorted). */
  static Map<String, String> withNamespace(String stack, Map<String, String> labels) {
    Map<String, String> result = new TreeMap<>(labels);
    result.put(NAMESPACE, stack);
    return result;
  }
}
