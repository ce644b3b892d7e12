package io.stackwright.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.spi.Lease;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.docker.internal.ContentDigest;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.events.SharedEventStream;
import io.stackwright.docker.internal.lease.EngineLeases;
import io.stackwright.docker.internal.usage.UsageReader;
import io.stackwright.swarm.internal.Applier;
import io.stackwright.swarm.internal.ConfigLeases;
import io.stackwright.swarm.internal.GatewayAddresses;
import io.stackwright.swarm.internal.LiveStack;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import io.stackwright.swarm.internal.NodePlacement;
import io.stackwright.swarm.internal.Remover;
import io.stackwright.swarm.internal.ReplicaAccess;
import io.stackwright.swarm.internal.Resolution;
import io.stackwright.swarm.internal.StackNames;
import io.stackwright.swarm.internal.StatusReader;
import io.stackwright.swarm.internal.SwarmValidation;
import io.stackwright.swarm.internal.TaskWatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker Swarm through the Engine API: stacks deployed the way {@code docker stack deploy} deploys
 * them (same names and labels, so the CLI and Stackwright see each other's stacks), with a diff of
 * its own so that an unchanged stack is an empty plan and applying it writes nothing, and with the
 * engine's version index guarding every service update.
 *
 * <p>Created by {@link SwarmPlatformProvider} (platform name {@code swarm}) or directly.
 */
public final class SwarmPlatform implements Platform {
  private static final Logger LOG = LoggerFactory.getLogger(SwarmPlatform.class);

  /** The name a host application chooses this platform by. */
  public static final String NAME = "swarm";

  /**
   * The platform property that says how many versions back of each secret and config a deploy keeps
   * for a rollback, 1 or more (default {@value #DEFAULT_VERSIONS_KEPT}: the ones the services'
   * previous specs use, which Swarm's own rollback returns to; each more keeps one more earlier
   * version, the newest first).
   */
  public static final String VERSIONS_KEPT = "swarm.file-versions-kept";

  public static final int DEFAULT_VERSIONS_KEPT = 1;

  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.SECRETS,
          Capability.CONFIGS,
          Capability.OVERLAY_NETWORKS,
          Capability.NATIVE_ROLLING_UPDATE,
          Capability.GLOBAL_MODE,
          Capability.PLACEMENT,
          Capability.SELF_HEALING,
          Capability.OPTIMISTIC_CONCURRENCY,
          Capability.EXEC,
          Capability.REPLACE_REPLICA,
          Capability.RESOURCE_USAGE,
          Capability.LEASE,
          Capability.LOGS);
  private static final Set<Capability> LOCAL_CAPABILITIES =
      with(CAPABILITIES, Capability.REPLICA_ADDRESS);

  private final PlatformContext context;
  private final Engine engine;
  private final GatewayAddresses addresses;
  private final UsageReader usage;
  private final EngineLeases leases;
  private final ContentDigest digest;
  private final int versionsKept;
  private final NodePlacement placement;
  private final List<Subscription> watches = new CopyOnWriteArrayList<>();

  /** One engine event stream for the watches of every stack (opened with the first). */
  private final SharedEventStream events;

  private volatile String apiVersion;

  /** A platform for the engine the context names ({@code docker.host}, else DOCKER_HOST). */
  public SwarmPlatform(PlatformContext context) {
    this.context = context;
    this.engine = Engine.connect(context);
    this.addresses = new GatewayAddresses(engine);
    this.usage = new UsageReader(engine, context, addresses.available());
    this.leases = new ConfigLeases(engine, context.clock());
    this.digest = ContentDigest.from(context);
    this.versionsKept = versionsKept(context);
    this.placement =
        new NodePlacement(
            () -> engine.get("listing nodes", "/nodes"), context.clock(), NODES_READ_EVERY);
    this.events = TaskWatcher.events(engine, context.clock(), context.executor());
  }

  /** How long the node list a quota counts global services by is reused. */
  private static final Duration NODES_READ_EVERY = Duration.ofSeconds(10);

  /** The ready, active nodes the service's placement constraints allow. */
  @Override
  public int globalReplicas(ServiceSpec service) {
    return placement.count(service.placement());
  }

  private static int versionsKept(PlatformContext context) {
    String value = context.property(VERSIONS_KEPT).orElse(null);
    if (value == null) {
      return DEFAULT_VERSIONS_KEPT;
    }
    try {
      int kept = Integer.parseInt(value.trim());
      if (kept >= 1) {
        return kept;
      }
    } catch (NumberFormatException e) {
      // refused below, with the property's name
    }
    throw new IllegalArgumentException(
        "platform property " + VERSIONS_KEPT + " must be a whole number 1 or more, was " + value);
  }

  private static Set<Capability> with(Set<Capability> base, Capability extra) {
    EnumSet<Capability> all = EnumSet.copyOf(base);
    all.add(extra);
    return Collections.unmodifiableSet(all);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return addresses.available() ? LOCAL_CAPABILITIES : CAPABILITIES;
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack) {
    return SwarmValidation.problems(stack, apiVersion());
  }

  private String apiVersion() {
    String version = apiVersion;
    if (version == null) {
      try {
        version = engine.docker().versionCmd().exec().getApiVersion();
        apiVersion = version;
      } catch (RuntimeException e) {
        LOG.debug("Cannot read the engine's API version at {}", engine.host(), e);
      }
    }
    return version;
  }

  @Override
  public Plan plan(StackSpec stack) {
    Plan plan =
        Resolution.resolve(
                stack, LiveStack.read(engine, stack.name()), engine.mapper(), digest, versionsKept)
            .plan();
    LOG.debug("{}", plan);
    return plan;
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {
    if (plan.isEmpty()) {
      return;
    }
    List<SpecProblem> problems = validate(stack);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    new Applier(engine, context.clock(), digest, versionsKept).apply(stack, plan, events);
  }

  @Override
  public StackState status(String stack) {
    return new StatusReader(engine).status(stack);
  }

  /**
   * The task container's address on {@code docker_gwbridge}, for tasks on this engine's node when
   * the engine runs on this machine; see {@link GatewayAddresses}.
   */
  @Override
  public Optional<String> replicaAddress(String stack, TaskState replica) {
    return addresses.address(replica);
  }

  /** From cgroup files when the engine is local, else one-shot stats; see {@link UsageReader}. */
  @Override
  public ResourceUsage usage(String stack, TaskState replica) {
    return usage.read(replica);
  }

  /** A config object whose labels are updated with its version index; see {@link ConfigLeases}. */
  @Override
  public Lease lease(String stack, String name, String holder, Duration ttl) {
    return leases.acquire(stack, name, holder, ttl);
  }

  @Override
  public void releaseLease(String stack, String name, String holder) {
    leases.release(stack, name, holder);
  }

  @Override
  public List<String> stacks() {
    Set<String> names = new TreeSet<>();
    engine
        .call("listing services", () -> engine.docker().listServicesCmd().exec())
        .forEach(s -> addNamespace(names, s.getSpec() == null ? null : s.getSpec().getLabels()));
    LiveStack.networks(engine).forEach(n -> addNamespace(names, n.labels()));
    LiveStack.secrets(engine).forEach(f -> addNamespace(names, f.labels()));
    LiveStack.configs(engine).forEach(f -> addNamespace(names, f.labels()));
    return new ArrayList<>(names);
  }

  private static void addNamespace(Set<String> names, Map<String, String> labels) {
    if (labels != null && labels.get(StackNames.NAMESPACE) != null) {
      names.add(labels.get(StackNames.NAMESPACE));
    }
  }

  /**
   * Sets the replicas of a replicated service, guarded by the version index read just before: a
   * concurrent change gives a {@link io.stackwright.api.ConflictException}.
   */
  @Override
  public void scale(String stack, String service, int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas cannot be negative, was " + replicas);
    }
    String name = StackNames.scope(stack, service);
    LiveService live =
        LiveStack.read(engine, stack)
            .service(name)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "stack " + stack + " has no service '" + service + "' (" + name + ")"));
    JsonNode mode = live.spec().path("Mode");
    if (!mode.has("Replicated")) {
      throw new InvalidSpecException(
          SpecProblem.at(
              "services." + service + ".deploy.replicas",
              "only a replicated service can be scaled; "
                  + name
                  + " runs in mode "
                  + mode.fieldNames().next()));
    }
    ObjectNode spec = live.spec().deepCopy();
    ((ObjectNode) spec.path("Mode").path("Replicated")).put("Replicas", replicas);
    engine.post(
        "scaling service " + name + " to " + replicas + " (version " + live.version() + ")",
        "/services/" + live.id() + "/update?version=" + live.version(),
        spec);
  }

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {
    new Remover(engine, context.clock()).remove(stack, options, events);
  }

  @Override
  public Subscription watch(String stack, EventListener events) {
    TaskWatcher watcher =
        TaskWatcher.start(engine, this.events, stack, events, context.clock(), context.executor());
    watches.add(watcher);
    return () -> {
      watches.remove(watcher);
      watcher.close();
    };
  }

  /** The stack's merged service logs; see {@link io.stackwright.swarm.internal.SwarmLogs}. */
  @Override
  public Subscription logs(
      String stack,
      io.stackwright.api.LogOptions options,
      java.util.function.Consumer<io.stackwright.api.LogLine> lines) {
    return new io.stackwright.swarm.internal.SwarmLogs(engine).read(stack, options, lines);
  }

  /** Runs a command in a task's container; the task must run on this engine's node. */
  @Override
  public ExecResult exec(String stack, TaskState replica, List<String> command, Duration timeout) {
    return new ReplicaAccess(engine, context.clock()).exec(replica, command, timeout);
  }

  /** Removes a task's container so that Swarm schedules a new task; see {@link ReplicaAccess}. */
  @Override
  public void replace(String stack, TaskState replica, EventListener events) {
    new ReplicaAccess(engine, context.clock()).replace(stack, replica, events);
  }

  /** Stops every watch and closes the engine connections. */
  @Override
  public void close() {
    for (Subscription watch : watches) {
      watch.close();
    }
    watches.clear();
    events.close();
    engine.close();
  }
}
