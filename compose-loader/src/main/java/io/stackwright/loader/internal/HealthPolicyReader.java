package io.stackwright.loader.internal;

import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeCheck;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.ProbeTier;
import io.stackwright.api.health.RecoveryPolicy;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code x-stackwright.health} into a {@link HealthPolicy}; the schema is documented in
 * {@code docs/x-stackwright.md}. Every problem is reported at its key, and the read goes on so that
 * one load lists them all.
 */
final class HealthPolicyReader extends NodeReader {
  static final Set<String> KEYS = Set.of("startup", "liveness", "readiness", "recovery");
  static final Set<String> CHECKS = Set.of("http", "tcp", "exec", "engine", "custom");
  static final Set<String> PROBE_KEYS =
      Set.of(
          "http",
          "tcp",
          "exec",
          "engine",
          "custom",
          "initial_delay",
          "period",
          "timeout",
          "failure_threshold",
          "success_threshold");
  static final Set<String> HTTP_KEYS =
      Set.of(
          "port", "path", "method", "scheme", "headers", "status", "body_contains", "body_matches");
  static final Set<String> RECOVERY_KEYS =
      Set.of("replace", "backoff", "max_backoff", "crash_loop");
  static final Set<String> CRASH_LOOP_KEYS = Set.of("failures", "window");

  HealthPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  HealthPolicy read(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return HealthPolicy.NONE;
    }
    unknownKeys(map, path, KEYS);
    Map<ProbeTier, ProbeSpec> probes = new EnumMap<>(ProbeTier.class);
    for (ProbeTier tier : ProbeTier.values()) {
      String key = tier.name().toLowerCase(Locale.ROOT);
      Node probe = map.get(key);
      if (probe != null) {
        ProbeSpec spec = probe(probe, child(path, key));
        if (spec != null) {
          probes.put(tier, spec);
        }
      }
    }
    RecoveryPolicy recovery =
        map.has("recovery")
            ? recovery(map.get("recovery"), child(path, "recovery"))
            : RecoveryPolicy.DEFAULT;
    if (recovery == null) {
      return HealthPolicy.NONE;
    }
    HealthPolicy policy = guard(node, path, () -> new HealthPolicy(probes, recovery));
    return policy == null ? HealthPolicy.NONE : policy;
  }

  private ProbeSpec probe(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, PROBE_KEYS);
    List<String> kinds = map.entries().keySet().stream().filter(CHECKS::contains).toList();
    if (kinds.size() != 1) {
      problem(
          node,
          path,
          kinds.isEmpty()
              ? "a probe needs one of http, tcp, exec, engine or custom"
              : "a probe checks one thing; found " + String.join(" and ", kinds));
      return null;
    }
    String kind = kinds.get(0);
    ProbeCheck check = check(kind, map.get(kind), child(path, kind));
    Duration initialDelay = duration(map.get("initial_delay"), child(path, "initial_delay"));
    Duration period = duration(map.get("period"), child(path, "period"));
    Duration timeout = duration(map.get("timeout"), child(path, "timeout"));
    Integer failures = integer(map.get("failure_threshold"), child(path, "failure_threshold"));
    Integer successes = integer(map.get("success_threshold"), child(path, "success_threshold"));
    if (check == null) {
      return null;
    }
    return guard(
        node,
        path,
        () ->
            new ProbeSpec(
                check,
                initialDelay,
                period,
                timeout,
                failures == null ? ProbeSpec.DEFAULT_FAILURE_THRESHOLD : failures,
                successes == null ? ProbeSpec.DEFAULT_SUCCESS_THRESHOLD : successes));
  }

  private ProbeCheck check(String kind, Node node, String path) {
    switch (kind) {
      case "http":
        return httpCheck(node, path);
      case "tcp":
        if (node instanceof MapNode map) {
          unknownKeys(map, path, Set.of("port"));
          Integer port = integer(map.get("port"), child(path, "port"));
          if (port == null) {
            if (map.get("port") == null) {
              problem(node, path, "a tcp probe needs a port");
            }
            return null;
          }
          return guard(map.get("port"), child(path, "port"), () -> new ProbeCheck.Tcp(port));
        }
        Integer port = integer(node, path);
        return port == null ? null : guard(node, path, () -> new ProbeCheck.Tcp(port));
      case "exec":
        List<String> command =
            node instanceof ScalarNode s && !s.isNull()
                ? ShellWords.split(s.text())
                : stringList(node, path);
        return command == null ? null : guard(node, path, () -> new ProbeCheck.Exec(command));
      case "engine":
        Boolean on = bool(node, path);
        if (on != null && !on) {
          problem(node, path, "engine: false checks nothing; leave the probe out instead");
          return null;
        }
        return on == null ? null : new ProbeCheck.Engine();
      default:
        MapNode map = mapping(node, path);
        if (map == null) {
          return null;
        }
        unknownKeys(map, path, Set.of("name", "settings"));
        String name =
            requiredString(map.get("name"), child(path, "name"), node, "the probe's name");
        Map<String, String> settings = listOrMap(map.get("settings"), child(path, "settings"));
        return name == null ? null : guard(node, path, () -> new ProbeCheck.Custom(name, settings));
    }
  }

  private ProbeCheck httpCheck(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, HTTP_KEYS);
    Integer port = integer(map.get("port"), child(path, "port"));
    if (port == null && map.get("port") == null) {
      problem(node, path, "an http probe needs a port");
    }
    String probePath = string(map.get("path"), child(path, "path"));
    String method = string(map.get("method"), child(path, "method"));
    String scheme = string(map.get("scheme"), child(path, "scheme"));
    boolean https = false;
    if (scheme != null) {
      switch (scheme.toLowerCase(Locale.ROOT)) {
        case "http" -> https = false;
        case "https" -> https = true;
        default ->
            problem(
                map.get("scheme"),
                child(path, "scheme"),
                "must be http or https, not " + quoted(map.get("scheme")));
      }
    }
    Map<String, String> headers = listOrMap(map.get("headers"), child(path, "headers"));
    int[] status = statusRange(map.get("status"), child(path, "status"));
    String contains = string(map.get("body_contains"), child(path, "body_contains"));
    String matches = string(map.get("body_matches"), child(path, "body_matches"));
    if (port == null || status == null) {
      return null;
    }
    boolean secure = https;
    return guard(
        node,
        path,
        () ->
            new ProbeCheck.Http(
                secure, method, port, probePath, headers, status[0], status[1], contains, matches));
  }

  /** {@code 200}, {@code "200-299"}; absent: Kubernetes' 200-399. */
  private int[] statusRange(Node node, String path) {
    if (isNull(node)) {
      return new int[] {200, 399};
    }
    String text = string(node, path);
    if (text == null) {
      return null;
    }
    String[] parts = text.strip().split("\\s*-\\s*");
    try {
      int min = Integer.parseInt(parts[0]);
      int max = parts.length == 2 ? Integer.parseInt(parts[1]) : min;
      if (parts.length <= 2) {
        return new int[] {min, max};
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(
        node, path, "must be a status such as 200 or a range such as 200-299, not " + quoted(node));
    return null;
  }

  private RecoveryPolicy recovery(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, RECOVERY_KEYS);
    RecoveryPolicy.Builder builder = RecoveryPolicy.builder();
    Boolean replace = bool(map.get("replace"), child(path, "replace"));
    if (replace != null) {
      builder.replace(replace);
    }
    Duration backoff = duration(map.get("backoff"), child(path, "backoff"));
    Duration maxBackoff = duration(map.get("max_backoff"), child(path, "max_backoff"));
    Integer failures = RecoveryPolicy.DEFAULT.maxReplacements();
    Duration window = RecoveryPolicy.DEFAULT.window();
    if (map.has("crash_loop")) {
      MapNode loop = mapping(map.get("crash_loop"), child(path, "crash_loop"));
      if (loop != null) {
        unknownKeys(loop, child(path, "crash_loop"), CRASH_LOOP_KEYS);
        Integer f = integer(loop.get("failures"), child(path, "crash_loop.failures"));
        Duration w = duration(loop.get("window"), child(path, "crash_loop.window"));
        failures = f == null ? failures : f;
        window = w == null ? window : w;
      }
    }
    builder.backoff(
        backoff == null ? RecoveryPolicy.DEFAULT.initialBackoff() : backoff,
        maxBackoff == null ? RecoveryPolicy.DEFAULT.maxBackoff() : maxBackoff);
    builder.crashLoop(failures, window);
    return guard(node, path, builder::build);
  }
}
