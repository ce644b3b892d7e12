package io.stackwright.api.drift;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Stackwright treats changes made to a stack behind its back, per stack: {@link DriftMode},
 * which fields it ignores, and how often it compares everything (besides the comparisons engine
 * events trigger).
 *
 * <p>Ignore rules are field paths as a plan prints them ({@code TaskTemplate.ContainerSpec.Env} on
 * Swarm, {@code replicas} or {@code containers} on one engine, {@code
 * TaskTemplate.ContainerSpec.Labels[com.example.team]} for one label): a rule ignores that field
 * and everything under it. {@code *} ignores every field of the resource (not its absence).
 * Stack-wide rules apply to every resource; a service's rules to that service only.
 *
 * <pre>{@code
 * DriftPolicy policy = DriftPolicy.builder(DriftMode.REPAIR)
 *     .ignore("TaskTemplate.ContainerSpec.Labels[com.example.owner]")
 *     .ignore("web", "TaskTemplate.ContainerSpec.Env")
 *     .interval(Duration.ofMinutes(3))
 *     .build();
 * }</pre>
 *
 * @param mode off, warn or repair
 * @param ignore stack-wide ignore rules
 * @param serviceIgnore ignore rules by service key
 * @param interval how often everything is compared, events or not (at least 1 s)
 * @param jitter up to this much is added to each interval, at random, so that many stacks (and
 *     processes) do not compare at the same instant (less than the interval)
 */
public record DriftPolicy(
    DriftMode mode,
    List<String> ignore,
    Map<String, List<String>> serviceIgnore,
    Duration interval,
    Duration jitter) {

  /** Every 3 minutes by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(3);

  /** Up to 20 s later by default. */
  public static final Duration DEFAULT_JITTER = Duration.ofSeconds(20);

  /** The extension key of {@code x-stackwright} that holds a stack's or a service's policy. */
  public static final String SECTION = "drift";

  /** No drift supervision. */
  public static final DriftPolicy OFF = builder(DriftMode.OFF).build();

  public DriftPolicy {
    Objects.requireNonNull(mode, "mode");
    ignore = List.copyOf(ignore);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    serviceIgnore.forEach((k, v) -> copy.put(Objects.requireNonNull(k), List.copyOf(v)));
    serviceIgnore = java.util.Collections.unmodifiableMap(copy);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(jitter, "jitter");
    List<String> problems = new ArrayList<>();
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      problems.add("interval must be at least 1s, was " + interval);
    }
    if (jitter.isNegative() || jitter.compareTo(interval) >= 0) {
      problems.add("jitter must be at least 0 and less than the interval, was " + jitter);
    }
    for (String rule : ignore) {
      if (rule.isBlank()) {
        problems.add("an ignore rule cannot be blank");
      }
    }
    serviceIgnore.forEach(
        (service, rules) -> {
          for (String rule : rules) {
            if (rule.isBlank()) {
              problems.add("an ignore rule of service " + service + " cannot be blank");
            }
          }
        });
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid drift policy: " + String.join("; ", problems));
    }
  }

  public static Builder builder(DriftMode mode) {
    return new Builder(mode);
  }

  /** Whether a difference in {@code path} of the resource {@code key} is ignored. */
  public boolean ignores(String key, String path) {
    if (matchesAny(ignore, path)) {
      return true;
    }
    List<String> own = serviceIgnore.get(key);
    return own != null && matchesAny(own, path);
  }

  private static boolean matchesAny(List<String> rules, String path) {
    for (String rule : rules) {
      if (matches(rule, path)) {
        return true;
      }
    }
    return false;
  }

  /** {@code rule} is {@code *}, the path itself, or a prefix ending where a segment ends. */
  static boolean matches(String rule, String path) {
    if (rule.equals("*") || rule.equals(path)) {
      return true;
    }
    return path.startsWith(rule)
        && (path.charAt(rule.length()) == '.' || path.charAt(rule.length()) == '[');
  }

  /**
   * The policy a stack declares in its {@code x-stackwright.drift} sections (the top level's and
   * its services'), or {@link #OFF} when it declares none. The loader has checked these sections
   * with the file's locations; a stack built in code with a malformed section gets every problem in
   * one {@link InvalidSpecException}.
   */
  public static DriftPolicy of(StackSpec stack) {
    List<SpecProblem> problems = new ArrayList<>();
    Map<?, ?> top = section(stack.extensions(), "x-stackwright." + SECTION, problems);
    Builder b = builder(DriftMode.OFF);
    boolean declared = top != null;
    if (top != null) {
      for (Object key : top.keySet()) {
        if (!List.of("mode", "ignore", "interval", "jitter").contains(String.valueOf(key))) {
          problems.add(
              SpecProblem.at(
                  "x-stackwright.drift." + key,
                  "unknown key; the keys are mode, ignore, interval, jitter"));
        }
      }
      Object mode = top.get("mode");
      if (mode != null) {
        try {
          b.mode = DriftMode.valueOf(String.valueOf(mode).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problems.add(
              SpecProblem.at(
                  "x-stackwright.drift.mode", "must be off, warn or repair, not '" + mode + "'"));
        }
      } else {
        b.mode = DriftMode.WARN;
      }
      rules(top.get("ignore"), "x-stackwright.drift.ignore", problems).forEach(b::ignore);
      Duration interval = duration(top.get("interval"), "x-stackwright.drift.interval", problems);
      if (interval != null) {
        b.interval(interval);
      }
      Duration jitter = duration(top.get("jitter"), "x-stackwright.drift.jitter", problems);
      if (jitter != null) {
        b.jitter(jitter);
      } else if (interval != null && interval.compareTo(DEFAULT_JITTER.multipliedBy(2)) < 0) {
        b.jitter(interval.dividedBy(10));
      }
    }
    for (Map.Entry<String, ServiceSpec> e : stack.services().entrySet()) {
      String path = "services." + e.getKey() + ".x-stackwright." + SECTION;
      Map<?, ?> own = section(e.getValue().extensions(), path, problems);
      if (own == null) {
        continue;
      }
      for (Object key : own.keySet()) {
        if (!"ignore".equals(String.valueOf(key))) {
          problems.add(SpecProblem.at(path + "." + key, "unknown key; the only key is ignore"));
        }
      }
      for (String rule : rules(own.get("ignore"), path + ".ignore", problems)) {
        b.ignore(e.getKey(), rule);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    if (!declared) {
      b.mode = DriftMode.OFF;
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException(
          List.of(SpecProblem.at("x-stackwright.drift", e.getMessage())));
    }
  }

  private static Map<?, ?> section(
      Map<String, Object> extensions, String path, List<SpecProblem> problems) {
    Object stackwright = extensions.get("x-stackwright");
    if (!(stackwright instanceof Map<?, ?> map)) {
      return null;
    }
    Object drift = map.get(SECTION);
    if (drift == null) {
      return null;
    }
    if (!(drift instanceof Map<?, ?> section)) {
      problems.add(SpecProblem.at(path, "must be a mapping"));
      return null;
    }
    return section;
  }

  private static List<String> rules(Object value, String path, List<SpecProblem> problems) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      problems.add(SpecProblem.at(path, "must be a list of field paths"));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object rule = list.get(i);
      if (!(rule instanceof String s) || s.isBlank()) {
        problems.add(SpecProblem.at(path + "[" + i + "]", "must be a field path"));
      } else {
        out.add(s);
      }
    }
    return out;
  }

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  /** A duration as Compose writes them: {@code 3m}, {@code 1m30s}, {@code 500ms}. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION_PART.matcher(text.trim());
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = m.end();
    }
    if (end == 0 || end != text.trim().length()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    return total;
  }

  private static Duration duration(Object value, String path, List<SpecProblem> problems) {
    if (value == null) {
      return null;
    }
    try {
      return parseDuration(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      problems.add(
          SpecProblem.at(path, "must be a duration such as 3m, 90s or 1m30s, not '" + value + "'"));
      return null;
    }
  }

  /** Builds a {@link DriftPolicy}. */
  public static final class Builder {
    private DriftMode mode;
    private final List<String> ignore = new ArrayList<>();
    private final Map<String, List<String>> serviceIgnore = new LinkedHashMap<>();
    private Duration interval = DEFAULT_INTERVAL;
    private Duration jitter = DEFAULT_JITTER;

    private Builder(DriftMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Ignores {@code path} (and what is under it) on every resource of the stack. */
    public Builder ignore(String path) {
      ignore.add(Objects.requireNonNull(path, "path"));
      return this;
    }

    /** Ignores {@code path} (and what is under it) on the service {@code service}. */
    public Builder ignore(String service, String path) {
      serviceIgnore
          .computeIfAbsent(Objects.requireNonNull(service, "service"), k -> new ArrayList<>())
          .add(Objects.requireNonNull(path, "path"));
      return this;
    }

    public Builder interval(Duration value) {
      this.interval = Objects.requireNonNull(value, "interval");
      return this;
    }

    public Builder jitter(Duration value) {
      this.jitter = Objects.requireNonNull(value, "jitter");
      return this;
    }

    /**
     * @throws IllegalArgumentException listing every problem
     */
    public DriftPolicy build() {
      return new DriftPolicy(mode, ignore, serviceIgnore, interval, jitter);
    }
  }
}
