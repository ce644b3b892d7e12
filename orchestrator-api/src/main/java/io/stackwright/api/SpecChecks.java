package io.stackwright.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks the model makes of single values, by Docker's own rules, so that a wrong value is
 * reported with every other problem before anything reaches an engine. Each check returns {@code
 * null} when the value is fine, otherwise what is wrong and what is allowed.
 */
final class SpecChecks {
  private SpecChecks() {}

  // distribution/reference's grammar (reference/regexp.go), as the engine parses it.
  private static final String ALPHA_NUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT =
      ALPHA_NUMERIC + "(?:" + SEPARATOR + ALPHA_NUMERIC + ")*";
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String NAME =
      "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE =
      Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
  private static final Pattern TAG_PATTERN = Pattern.compile(TAG);
  private static final Pattern DIGEST_PATTERN = Pattern.compile(DIGEST);
  private static final int NAME_TOTAL_LENGTH_MAX = 255;

  static final String REFERENCE_FORM =
      "[registry[:port]/]name[:tag][@algorithm:hex], name in lower case, a tag of up to 128"
          + " letters, digits, '_', '.' or '-' not starting with '.' or '-'";

  /** What is wrong with an image reference, by the engine's grammar, or {@code null}. */
  static String imageReference(String reference) {
    if (reference == null || reference.isBlank()) {
      return "an image is required";
    }
    if (REFERENCE.matcher(reference).matches()) {
      String name = REFERENCE.matcher(reference).replaceFirst("$1");
      if (name.length() > NAME_TOTAL_LENGTH_MAX) {
        return "image '"
            + reference
            + "': the repository name is "
            + name.length()
            + " characters long; at most "
            + NAME_TOTAL_LENGTH_MAX
            + " are allowed";
      }
      return null;
    }
    String what = "image '" + reference + "' is not a valid reference: ";
    if (reference.chars().anyMatch(Character::isWhitespace)) {
      return what + "it contains white space; expected " + REFERENCE_FORM;
    }
    String rest = reference;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST_PATTERN.matcher(digest).matches()) {
        return what
            + "the digest '"
            + digest
            + "' must be algorithm:hex with at least 32 hex digits (sha256:...)";
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG_PATTERN.matcher(tag).matches()) {
        return what
            + "the tag '"
            + tag
            + "' must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";
      }
    }
    if (rest.isEmpty()) {
      return what + "the repository name is missing; expected " + REFERENCE_FORM;
    }
    String lower = lowerPath(rest);
    if (!lower.equals(rest) && Pattern.matches(NAME, lower)) {
      return what + "the repository name must be lower case";
    }
    return what + "expected " + REFERENCE_FORM;
  }

  /** The reference with its path (not its registry host) in lower case. */
  private static String lowerPath(String name) {
    int slash = name.indexOf('/');
    if (slash > 0) {
      String first = name.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        return first + name.substring(slash).toLowerCase(Locale.ROOT);
      }
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** The engine's smallest healthcheck duration (api/types/container MinimumDuration). */
  static final Duration MINIMUM_HEALTHCHECK_DURATION = Duration.ofMillis(1);

  /**
   * A healthcheck duration: unset is the engine's default; the engine refuses anything below 1 ms
   * and reads 0 as "inherit the default", which only means what it says where the default is 0.
   */
  static String healthcheckDuration(Duration value, String engineDefault, boolean zeroIsDefault) {
    if (value == null) {
      return null;
    }
    String range =
        zeroIsDefault
            ? "0 or at least 1ms (unset or 0 is the engine's default, " + engineDefault + ")"
            : "at least 1ms (leave it unset for the engine's default, " + engineDefault + ")";
    if (value.isNegative()) {
      return "cannot be negative (" + value + "); allowed: " + range;
    }
    if (value.isZero()) {
      return zeroIsDefault
          ? null
          : "0 would silently become the engine's default of "
              + engineDefault
              + "; allowed: "
              + range;
    }
    if (value.compareTo(MINIMUM_HEALTHCHECK_DURATION) < 0) {
      return "the engine refuses " + value + "; allowed: " + range;
    }
    return null;
  }

  /** A duration that may be 0 but not negative (delays, grace periods, windows). */
  static String nonNegative(Duration value) {
    if (value != null && value.isNegative()) {
      return "cannot be negative (" + value + "); allowed: 0 or more";
    }
    return null;
  }

  // Docker's names (daemon/names, volume/local, swarmkit controlapi).
  static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
  private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-zA-Z0-9]+(?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?");
  private static final int OBJECT_NAME_MAX = 64;

  /** What is wrong with a service's key (a container name part, a DNS name), or null. */
  static String serviceName(String name) {
    if (name == null || name.isEmpty()) {
      return "a service needs a name";
    }
    if (!CONTAINER_NAME.matcher(name).matches()) {
      return "service name '"
          + name
          + "' must be letters, digits, '_', '.' or '-', starting with a letter or digit";
    }
    if (name.length() > 63) {
      return "service name '" + name + "' is longer than 63 characters (a DNS label)";
    }
    return null;
  }

  /** A key in one of the stack's sections ({@code networks}, {@code volumes}, ...), or null. */
  static String key(String kind, String key) {
    if (key == null || !CONTAINER_NAME.matcher(key).matches()) {
      return kind
          + " key '"
          + key
          + "' must be letters, digits, '_', '.' or '-', starting with a letter or digit";
    }
    return null;
  }

  /** An explicit engine name of a network, or null. */
  static String networkName(String name) {
    return name == null || NETWORK_NAME.matcher(name).matches()
        ? null
        : "network name '"
            + name
            + "' must be letters, digits, '_', '.' or '-', starting with a letter or digit";
  }

  /** An explicit engine name of a volume (the local driver's rule), or null. */
  static String volumeName(String name) {
    return name == null || VOLUME_NAME.matcher(name).matches()
        ? null
        : "volume name '"
            + name
            + "' must be at least 2 letters, digits, '_', '.' or '-', starting with a letter or"
            + " digit";
  }

  /** An explicit engine name of a secret or config (Swarm's rule), or null. */
  static String objectName(String kind, String name) {
    if (name == null) {
      return null;
    }
    if (name.length() > OBJECT_NAME_MAX || !OBJECT_NAME.matcher(name).matches()) {
      return kind
          + " name '"
          + name
          + "' must be 1 to 64 letters, digits, '_', '.' or '-', starting and ending with a"
          + " letter or digit";
    }
    return null;
  }

  static void throwIfAny(List<SpecProblem> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
  }
}
