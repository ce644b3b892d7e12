package io.stackwright.loader.internal;

import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.Metric;
import io.stackwright.api.scaling.PrometheusMetric;
import io.stackwright.api.scaling.ResourceMetric;
import io.stackwright.api.scaling.ScalingBehavior;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.scaling.ScalingRate;
import io.stackwright.api.scaling.ThresholdRule;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads {@code x-stackwright.autoscaling} into a {@link ScalingPolicy}; the schema is documented in
 * {@code docs/x-stackwright.md}. Every key is checked, and every problem is reported with its file,
 * line and column; the policy is {@link ScalingPolicy#NONE} when there is any.
 */
final class ScalingPolicyReader extends NodeReader {
  private static final Set<String> POLICY_KEYS =
      Set.of(
          "min_replicas",
          "max_replicas",
          "metrics",
          "rules",
          "tolerance",
          "interval",
          "dry_run",
          "behavior");
  private static final Set<String> PROMETHEUS_KEYS =
      Set.of("name", "labels", "type", "port", "path", "target");
  private static final Set<String> CUSTOM_KEYS = Set.of("source", "name", "target");
  private static final Set<String> PROMQL_KEYS = Set.of("query", "source", "target");
  private static final Set<String> RULE_KEYS =
      Set.of("metric", "up_above", "down_below", "step", "cooldown");
  private static final Set<String> BEHAVIOR_KEYS =
      Set.of("stabilization_window", "select", "policies");
  private static final Set<String> RATE_KEYS = Set.of("type", "value", "period");

  private boolean failed;

  ScalingPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  ScalingPolicy read(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return ScalingPolicy.NONE;
    }
    if (unknownKeys(map, path, POLICY_KEYS)) {
      fail();
    }
    Integer min = required(map, path, "min_replicas");
    Integer max = required(map, path, "max_replicas");
    List<Target> targets = new ArrayList<>();
    ListNode metrics = map.has("metrics") ? list(map.get("metrics"), child(path, "metrics")) : null;
    if (metrics != null) {
      for (int i = 0; i < metrics.items().size(); i++) {
        Target t = target(metrics.items().get(i), index(child(path, "metrics"), i));
        if (t != null) {
          targets.add(t);
        }
      }
    }
    List<ThresholdRule> rules = new ArrayList<>();
    ListNode ruleList = map.has("rules") ? list(map.get("rules"), child(path, "rules")) : null;
    if (ruleList != null) {
      for (int i = 0; i < ruleList.items().size(); i++) {
        ThresholdRule r = rule(ruleList.items().get(i), index(child(path, "rules"), i));
        if (r != null) {
          rules.add(r);
        }
      }
    }
    if (targets.isEmpty() && rules.isEmpty() && !failed) {
      problem(map, path, "needs at least one entry under metrics or rules");
      return ScalingPolicy.NONE;
    }
    Double tolerance = number(map.get("tolerance"), child(path, "tolerance"));
    Duration interval = duration(map.get("interval"), child(path, "interval"));
    Boolean dryRun = bool(map.get("dry_run"), child(path, "dry_run"));
    ScalingBehavior up = ScalingBehavior.DEFAULT_UP;
    ScalingBehavior down = ScalingBehavior.DEFAULT_DOWN;
    Node behaviorNode = map.get("behavior");
    if (!isNull(behaviorNode)) {
      String behaviorPath = child(path, "behavior");
      MapNode behavior = mapping(behaviorNode, behaviorPath);
      if (behavior != null) {
        if (unknownKeys(behavior, behaviorPath, Set.of("scale_up", "scale_down"))) {
          fail();
        }
        up = behavior(behavior.get("scale_up"), child(behaviorPath, "scale_up"), up);
        down = behavior(behavior.get("scale_down"), child(behaviorPath, "scale_down"), down);
      }
    }
    if (failed || min == null || max == null) {
      return ScalingPolicy.NONE;
    }
    ScalingPolicy.Builder builder = ScalingPolicy.builder(min, max);
    targets.forEach(t -> builder.target(t.metric(), t.target()));
    rules.forEach(builder::rule);
    if (tolerance != null) {
      builder.tolerance(tolerance);
    }
    if (interval != null) {
      builder.interval(interval);
    }
    if (dryRun != null) {
      builder.dryRun(dryRun);
    }
    ScalingBehavior scaleUp = up;
    ScalingBehavior scaleDown = down;
    ScalingPolicy policy =
        guard(map, path, () -> builder.scaleUp(scaleUp).scaleDown(scaleDown).build());
    return policy == null ? ScalingPolicy.NONE : policy;
  }

  private record Target(Metric metric, double target) {}

  /** {@code cpu: 70}, {@code memory: 80}, {@code prometheus: {...}} or {@code custom: {...}}. */
  private Target target(Node node, String path) {
    MapNode map = single(node, path, "cpu, memory, prometheus, promql or custom");
    if (map == null) {
      return null;
    }
    Entry e = map.entries().values().iterator().next();
    String p = child(path, e.key());
    switch (e.key()) {
      case "cpu", "memory" -> {
        Double percent = positive(e.value(), p);
        return percent == null
            ? null
            : new Target(
                e.key().equals("cpu") ? ResourceMetric.cpu() : ResourceMetric.memory(), percent);
      }
      case "prometheus", "custom", "promql" -> {
        MapNode spec = mapping(e.value(), p);
        if (spec == null) {
          fail();
          return null;
        }
        Metric metric =
            switch (e.key()) {
              case "prometheus" -> prometheus(spec, p, true);
              case "promql" -> promql(spec, p, true);
              default -> custom(spec, p, true);
            };
        Node targetNode = spec.get("target");
        if (isNull(targetNode)) {
          problem(spec, child(p, "target"), "target is required (the average per replica to keep)");
          fail();
          return null;
        }
        Double target = positive(targetNode, child(p, "target"));
        return metric == null || target == null ? null : new Target(metric, target);
      }
      default -> {
        problem(node, p, "unknown metric; use cpu, memory, prometheus, promql or custom");
        fail();
        return null;
      }
    }
  }

  /** {@code cpu}, {@code memory}, or a one-key mapping as in metrics, without a target. */
  private Metric ruleMetric(Node node, String path) {
    if (node instanceof ScalarNode s && !s.isNull()) {
      switch (s.text().strip().toLowerCase(Locale.ROOT)) {
        case "cpu":
          return ResourceMetric.cpu();
        case "memory":
          return ResourceMetric.memory();
        default:
          problem(
              node,
              path,
              "unknown metric " + quoted(node) + "; use cpu, memory, prometheus, promql or custom");
          fail();
          return null;
      }
    }
    MapNode map = single(node, path, "cpu, memory, prometheus, promql or custom");
    if (map == null) {
      return null;
    }
    Entry e = map.entries().values().iterator().next();
    String p = child(path, e.key());
    MapNode spec = mapping(e.value(), p);
    if (spec == null) {
      fail();
      return null;
    }
    return switch (e.key()) {
      case "prometheus" -> prometheus(spec, p, false);
      case "custom" -> custom(spec, p, false);
      case "promql" -> promql(spec, p, false);
      default -> {
        problem(node, p, "unknown metric; use cpu, memory, prometheus, promql or custom");
        fail();
        yield null;
      }
    };
  }

  private PrometheusMetric prometheus(MapNode spec, String path, boolean withTarget) {
    if (unknownKeys(
        spec, path, withTarget ? PROMETHEUS_KEYS : without(PROMETHEUS_KEYS, "target"))) {
      fail();
    }
    String name = requiredString(spec.get("name"), child(path, "name"), spec, "name");
    Map<String, String> labels = listOrMap(spec.get("labels"), child(path, "labels"));
    String typeText = string(spec.get("type"), child(path, "type"));
    PrometheusMetric.Kind kind = PrometheusMetric.Kind.GAUGE;
    if (typeText != null) {
      switch (typeText.strip().toLowerCase(Locale.ROOT)) {
        case "rate", "counter" -> kind = PrometheusMetric.Kind.RATE;
        case "gauge" -> kind = PrometheusMetric.Kind.GAUGE;
        default -> {
          problem(
              spec.get("type"),
              child(path, "type"),
              "must be rate or gauge, not " + quoted(spec.get("type")));
          fail();
        }
      }
    }
    Integer port = spec.has("port") ? integer(spec.get("port"), child(path, "port")) : null;
    if (port == null) {
      if (!spec.has("port")) {
        problem(spec, child(path, "port"), "port is required (where the replicas serve metrics)");
      }
      fail();
      return null;
    }
    String metricsPath = string(spec.get("path"), child(path, "path"));
    if (name == null) {
      fail();
      return null;
    }
    PrometheusMetric.Kind k = kind;
    PrometheusMetric metric =
        guard(spec, path, () -> new PrometheusMetric(name, labels, k, port, metricsPath));
    if (metric == null) {
      fail();
    }
    return metric;
  }

  private CustomMetric custom(MapNode spec, String path, boolean withTarget) {
    if (unknownKeys(spec, path, withTarget ? CUSTOM_KEYS : without(CUSTOM_KEYS, "target"))) {
      fail();
    }
    String source = requiredString(spec.get("source"), child(path, "source"), spec, "source");
    String name = requiredString(spec.get("name"), child(path, "name"), spec, "name");
    if (source == null || name == null) {
      fail();
      return null;
    }
    return new CustomMetric(source, name);
  }

  /**
   * {@code promql: {query: ..., target: ...}}: a PromQL query answered by the metric source named
   * {@code source} ({@code promql} by default, a {@code PromQlMetricSource} the host registers).
   */
  private CustomMetric promql(MapNode spec, String path, boolean withTarget) {
    if (unknownKeys(spec, path, withTarget ? PROMQL_KEYS : without(PROMQL_KEYS, "target"))) {
      fail();
    }
    String query = requiredString(spec.get("query"), child(path, "query"), spec, "query");
    String source =
        spec.has("source") ? string(spec.get("source"), child(path, "source")) : "promql";
    if (query == null || source == null) {
      fail();
      return null;
    }
    return new CustomMetric(source, query);
  }

  private ThresholdRule rule(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      fail();
      return null;
    }
    if (unknownKeys(map, path, RULE_KEYS)) {
      fail();
    }
    Node metricNode = map.get("metric");
    if (isNull(metricNode)) {
      problem(map, child(path, "metric"), "metric is required");
      fail();
      return null;
    }
    Metric metric = ruleMetric(metricNode, child(path, "metric"));
    Double upAbove = requiredNumber(map, path, "up_above");
    Double downBelow = requiredNumber(map, path, "down_below");
    Integer step =
        map.has("step") ? integer(map.get("step"), child(path, "step")) : Integer.valueOf(1);
    Duration cooldown =
        map.has("cooldown")
            ? duration(map.get("cooldown"), child(path, "cooldown"))
            : Duration.ofSeconds(60);
    if (metric == null
        || upAbove == null
        || downBelow == null
        || step == null
        || cooldown == null) {
      fail();
      return null;
    }
    ThresholdRule rule =
        guard(map, path, () -> new ThresholdRule(metric, upAbove, downBelow, step, cooldown));
    if (rule == null) {
      fail();
    }
    return rule;
  }

  private ScalingBehavior behavior(Node node, String path, ScalingBehavior defaults) {
    if (isNull(node)) {
      return defaults;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      fail();
      return defaults;
    }
    if (unknownKeys(map, path, BEHAVIOR_KEYS)) {
      fail();
    }
    Duration window =
        map.has("stabilization_window")
            ? duration(map.get("stabilization_window"), child(path, "stabilization_window"))
            : defaults.stabilizationWindow();
    ScalingBehavior.Select select = defaults.select();
    String selectText = string(map.get("select"), child(path, "select"));
    if (selectText != null) {
      try {
        select = ScalingBehavior.Select.valueOf(selectText.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(
            map.get("select"),
            child(path, "select"),
            "must be max, min or disabled, not " + quoted(map.get("select")));
        fail();
      }
    }
    List<ScalingRate> rates = defaults.rates();
    if (map.has("policies")) {
      String policiesPath = child(path, "policies");
      ListNode list = list(map.get("policies"), policiesPath);
      rates = new ArrayList<>();
      if (list == null) {
        fail();
      } else {
        for (int i = 0; i < list.items().size(); i++) {
          ScalingRate rate = rate(list.items().get(i), index(policiesPath, i));
          if (rate == null) {
            return defaults; // reported; a behavior without it would only add a second problem
          }
          rates.add(rate);
        }
      }
    }
    if (window == null) {
      fail();
      return defaults;
    }
    List<ScalingRate> chosenRates = rates;
    ScalingBehavior.Select chosenSelect = select;
    ScalingBehavior behavior =
        guard(map, path, () -> new ScalingBehavior(window, chosenRates, chosenSelect));
    if (behavior == null) {
      fail();
      return defaults;
    }
    return behavior;
  }

  private ScalingRate rate(Node node, String path) {
    MapNode map = mapping(node, path);
    if (map == null) {
      fail();
      return null;
    }
    if (unknownKeys(map, path, RATE_KEYS)) {
      fail();
    }
    String type = requiredString(map.get("type"), child(path, "type"), map, "type");
    Integer value = map.has("value") ? integer(map.get("value"), child(path, "value")) : null;
    Duration period = map.has("period") ? duration(map.get("period"), child(path, "period")) : null;
    if (!map.has("value")) {
      problem(map, child(path, "value"), "value is required");
    }
    if (!map.has("period")) {
      problem(map, child(path, "period"), "period is required");
    }
    ScalingRate.Type kind = null;
    if (type != null) {
      switch (type.strip().toLowerCase(Locale.ROOT)) {
        case "pods", "replicas" -> kind = ScalingRate.Type.PODS;
        case "percent" -> kind = ScalingRate.Type.PERCENT;
        default ->
            problem(
                map.get("type"),
                child(path, "type"),
                "must be pods or percent, not " + quoted(map.get("type")));
      }
    }
    if (kind == null || value == null || period == null) {
      fail();
      return null;
    }
    ScalingRate.Type k = kind;
    ScalingRate rate = guard(map, path, () -> new ScalingRate(k, value, period));
    if (rate == null) {
      fail();
    }
    return rate;
  }

  private Integer required(MapNode map, String path, String key) {
    if (!map.has(key) || isNull(map.get(key))) {
      problem(map, child(path, key), key + " is required");
      fail();
      return null;
    }
    Integer value = integer(map.get(key), child(path, key));
    if (value == null) {
      fail();
    }
    return value;
  }

  private Double requiredNumber(MapNode map, String path, String key) {
    if (!map.has(key) || isNull(map.get(key))) {
      problem(map, child(path, key), key + " is required");
      return null;
    }
    return number(map.get(key), child(path, key));
  }

  private Double positive(Node node, String path) {
    Double value = number(node, path);
    if (value == null) {
      fail();
      return null;
    }
    if (!(value > 0)) {
      problem(node, path, "must be greater than 0, not " + quoted(node));
      fail();
      return null;
    }
    return value;
  }

  /** A mapping with exactly one key (the metric's kind). */
  private MapNode single(Node node, String path, String kinds) {
    if (node instanceof MapNode map && map.entries().size() == 1) {
      return map;
    }
    problem(node, path, "must be a mapping with one key: " + kinds);
    fail();
    return null;
  }

  private static Set<String> without(Set<String> keys, String key) {
    java.util.Set<String> out = new java.util.TreeSet<>(keys);
    out.remove(Objects.requireNonNull(key));
    return out;
  }

  private void fail() {
    failed = true;
  }
}
