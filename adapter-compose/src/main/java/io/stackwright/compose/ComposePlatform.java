package io.stackwright.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.RemoveOptions;
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
import io.stackwright.compose.internal.Applier;
import io.stackwright.compose.internal.ComposeNames;
import io.stackwright.compose.internal.ContainerLeases;
import io.stackwright.compose.internal.EventWatcher;
import io.stackwright.compose.internal.NetworkNames;
import io.stackwright.compose.internal.Observed;
import io.stackwright.compose.internal.Planner;
import io.stackwright.compose.internal.ProjectReader;
import io.stackwright.compose.internal.ProjectState;
import io.stackwright.compose.internal.Remover;
import io.stackwright.compose.internal.ReplicaAccess;
import io.stackwright.compose.internal.ReplicaControl;
import io.stackwright.compose.internal.SecretFiles;
import io.stackwright.compose.internal.Settings;
import io.stackwright.compose.internal.StatusReader;
import io.stackwright.compose.internal.Validation;
import io.stackwright.compose.internal.WriteLease;
import io.stackwright.docker.internal.ContainerAddresses;
import io.stackwright.docker.internal.ContentDigest;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.events.SharedEventStream;
import io.stackwright.docker.internal.usage.UsageReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Docker engine, with containers managed the way {@code docker compose} (v2) manages them: same
 * container, network and volume names, same {@code com.docker.compose.*} labels, so {@code docker
 * compose ls/ps} (and docker-compose 1.29) list Stackwright's projects, and Stackwright adopts the
 * projects compose created (their containers are found by label; as the config hashes cannot match
 * compose's, each container is recreated once).
 *
 * <p>What differs from Swarm:
 *
 * <ul>
 *   <li>Secrets and configs are files written to {@code <state dir>/<project>/} (mode 0700; the
 *       state dir is the {@value Settings#STATE_DIR} property, by default {@code
 *       ~/.stackwright/compose}, private to this user) and bind-mounted read-only at the spec's
 *       paths ({@code /run/secrets/<target>}, configs {@code /<target>}). So the engine must see
 *       this host's files: for a remote engine, {@link #validate} rejects stacks with secrets or
 *       configs unless {@value Settings#SHARED_STATE_DIR}{@code =true}.
 *   <li>Nothing restarts a crashed container but its restart policy: the plan reports exited, dead
 *       and missing containers, so plan + apply in a loop heals (no {@code SELF_HEALING}).
 *   <li>No rolling update of its own and no version index: changed containers are recreated when
 *       applied ({@code docker compose up}'s sequence), and two writers are not detected.
 * </ul>
 *
 * <p>{@link #scale} copies an existing container of the service (its inspected config with a new
 * number), so it works for any project on the engine, without the spec; a service with no container
 * left is scaled from the spec this instance last applied.
 *
 * <p>Created by {@link ComposePlatformProvider} (platform name {@code compose}) or directly.
 */
public final class ComposePlatform implements Platform {
  private static final Logger LOG = LoggerFactory.getLogger(ComposePlatform.class);

  /** The name a host application chooses this platform by. */
  public static final String NAME = "compose";

  /** Property: see {@link Settings#STATE_DIR}. */
  public static final String STATE_DIR = Settings.STATE_DIR;

  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.SECRETS,
          Capability.CONFIGS,
          Capability.EXEC,
          Capability.REPLACE_REPLICA,
          Capability.RESOURCE_USAGE,
          Capability.LEASE,
          Capability.REPLICA_CONTROL,
          Capability.LOGS);
  private static final Set<Capability> LOCAL_CAPABILITIES =
      EnumSet.of(
          Capability.SECRETS,
          Capability.CONFIGS,
          Capability.REPLICA_ADDRESS,
          Capability.EXEC,
          Capability.REPLACE_REPLICA,
          Capability.RESOURCE_USAGE,
          Capability.LEASE,
          Capability.REPLICA_CONTROL,
          Capability.LOGS);

  private final PlatformContext context;
  private final Settings settings;
  private final Engine engine;
  private final SecretFiles files;
  private final ProjectState state;
  private final ProjectReader reader;
  private final ContainerAddresses addresses;
  private final UsageReader usage;
  private final ContainerLeases leases;
  private final List<Subscription> watches = new CopyOnWriteArrayList<>();

  /** One engine event stream for the watches of every project (opened with the first). */
  private final SharedEventStream events;

  /** The projects' network names, which the watches match network events by. */
  private final NetworkNames networkNames = new NetworkNames();

  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<String, StackSpec> applied = new ConcurrentHashMap<>();
  private volatile String apiVersion;

  /** A platform for the engine the context names ({@code docker.host}, else DOCKER_HOST). */
  public ComposePlatform(PlatformContext context) {
    this.context = context;
    this.settings = Settings.from(context);
    this.engine = Engine.connect(context);
    this.files = new SecretFiles(settings.stateDir(), ContentDigest.from(context));
    this.state = new ProjectState(files);
    this.reader = new ProjectReader(engine, files);
    this.addresses = new ContainerAddresses(engine);
    this.usage = new UsageReader(engine, context, addresses.available());
    this.leases = new ContainerLeases(engine, context.clock());
    this.events = EventWatcher.events(engine, context.clock(), context.executor());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    // A remote engine's container addresses are on that machine's bridges.
    return addresses.available() ? LOCAL_CAPABILITIES : CAPABILITIES;
  }

  /** Where the secret and config files of {@code stack} are written. */
  public Path stateDirectory(String stack) {
    return files.projectDir(stack);
  }

  @Override
  public List<SpecProblem> validate(StackSpec stack) {
    boolean remote = Engine.isRemote(engine.host()) && !settings.sharedStateDir();
    return Validation.problems(stack, remote, engine.host());
  }

  @Override
  public Plan plan(StackSpec stack) {
    Plan plan = Planner.plan(stack, reader.read(stack), files.digest());
    networkNames.remember(stack);
    LOG.debug("{}", plan);
    return plan;
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {
    if (!stack.name().equals(plan.stack())) {
      throw new IllegalArgumentException(
          "the plan is for stack " + plan.stack() + ", not for " + stack.name());
    }
    if (plan.isEmpty()) {
      return;
    }
    List<SpecProblem> problems = validate(stack);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    ReentrantLock lock = lock(stack.name());
    try (WriteLease lease = writeLease(stack.name(), "deploying").lease()) {
      // Planned again under the lease: the caller's plan was read before the lease, and another
      // process may have written the project since (a stale plan applied here would interleave).
      Plan current = plan(stack);
      if (!current.isEmpty()) {
        applier().apply(stack, current, events);
      }
    } finally {
      applied.put(stack.name(), stack);
      lock.unlock();
    }
  }

  private ReentrantLock lock(String stack) {
    ReentrantLock lock = locks.computeIfAbsent(stack, k -> new ReentrantLock());
    lock.lock();
    return lock;
  }

  /**
   * Engine API 1.44 added {@code Healthcheck.StartInterval}; older engines reject nothing but
   * ignore it.
   */
  private boolean startIntervalSupported() {
    String version = apiVersion;
    if (version == null) {
      try {
        JsonNode v = engine.get("asking the engine for its version", "/version");
        version = v.path("ApiVersion").asText("1.41");
        apiVersion = version;
      } catch (RuntimeException e) {
        LOG.debug("Cannot read the engine's API version at {}", engine.host(), e);
        return false;
      }
    }
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major > 1 || (major == 1 && minor >= 44);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public StackState status(String stack) {
    return new StatusReader(reader, state, files).status(stack);
  }

  /** The container's bridge address, when the engine runs on this machine. */
  @Override
  public Optional<String> replicaAddress(String stack, TaskState replica) {
    return addresses.address(replica.containerId());
  }

  /** From cgroup files when the engine is local, else one-shot stats; see {@link UsageReader}. */
  @Override
  public ResourceUsage usage(String stack, TaskState replica) {
    return usage.read(replica);
  }

  /** Generations of created containers with unique names; see {@link ContainerLeases}. */
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
    return StatusReader.projects(engine);
  }

  @Override
  public void scale(String stack, String service, int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas cannot be negative, was " + replicas);
    }
    ReentrantLock lock = lock(stack);
    try (WriteLease lease = writeLease(stack, "scaling").lease()) {
      applier().scale(stack, service, replicas, applied.get(stack));
    } finally {
      lock.unlock();
    }
  }

  /** The project's write lease, across processes; see {@link WriteLease}. */
  private WriteLease.Taken writeLease(String stack, String what) {
    return WriteLease.acquire(leases, stack, what, settings.writeLeaseWait(), context.clock());
  }

  private Applier applier() {
    return new Applier(
        engine,
        reader,
        files,
        state,
        settings,
        context.clock(),
        context.executor(),
        startIntervalSupported());
  }

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {
    ReentrantLock lock = lock(stack);
    try {
      try (WriteLease lease = writeLease(stack, "removing").lease()) {
        new Remover(engine, reader, files, context.clock(), context.executor())
            .remove(stack, options, events);
      }
      leases.removeAll(stack); // the autoscaler's lease containers carry no project label
      applied.remove(stack);
      networkNames.forget(stack);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The project's merged container logs; see {@link io.stackwright.compose.internal.ComposeLogs}.
   */
  @Override
  public Subscription logs(
      String stack,
      io.stackwright.api.LogOptions options,
      java.util.function.Consumer<io.stackwright.api.LogLine> lines) {
    return new io.stackwright.compose.internal.ComposeLogs(engine).read(stack, options, lines);
  }

  /**
   * Follows the project's containers and networks. A network declared with a {@code name:} of its
   * own is matched by that name once known: from a plan of the stack here, or from the project's
   * networks the engine lists, read once in the background as the watch begins.
   */
  @Override
  public Subscription watch(String stack, EventListener events) {
    EventWatcher watcher =
        EventWatcher.start(this.events, stack, networkNames, events, context.clock());
    try {
      context.executor().execute(() -> learnNetworks(stack));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("The networks of {} are not listed: the executor is shut down", stack);
    }
    watches.add(watcher);
    return () -> {
      watches.remove(watcher);
      watcher.close();
    };
  }

  private void learnNetworks(String stack) {
    try {
      networkNames.remember(
          stack,
          reader.projectNetworks(stack).stream()
              .filter(n -> n.labels().containsKey(ComposeNames.NETWORK))
              .map(Observed.Network::name)
              .toList());
    } catch (RuntimeException e) {
      // the names come with the next plan; until then the prefix <project>_ still matches
      LOG.debug("Listing the networks of {} for its watch failed: {}", stack, e.toString());
    }
  }

  @Override
  public ExecResult exec(String stack, TaskState replica, List<String> command, Duration timeout) {
    return new ReplicaAccess(engine, reader, context.clock()).exec(replica, command, timeout);
  }

  @Override
  public void replace(String stack, TaskState replica, EventListener events) {
    ReentrantLock lock = lock(stack);
    try {
      new ReplicaAccess(engine, reader, context.clock()).replace(stack, replica, events);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public TaskState startReplica(StackSpec stack, String service, EventListener events) {
    ReentrantLock lock = lock(stack.name());
    try {
      return replicas().start(stack, service, events);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void removeReplica(String stack, TaskState replica, EventListener events) {
    ReentrantLock lock = lock(stack);
    try {
      replicas().remove(stack, replica, events);
    } finally {
      lock.unlock();
    }
  }

  private ReplicaControl replicas() {
    return new ReplicaControl(
        engine, reader, files, state, settings, context.clock(), startIntervalSupported());
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
