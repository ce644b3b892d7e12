package io.stackwright.loader.internal;

import io.stackwright.api.drift.DriftMode;
import io.stackwright.api.drift.DriftPolicy;
import io.stackwright.loader.internal.Node.MapNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the {@code x-stackwright.drift} sections, with the file's locations: at the top level
 * ({@code mode}, {@code ignore}, {@code interval}, {@code jitter}) and on a service ({@code
 * ignore}). The sections stay in the stack's extensions as written; {@link DriftPolicy#of} reads
 * them into the typed policy, so what the loader accepts is exactly what the policy takes.
 */
final class DriftPolicyReader extends NodeReader {
  static final Set<String> STACK_KEYS = Set.of("mode", "ignore", "interval", "jitter");
  static final Set<String> SERVICE_KEYS = Set.of("ignore");

  DriftPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  /** The top level's {@code x-stackwright} (only its {@code drift} section is checked here). */
  void readStack(Node stackwright, String path) {
    if (!(stackwright instanceof MapNode top)) {
      return;
    }
    Node node = top.get(DriftPolicy.SECTION);
    if (node == null) {
      return;
    }
    String at = child(path, DriftPolicy.SECTION);
    MapNode map = mapping(node, at);
    if (map == null) {
      return;
    }
    unknownKeys(map, at, STACK_KEYS);
    String mode = string(map.get("mode"), child(at, "mode"));
    if (mode != null) {
      try {
        DriftMode.valueOf(mode.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(
            map.get("mode"), child(at, "mode"), "must be off, warn or repair, not '" + mode + "'");
      }
    }
    ignore(map, at);
    Duration interval = policyDuration(map.get("interval"), child(at, "interval"));
    Duration jitter = policyDuration(map.get("jitter"), child(at, "jitter"));
    if (interval != null && interval.compareTo(Duration.ofSeconds(1)) < 0) {
      problem(map.get("interval"), child(at, "interval"), "must be at least 1s");
    }
    Duration effective = interval != null ? interval : DriftPolicy.DEFAULT_INTERVAL;
    if (jitter != null && jitter.compareTo(effective) >= 0) {
      problem(
          map.get("jitter"),
          child(at, "jitter"),
          "must be less than the interval (" + effective + ")");
    }
  }

  /** A service's {@code x-stackwright.drift} section. */
  void readService(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return;
    }
    unknownKeys(map, path, SERVICE_KEYS);
    ignore(map, path);
  }

  private void ignore(MapNode map, String path) {
    Node rules = map.get("ignore");
    if (rules == null) {
      return;
    }
    var list = stringList(rules, child(path, "ignore"));
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == null || list.get(i).isBlank()) {
          problem(rules, index(child(path, "ignore"), i), "must be a field path");
        }
      }
    }
  }

  /** A duration in the form the policy parses ({@code 3m}, {@code 90s}, {@code 1m30s}). */
  private Duration policyDuration(Node node, String path) {
    String text = string(node, path);
    if (text == null) {
      return null;
    }
    try {
      return DriftPolicy.parseDuration(text);
    } catch (IllegalArgumentException e) {
      problem(node, path, "must be a duration such as 3m, 90s or 1m30s, not '" + text + "'");
      return null;
    }
  }
}
