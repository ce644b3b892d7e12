package io.stackwright.loader.internal;

import io.stackwright.api.rollout.BlueGreenPolicy;
import io.stackwright.api.rollout.CanaryAnalysis;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads {@code x-stackwright.rollout} into a {@link RolloutPolicy} (schema in
 * docs/x-stackwright.md, section "rollout"). The rolling update's batches come from the service's
 * {@code deploy.update_config} and {@code rollback_config}; this section adds the strategy, the
 * verification window and automatic rollback, and the blue-green and canary settings.
 */
final class RolloutPolicyReader extends NodeReader {
  private static final Set<String> KEYS =
      Set.of("strategy", "auto_rollback", "verify_for", "blue_green", "canary");
  private static final Set<String> BLUE_GREEN_KEYS =
      Set.of("verify_for", "keep_old_for", "auto_switch");
  private static final Set<String> CANARY_KEYS = Set.of("steps", "analysis", "auto_promote");
  private static final Set<String> STEP_KEYS = Set.of("weight", "replicas", "pause");
  private static final Set<String> ANALYSIS_KEYS =
      Set.of(
          "interval",
          "metrics_path",
          "metrics_port",
          "requests_metric",
          "errors_metric",
          "max_error_rate",
          "latency_metric",
          "max_latency");

  RolloutPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  RolloutPolicy read(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return RolloutPolicy.NONE;
    }
    int before = diagnostics.problemCount();
    unknownKeys(map, path, KEYS);
    String name = string(map.get("strategy"), child(path, "strategy"));
    RolloutPolicy.Strategy strategy = RolloutPolicy.Strategy.ROLLING;
    if (name != null) {
      try {
        strategy = RolloutPolicy.Strategy.fromId(name.strip().toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(map.get("strategy"), child(path, "strategy"), e.getMessage());
      }
    }
    Boolean autoRollback = bool(map.get("auto_rollback"), child(path, "auto_rollback"));
    Duration verifyFor = nonNegativeDuration(map.get("verify_for"), child(path, "verify_for"));
    BlueGreenPolicy blueGreen = blueGreen(map.get("blue_green"), child(path, "blue_green"));
    CanaryPolicy canary = canary(map.get("canary"), child(path, "canary"));
    if (diagnostics.problemCount() > before) {
      return RolloutPolicy.NONE;
    }
    try {
      return RolloutPolicy.builder(strategy)
          .autoRollback(autoRollback == null || autoRollback)
          .verifyFor(verifyFor)
          .blueGreen(strategy == RolloutPolicy.Strategy.BLUE_GREEN ? blueGreen : null)
          .canary(canary)
          .build();
    } catch (IllegalArgumentException | NullPointerException e) {
      problem(node, path, e.getMessage());
      return RolloutPolicy.NONE;
    }
  }

  private BlueGreenPolicy blueGreen(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, BLUE_GREEN_KEYS);
    BlueGreenPolicy defaults = BlueGreenPolicy.defaults();
    Duration verify = nonNegativeDuration(map.get("verify_for"), child(path, "verify_for"));
    Duration keep = nonNegativeDuration(map.get("keep_old_for"), child(path, "keep_old_for"));
    Boolean auto = bool(map.get("auto_switch"), child(path, "auto_switch"));
    return new BlueGreenPolicy(
        Objects.requireNonNullElse(verify, defaults.verifyFor()),
        Objects.requireNonNullElse(keep, defaults.keepOldFor()),
        auto == null || auto);
  }

  private CanaryPolicy canary(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, CANARY_KEYS);
    List<CanaryStep> steps = new ArrayList<>();
    ListNode list = list(map.get("steps"), child(path, "steps"));
    if (list == null || list.items().isEmpty()) {
      problem(
          isNull(map.get("steps")) ? node : map.get("steps"),
          child(path, "steps"),
          "a canary needs at least one step");
    } else {
      for (int i = 0; i < list.items().size(); i++) {
        CanaryStep step = step(list.items().get(i), index(child(path, "steps"), i));
        if (step != null) {
          steps.add(step);
        }
      }
    }
    CanaryAnalysis analysis = analysis(map.get("analysis"), child(path, "analysis"));
    Boolean auto = bool(map.get("auto_promote"), child(path, "auto_promote"));
    try {
      return steps.isEmpty() ? null : new CanaryPolicy(steps, analysis, auto == null || auto);
    } catch (IllegalArgumentException e) {
      problem(map.get("steps"), child(path, "steps"), e.getMessage());
      return null;
    }
  }

  private CanaryStep step(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, STEP_KEYS);
    Integer weight = nonNegative(map.get("weight"), child(path, "weight"));
    Integer replicas = nonNegative(map.get("replicas"), child(path, "replicas"));
    Duration pause = nonNegativeDuration(map.get("pause"), child(path, "pause"));
    if ((weight == null) == (replicas == null)) {
      problem(node, path, "a canary step sets either weight or replicas");
      return null;
    }
    try {
      return weight != null
          ? CanaryStep.weight(weight, pause)
          : CanaryStep.replicas(replicas, pause);
    } catch (IllegalArgumentException e) {
      problem(node, path, e.getMessage());
      return null;
    }
  }

  private CanaryAnalysis analysis(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    unknownKeys(map, path, ANALYSIS_KEYS);
    CanaryAnalysis defaults = CanaryAnalysis.errorRate(-1);
    Integer port = integer(map.get("metrics_port"), child(path, "metrics_port"));
    Double maxErrorRate = number(map.get("max_error_rate"), child(path, "max_error_rate"));
    String requests = string(map.get("requests_metric"), child(path, "requests_metric"));
    String errors = string(map.get("errors_metric"), child(path, "errors_metric"));
    try {
      return new CanaryAnalysis(
          duration(map.get("interval"), child(path, "interval")),
          string(map.get("metrics_path"), child(path, "metrics_path")),
          port == null ? defaults.metricsPort() : port,
          requests == null ? defaults.requestsMetric() : requests,
          errors == null ? defaults.errorsMetric() : errors,
          maxErrorRate == null ? -1 : maxErrorRate,
          string(map.get("latency_metric"), child(path, "latency_metric")),
          duration(map.get("max_latency"), child(path, "max_latency")));
    } catch (IllegalArgumentException e) {
      problem(node, path, e.getMessage());
      return null;
    }
  }

  private Duration nonNegativeDuration(Node node, String path) {
    Duration value = duration(node, path);
    if (value != null && value.isNegative()) {
      problem(node, path, "cannot be negative");
      return null;
    }
    return value;
  }
}
