package io.stackwright.core.scaling;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.scaling.CustomMetric;
import io.stackwright.api.scaling.Metric;
import io.stackwright.api.scaling.PrometheusMetric;
import io.stackwright.api.scaling.ResourceMetric;
import io.stackwright.api.scaling.ScalingPolicy;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.MetricSource;
import io.stackwright.api.spi.MetricsRecorder;
import io.stackwright.api.spi.Platform;
import io.stackwright.core.scaling.internal.AutoscalerLoop;
import io.stackwright.core.scaling.internal.MetricCollector;
import io.stackwright.core.scaling.internal.ServiceAutoscaler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales the services of a stack that declare a {@link ScalingPolicy}, as the Kubernetes HPA v2
 * does (see the autoscaling section of {@code docs/x-stackwright.md}). {@link
 * io.stackwright.core.Orchestrator#autoscale} is the usual way in; this class is for hosts that
 * wire the parts themselves.
 *
 * <p><b>Manual scaling.</b> While autoscaling runs, it owns the replica count, as the HPA owns
 * {@code spec.replicas}: every round starts from the replicas the platform reports, so a manual
 * scale is taken as the new current count and then corrected, at once when it is outside {@code
 * minReplicas..maxReplicas}, otherwise by the metrics (a manual scale-up survives the scale-down
 * stabilization window only if the metrics agree). A service scaled to 0 is paused: the autoscaler
 * leaves it alone until someone scales it up again.
 */
public final class Autoscaler {
  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

  private final Platform platform;
  private final Clock clock;
  private final ExecutorService executor;
  private final EventListener events;
  private final MetricsRecorder recorder;
  private final Map<String, MetricSource> sources;
  private final String holder;
  private final boolean lease;
  private final java.time.Duration leaseTtl;
  private final java.util.concurrent.ScheduledExecutorService scheduler;

  private Autoscaler(Builder b) {
    this.platform = b.platform;
    this.clock = b.clock;
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.events = b.events;
    this.recorder = b.recorder;
    Map<String, MetricSource> all = new LinkedHashMap<>();
    if (b.discover) {
      ServiceLoader.load(MetricSource.class, b.classLoader).forEach(s -> all.put(s.name(), s));
    }
    b.sources.forEach(s -> all.put(s.name(), s));
    this.sources = Map.copyOf(all);
    this.holder = b.holder;
    this.lease = b.lease;
    this.leaseTtl = b.leaseTtl;
    this.scheduler = b.scheduler;
  }

  public static Builder builder(Platform platform) {
    return new Builder(platform);
  }

  /**
   * Starts autoscaling the services of {@code stack} that have a scaling policy, until the handle
   * is closed.
   *
   * @throws InvalidSpecException when a policy cannot work on this platform (a metric it cannot
   *     read, a memory target without a memory reservation or limit, an unknown metric source);
   *     nothing is started then
   */
  public Autoscaling start(StackSpec stack) {
    List<SpecProblem> problems = new ArrayList<>();
    List<ServiceSpec> scaled =
        stack.services().values().stream().filter(s -> s.scaling().isEnabled()).toList();
    for (ServiceSpec service : scaled) {
      problems.addAll(problems(service));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    if (scaled.isEmpty()) {
      LOG.info("No service of stack {} has an autoscaling policy", stack.name());
    }
    List<ServiceAutoscaler> services =
        scaled.stream()
            .map(
                s ->
                    new ServiceAutoscaler(
                        platform, stack.name(), s, sources, executor, clock, events, recorder))
            .toList();
    boolean useLease = lease && platform.capabilities().contains(Capability.LEASE);
    AutoscalerLoop loop =
        new AutoscalerLoop(
            platform,
            stack.name(),
            services,
            clock,
            events,
            useLease ? holder : null,
            leaseTtl,
            scheduler,
            executor);
    loop.start();
    return loop;
  }

  private List<SpecProblem> problems(ServiceSpec service) {
    List<SpecProblem> out = new ArrayList<>();
    String path = "services." + service.name() + ".x-stackwright.autoscaling";
    ScalingPolicy policy = service.scaling();
    if (service.mode() != ServiceSpec.Mode.REPLICATED) {
      out.add(
          SpecProblem.at(
              path, "only replicated services can be autoscaled, not " + service.mode()));
    }
    Stream.concat(
            policy.targets().stream().map(t -> t.metric()),
            policy.rules().stream().map(r -> r.metric()))
        .distinct()
        .forEach(m -> out.addAll(problems(service, path, m)));
    return out;
  }

  private List<SpecProblem> problems(ServiceSpec service, String path, Metric metric) {
    List<SpecProblem> out = new ArrayList<>();
    String where = path + ".metrics[" + metric.describe() + "]";
    if (metric instanceof ResourceMetric r) {
      if (!platform.capabilities().contains(Capability.RESOURCE_USAGE)) {
        out.add(SpecProblem.at(where, platform.name() + " cannot read CPU and memory usage"));
      }
      if (r.resource() == ResourceMetric.Resource.MEMORY
          && MetricCollector.memoryBase(service) == 0) {
        out.add(
            SpecProblem.at(
                where,
                "a memory target is a percentage of the memory reservation or limit; declare"
                    + " deploy.resources.reservations.memory or limits.memory"));
      }
    } else if (metric instanceof PrometheusMetric) {
      if (!platform.capabilities().contains(Capability.REPLICA_ADDRESS)) {
        out.add(
            SpecProblem.at(
                where,
                platform.name()
                    + " gives no replica addresses here, so /metrics cannot be scraped"));
      }
    } else if (metric instanceof CustomMetric c && !sources.containsKey(c.source())) {
      out.add(
          SpecProblem.at(
              where,
              "no metric source named '"
                  + c.source()
                  + "'; known: "
                  + (sources.isEmpty() ? "none" : String.join(", ", sources.keySet()))));
    }
    return out;
  }

  /** Configures an {@link Autoscaler}. */
  public static final class Builder {
    private final Platform platform;
    private Clock clock = Clock.systemUTC();
    private ExecutorService executor;
    private EventListener events = EventListener.none();
    private MetricsRecorder recorder = MetricsRecorder.NONE;
    private final List<MetricSource> sources = new ArrayList<>();
    private boolean discover = true;
    private ClassLoader classLoader = Autoscaler.class.getClassLoader();
    private String holder = "stackwright-" + UUID.randomUUID().toString().substring(0, 8);
    private boolean lease = true;
    private java.time.Duration leaseTtl = AutoscalerLoop.LEASE_TTL;

    private Builder(Platform platform) {
      this.platform = Objects.requireNonNull(platform, "platform");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private java.util.concurrent.ScheduledExecutorService scheduler;

    /**
     * Paces the rounds on this scheduler (the orchestrator's one) instead of a thread of the
     * autoscaler's own; rounds then run on the {@link #executor}. The caller keeps ownership.
     */
    public Builder scheduler(java.util.concurrent.ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Runs metric reads and scrapes (blocking calls) here; the caller keeps ownership. */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    public Builder listener(EventListener events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    public Builder metricsRecorder(MetricsRecorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /** A source of custom metrics; wins over a discovered one of the same name. */
    public Builder metricSource(MetricSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    public Builder metricSources(List<MetricSource> sources) {
      sources.forEach(this::metricSource);
      return this;
    }

    /** Whether to find metric sources through {@link ServiceLoader} (by default yes). */
    public Builder discoverMetricSources(boolean discover, ClassLoader classLoader) {
      this.discover = discover;
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** The name this instance holds the stack's lease under (by default a random one). */
    public Builder holder(String holder) {
      this.holder = Objects.requireNonNull(holder, "holder");
      return this;
    }

    /**
     * Whether to act only while holding the stack's autoscaling lease (by default yes, where the
     * platform declares {@link Capability#LEASE}), so that several instances never fight.
     */
    public Builder lease(boolean lease) {
      this.lease = lease;
      return this;
    }

    /** How long the lease lasts unless renewed: how soon another instance takes over a dead one. */
    public Builder leaseTtl(java.time.Duration ttl) {
      this.leaseTtl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    public Autoscaler build() {
      return new Autoscaler(this);
    }
  }
}
