package io.stackwright.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.stackwright.api.spi.MetricsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stackwright's metrics in the host application's Micrometer {@link MeterRegistry}: {@link #count}
 * increments a {@link Counter}, {@link #gauge} sets a {@link Gauge} (this recorder holds the last
 * value strongly, one holder per name and tags, so the registry never loses it to garbage
 * collection), {@link #timing} records into a {@link Timer}.
 *
 * <p>Tags are kept bounded: only the keys of {@link #DEFAULT_ALLOWED_TAGS} (plus those the host
 * allows with {@link Builder#allowTag}) reach the registry. Another key is dropped from the meter
 * (or, with {@link UnknownTags#REFUSE}, the whole event is refused), and a WARN says so once per
 * meter name and key. Keys that identify one job, container, task or replica can never be allowed:
 * every one of them would be a new time series.
 *
 * <pre>{@code
 * MeterRegistry registry = ...; // the host's (Spring Boot, Quarkus, a PrometheusMeterRegistry)
 * Orchestrator orchestrator = Orchestrator.builder()
 *     .metrics(MicrometerMetrics.of(registry))
 *     .build();
 * }</pre>
 *
 * <p>Thread safe; recording an event on a known series costs one map lookup and allocates only the
 * lookup key. Histograms and percentiles are the host's choice, through Micrometer's own {@code
 * MeterFilter}s on its registry.
 */
public final class MicrometerMetrics implements MetricsRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(MicrometerMetrics.class);

  /** The tag keys that reach the registry unless the host allows more. */
  public static final Set<String> DEFAULT_ALLOWED_TAGS =
      Set.of(
          "stack",
          "service",
          "kind",
          "outcome",
          "tenant",
          "operation",
          "phase",
          "strategy",
          "probe",
          "resource",
          "direction");

  /**
   * Keys that name one instance (a job, a container, a task, a replica, a request): never allowed.
   */
  static final Set<String> FORBIDDEN_TAGS =
      Set.of(
          "job",
          "job_id",
          "jobid",
          "id",
          "container",
          "container_id",
          "containerid",
          "task",
          "task_id",
          "taskid",
          "replica",
          "replica_id",
          "request",
          "request_id",
          "trace_id");

  /** What happens to an event that carries a tag key outside the allow-list. */
  public enum UnknownTags {
    /** Record the event without the unknown tag (the default). */
    DROP,
    /** Do not record the event at all. */
    REFUSE
  }

  private record MeterKey(String name, Map<String, String> tags) {}

  /** The last value of one gauge, strongly referenced here so the registry can read it. */
  private static final class GaugeValue {
    private volatile double value;

    double get() {
      return value;
    }
  }

  private final MeterRegistry registry;
  private final Set<String> allowed;
  private final UnknownTags unknownTags;
  // keyed by the registered tags: an event whose tags are all allowed finds its meter with one
  // lookup; one with dropped tags misses and is mapped again, so unknown values never pile up here
  private final ConcurrentMap<MeterKey, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<MeterKey, GaugeValue> gauges = new ConcurrentHashMap<>();
  private final ConcurrentMap<MeterKey, Timer> timers = new ConcurrentHashMap<>();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private MicrometerMetrics(Builder builder) {
    this.registry = builder.registry;
    this.allowed = Set.copyOf(builder.allowed);
    this.unknownTags = builder.unknownTags;
  }

  /** Records into {@code registry} with the default tag allow-list, dropping unknown tags. */
  public static MicrometerMetrics of(MeterRegistry registry) {
    return builder(registry).build();
  }

  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /** The registry this recorder writes to. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The tag keys this recorder lets through. */
  public Set<String> allowedTags() {
    return allowed;
  }

  @Override
  public void count(String name, Map<String, String> tags, double amount) {
    if (!(amount >= 0) || Double.isInfinite(amount)) {
      LOG.debug("Ignored a counter increment of {} for {}: counters only go up", amount, name);
      return;
    }
    Counter counter =
        meter(
            counters,
            name,
            tags,
            t ->
                Counter.builder(name)
                    .tags(t)
                    .description(MeterDescriptions.of(name))
                    .register(registry));
    if (counter != null) {
      counter.increment(amount);
    }
  }

  @Override
  public void gauge(String name, Map<String, String> tags, double value) {
    GaugeValue holder =
        meter(
            gauges,
            name,
            tags,
            t -> {
              GaugeValue created = new GaugeValue();
              Gauge.builder(name, created, GaugeValue::get)
                  .tags(t)
                  .description(MeterDescriptions.of(name))
                  .strongReference(true)
                  .register(registry);
              return created;
            });
    if (holder != null) {
      holder.value = value;
    }
  }

  @Override
  public void timing(String name, Map<String, String> tags, Duration duration) {
    Timer timer =
        meter(
            timers,
            name,
            tags,
            t ->
                Timer.builder(name)
                    .tags(t)
                    .description(MeterDescriptions.of(name))
                    .register(registry));
    if (timer != null) {
      timer.record(duration);
    }
  }

  /**
   * Removes every meter this recorder registered with {@code stack=<stack>} (a stack that was
   * removed), so its gauges stop reporting their last values.
   */
  public void forgetStack(String stack) {
    Objects.requireNonNull(stack, "stack");
    counters.keySet().removeIf(k -> stack.equals(k.tags().get("stack")));
    gauges.keySet().removeIf(k -> stack.equals(k.tags().get("stack")));
    timers.keySet().removeIf(k -> stack.equals(k.tags().get("stack")));
    List<Meter> gone = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      if (stack.equals(meter.getId().getTag("stack"))
          && meter.getId().getName().startsWith("stackwright.")) {
        gone.add(meter);
      }
    }
    gone.forEach(registry::remove);
  }

  /** The cached meter for these tags, created on first use; null when the event is refused. */
  private <M> M meter(
      ConcurrentMap<MeterKey, M> cache,
      String name,
      Map<String, String> tags,
      Function<Tags, M> create) {
    Objects.requireNonNull(name, "name");
    M meter = cache.get(new MeterKey(name, tags));
    if (meter != null) {
      return meter;
    }
    Map<String, String> kept = new TreeMap<>();
    List<String> rejected = new ArrayList<>();
    tags.forEach(
        (key, value) -> {
          if (allowed.contains(key)) {
            kept.put(key, value == null ? "unknown" : value);
          } else {
            rejected.add(key);
          }
        });
    for (String key : rejected) {
      if (warned.add(name + '\u0000' + key)) {
        String what =
            unknownTags == UnknownTags.DROP
                ? "the tag is dropped and the event recorded without it"
                : "such events are not recorded";
        String advice =
            FORBIDDEN_TAGS.contains(key.toLowerCase(Locale.ROOT))
                ? "Ids of jobs, containers, tasks and replicas belong in events and logs: each"
                    + " value would be a new time series."
                : "If its values are few, allow it with"
                    + " MicrometerMetrics.builder(registry).allowTag(\""
                    + key
                    + "\").";
        LOG.warn(
            "Metric {} carries tag '{}', which is not among the allowed tags [{}]: {}. {} (Said"
                + " once per metric and tag.)",
            name,
            key,
            String.join(", ", new TreeSet<>(allowed)),
            what,
            advice);
      }
    }
    if (!rejected.isEmpty() && unknownTags == UnknownTags.REFUSE) {
      return null;
    }
    Tags registered = Tags.empty();
    for (Map.Entry<String, String> tag : kept.entrySet()) {
      registered = registered.and(Tag.of(tag.getKey(), tag.getValue()));
    }
    Tags finalTags = registered;
    try {
      return cache.computeIfAbsent(
          new MeterKey(name, Map.copyOf(kept)), k -> create.apply(finalTags));
    } catch (RuntimeException e) {
      // a registry or a host's MeterFilter that refuses a meter must not fail the orchestrator
      if (warned.add(name + "\u0000registration")) {
        LOG.warn(
            "The registry refused meter {} {}: {} (said once per meter)", name, kept, e.toString());
      }
      return null;
    }
  }

  /** Configures a {@link MicrometerMetrics}. */
  public static final class Builder {
    private final MeterRegistry registry;
    private final Set<String> allowed = new LinkedHashSet<>(DEFAULT_ALLOWED_TAGS);
    private UnknownTags unknownTags = UnknownTags.DROP;

    private Builder(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Lets one more tag key through, for a host whose own recorders use it; keys that name one job,
     * container, task or replica are refused with an {@link IllegalArgumentException}.
     */
    public Builder allowTag(String key) {
      Objects.requireNonNull(key, "key");
      if (key.isBlank()) {
        throw new IllegalArgumentException("a tag key must not be blank");
      }
      if (FORBIDDEN_TAGS.contains(key.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "tag '"
                + key
                + "' names one instance (a job, container, task or replica): each value would be a"
                + " new time series; put such ids in events and logs, not in metric tags");
      }
      allowed.add(key);
      return this;
    }

    /** Drop unknown tags (the default) or refuse the whole event. */
    public Builder unknownTags(UnknownTags unknownTags) {
      this.unknownTags = Objects.requireNonNull(unknownTags, "unknownTags");
      return this;
    }

    public MicrometerMetrics build() {
      return new MicrometerMetrics(this);
    }
  }
}
