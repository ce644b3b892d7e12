package io.stackwright.testing;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.ConflictException;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UnsupportedFeatureException;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.spi.Lease;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.HealthStatus;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link Platform} that keeps its stacks in memory and passes the platform compatibility kit:
 * plan compares with what was applied, apply writes exactly the plan (and refuses a stale one),
 * replicas start, fail, turn unhealthy and are replaced as on a real platform, and time is the
 * injected {@link Clock}'s, so a test drives start periods, restart delays and lease expiry with a
 * {@link ManualClock} instead of sleeping.
 *
 * <p>What it does not do: run containers. No replica has an address or runs commands unless the
 * test says how ({@link Builder#replicaAddress}, {@link Builder#exec}); nothing is reachable over
 * the network. Use it to test what a host application or a core feature decides; use a real engine
 * to test what runs.
 *
 * <p>Hooks for tests: {@link #crash}, {@link #setHealth}, {@link #failImage}, {@link
 * #unhealthyImage}, {@link #degradeImage}; and what it was asked to do: {@link #writes()}, {@link
 * #appliedPlans()}, {@link #applied}.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * InMemoryPlatform platform = InMemoryPlatform.builder().clock(clock).build();
 * platform.apply(stack, platform.plan(stack), events::add);
 * platform.crash("shop", "web");          // a replica of web exits with code 1
 * clock.advance(Duration.ofSeconds(5));    // the platform's restart delay passes
 * }</pre>
 *
 * Thread-safe. Events are delivered outside the platform's lock, in the order they happened.
 */
public final class InMemoryPlatform implements Platform {
  /** The label every service carries, as {@code docker stack} sets it. */
  public static final String STACK_LABEL = "com.docker.stack.namespace";

  /** What it declares unless the builder says otherwise. */
  public static final Set<Capability> DEFAULT_CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.SECRETS,
              Capability.CONFIGS,
              Capability.GLOBAL_MODE,
              Capability.PLACEMENT,
              Capability.SELF_HEALING,
              Capability.OPTIMISTIC_CONCURRENCY,
              Capability.REPLACE_REPLICA,
              Capability.LEASE,
              Capability.REPLICA_CONTROL));

  /** Replicas that ended are kept per service, newest first, up to this many (as Swarm does). */
  static final int TERMINAL_HISTORY = 5;

  /** Runs a command in a replica for {@link Platform#exec}. */
  @FunctionalInterface
  public interface ExecHandler {
    ExecResult exec(String stack, TaskState replica, List<String> command);
  }

  /** One write the platform was asked for, as {@link #writes()} lists them. */
  public sealed interface Write
      permits Applied, Scaled, Removed, ReplicaStarted, ReplicaRemoved, ReplicaReplaced {
    String stack();
  }

  /** A non-empty plan was applied. */
  public record Applied(String stack, Plan plan) implements Write {}

  public record Scaled(String stack, String service, int replicas) implements Write {}

  /** The stack was removed (also when nothing of it existed). */
  public record Removed(String stack, boolean volumes) implements Write {}

  public record ReplicaStarted(String stack, String service, String replica) implements Write {}

  public record ReplicaRemoved(String stack, String service, String replica) implements Write {}

  public record ReplicaReplaced(String stack, String service, String replica, String replacement)
      implements Write {}

  /** Reads a replica's counters for {@link Platform#usage}. */
  @FunctionalInterface
  public interface UsageHandler {
    ResourceUsage usage(String stack, TaskState replica);
  }

  private final String name;
  private final Clock clock;
  private final Set<Capability> capabilities;
  private final Duration startupTime;
  private final Duration restartDelay;
  private final Function<TaskState, String> addresses;
  private final ExecHandler exec;
  private final UsageHandler usage;
  private final Set<String> externalNetworks;
  private final Set<String> externalVolumes;
  private final Set<String> externalSecrets;
  private final Set<String> externalConfigs;

  private final Map<String, StackRecord> stacks = new TreeMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private final Set<String> failingImages = new HashSet<>();
  private final Set<String> unhealthyImages = new HashSet<>();
  private final Map<String, Duration> degradingImages = new HashMap<>();
  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private final Map<String, List<EventListener>> watchers = new HashMap<>();
  private final ConcurrentLinkedQueue<Runnable> outbox = new ConcurrentLinkedQueue<>();
  private final Object delivery = new Object();
  private long ids;

  private InMemoryPlatform(Builder builder) {
    this.name = builder.name;
    this.clock = builder.clock;
    this.startupTime = builder.startupTime;
    this.restartDelay = builder.restartDelay;
    this.addresses = builder.addresses;
    this.exec = builder.exec;
    this.usage = builder.usage;
    EnumSet<Capability> declared = EnumSet.noneOf(Capability.class);
    declared.addAll(builder.capabilities);
    if (addresses != null) {
      declared.add(Capability.REPLICA_ADDRESS);
    }
    if (exec != null) {
      declared.add(Capability.EXEC);
    }
    if (usage != null) {
      declared.add(Capability.RESOURCE_USAGE);
    }
    this.capabilities = Set.copyOf(declared);
    this.externalNetworks = Set.copyOf(builder.externalNetworks);
    this.externalVolumes = Set.copyOf(builder.externalVolumes);
    this.externalSecrets = Set.copyOf(builder.externalSecrets);
    this.externalConfigs = Set.copyOf(builder.externalConfigs);
  }

  /** A platform named {@code memory} with the {@link #DEFAULT_CAPABILITIES} and the UTC clock. */
  /** The operations a test can make fail ({@link #failOn}). */
  public enum Step {
    VALIDATE,
    PLAN,
    APPLY,
    STATUS,
    REMOVE,
    REPLACE
  }

  private final Map<Step, RuntimeException> failures =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Makes every call of {@code step} throw {@code failure} until {@link #clearFailures()}: for
   * tests of what callers do when the engine fails midway.
   */
  public void failOn(Step step, RuntimeException failure) {
    failures.put(Objects.requireNonNull(step, "step"), Objects.requireNonNull(failure, "failure"));
  }

  public void clearFailures() {
    failures.clear();
  }

  private void maybeFail(Step step) {
    RuntimeException failure = failures.get(step);
    if (failure != null) {
      throw failure;
    }
  }

  public static InMemoryPlatform create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  public Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- the contract

  @Override
  public List<SpecProblem> validate(StackSpec stack) {
    maybeFail(Step.VALIDATE);
    List<SpecProblem> problems = new ArrayList<>();
    if (!stack.secrets().isEmpty() && !capabilities.contains(Capability.SECRETS)) {
      problems.add(SpecProblem.at("secrets", name + " has no secrets (SECRETS not declared)"));
    }
    if (!stack.configs().isEmpty() && !capabilities.contains(Capability.CONFIGS)) {
      problems.add(SpecProblem.at("configs", name + " has no configs (CONFIGS not declared)"));
    }
    for (ServiceSpec service : stack.services().values()) {
      String at = "services." + service.name();
      if (service.mode() == ServiceSpec.Mode.GLOBAL
          && !capabilities.contains(Capability.GLOBAL_MODE)) {
        problems.add(
            SpecProblem.at(at + ".deploy.mode", name + " has no global mode (GLOBAL_MODE)"));
      }
      if (service.mode() == ServiceSpec.Mode.REPLICATED_JOB
          || service.mode() == ServiceSpec.Mode.GLOBAL_JOB) {
        problems.add(SpecProblem.at(at + ".deploy.mode", name + " does not run jobs"));
      }
      if (!service.placement().equals(io.stackwright.api.Placement.ANYWHERE)
          && !capabilities.contains(Capability.PLACEMENT)) {
        problems.add(
            SpecProblem.at(at + ".deploy.placement", name + " has no placement (PLACEMENT)"));
      }
    }
    return problems;
  }

  @Override
  public Plan plan(StackSpec stack) {
    Objects.requireNonNull(stack, "stack");
    maybeFail(Step.PLAN);
    try {
      synchronized (this) {
        settle();
        checkRunnable(stack);
        return diff(stack);
      }
    } finally {
      deliver();
    }
  }

  @Override
  public void apply(StackSpec stack, Plan plan, EventListener events) {
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(events, "events");
    if (!plan.stack().equals(stack.name())) {
      throw new IllegalArgumentException(
          "the plan is for stack " + plan.stack() + ", not for " + stack.name());
    }
    if (plan.isEmpty()) {
      return; // an empty plan writes nothing, not even a read-modify-write of the record
    }
    maybeFail(Step.APPLY);
    try {
      synchronized (this) {
        settle();
        checkRunnable(stack);
        checkFresh(stack, plan);
        StackRecord record = stacks.computeIfAbsent(stack.name(), StackRecord::new);
        for (Change change : plan.changes()) {
          write(record, stack, change, events);
        }
        record.spec = stack;
        writes.add(new Applied(stack.name(), plan));
        if (record.isEmpty()) {
          stacks.remove(stack.name());
        }
      }
    } finally {
      deliver();
    }
  }

  @Override
  public StackState status(String stack) {
    maybeFail(Step.STATUS);
    try {
      synchronized (this) {
        settle();
        StackRecord record = stacks.get(stack);
        if (record == null) {
          return new StackState(stack, List.of(), List.of(), List.of(), List.of(), List.of());
        }
        List<ServiceState> services = new ArrayList<>();
        record.services.values().forEach(s -> services.add(s.state(stack)));
        return new StackState(
            stack,
            services,
            engineNames(stack, record.networks),
            engineNames(stack, record.secrets.keySet()),
            engineNames(stack, record.configs.keySet()),
            engineNames(stack, record.volumes));
      }
    } finally {
      deliver();
    }
  }

  @Override
  public synchronized List<String> stacks() {
    return List.copyOf(stacks.keySet());
  }

  @Override
  public void scale(String stack, String service, int replicas) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas cannot be negative: " + replicas);
    }
    try {
      synchronized (this) {
        settle();
        ServiceRecord record = service(stack, service);
        if (record.spec.mode() == ServiceSpec.Mode.GLOBAL) {
          throw new UnsupportedFeatureException(
              "service " + service + " of stack " + stack + " is global: it runs one per node");
        }
        record.spec = record.spec.toBuilder().replicas(replicas).build();
        record.version++;
        converge(stack, record);
        writes.add(new Scaled(stack, service, replicas));
      }
    } finally {
      deliver();
    }
  }

  @Override
  public void remove(String stack, RemoveOptions options, EventListener events) {
    maybeFail(Step.REMOVE);
    Objects.requireNonNull(options, "options");
    try {
      synchronized (this) {
        writes.add(new Removed(stack, options.removeVolumes()));
        StackRecord record = stacks.get(stack);
        if (record == null) {
          return;
        }
        for (ServiceRecord service : List.copyOf(record.services.values())) {
          for (Replica replica : service.replicas) {
            if (!replica.status.isTerminal()) {
              replica.stop(TaskStatus.SHUTDOWN, "removed with the stack", now());
              taskChanged(stack, replica);
            }
          }
          record.services.remove(service.spec.name());
          emit(
              events,
              new EventDetail.ResourceDeleted(
                  EventDetail.Resource.SERVICE, service.spec.name(), null),
              stack,
              service.spec.name(),
              "service " + service.spec.name() + " removed");
        }
        deleteAll(stack, record.secrets.keySet(), "secret", events);
        deleteAll(stack, record.configs.keySet(), "config", events);
        deleteAll(stack, record.networks, "network", events);
        if (options.removeVolumes()) {
          deleteAll(stack, record.volumes, "volume", events);
        }
        if (record.isEmpty()) {
          stacks.remove(stack);
        }
        // STACK_REMOVED is the controller's (once per remove), as with the real platforms
      }
    } finally {
      deliver();
    }
  }

  @Override
  public synchronized Subscription watch(String stack, EventListener events) {
    Objects.requireNonNull(events, "events");
    watchers.computeIfAbsent(stack, s -> new CopyOnWriteArrayList<>()).add(events);
    return () -> {
      synchronized (InMemoryPlatform.this) {
        List<EventListener> list = watchers.get(stack);
        if (list != null) {
          list.remove(events);
        }
      }
    };
  }

  @Override
  public Optional<String> replicaAddress(String stack, TaskState replica) {
    require(Capability.REPLICA_ADDRESS, "tell replica addresses");
    synchronized (this) {
      Optional<Replica> found = find(stack, replica.id());
      if (found.isEmpty() || found.get().status != TaskStatus.RUNNING) {
        return Optional.empty();
      }
    }
    return Optional.ofNullable(addresses.apply(replica));
  }

  @Override
  public ExecResult exec(String stack, TaskState replica, List<String> command, Duration timeout) {
    require(Capability.EXEC, "run commands in replicas");
    synchronized (this) {
      Replica found =
          find(stack, replica.id())
              .orElseThrow(() -> new NotFoundException(missingReplica(stack, replica)));
      if (found.status != TaskStatus.RUNNING) {
        throw new NotFoundException(
            "replica " + replica.id() + " of stack " + stack + " is not running");
      }
    }
    return exec.exec(stack, replica, List.copyOf(command));
  }

  @Override
  public ResourceUsage usage(String stack, TaskState replica) {
    require(Capability.RESOURCE_USAGE, "read resource usage");
    synchronized (this) {
      find(stack, replica.id())
          .orElseThrow(() -> new NotFoundException(missingReplica(stack, replica)));
    }
    return usage.usage(stack, replica);
  }

  @Override
  public void replace(String stack, TaskState replica, EventListener events) {
    maybeFail(Step.REPLACE);
    require(Capability.REPLACE_REPLICA, "replace single replicas");
    try {
      synchronized (this) {
        settle();
        ServiceRecord service = service(stack, replica.service());
        Replica old =
            service
                .find(replica.id())
                .orElseThrow(() -> new NotFoundException(missingReplica(stack, replica)));
        old.stop(TaskStatus.SHUTDOWN, "replaced", now());
        taskChanged(stack, old);
        Replica fresh = start(stack, service, service.template(), old.slot);
        writes.add(new ReplicaReplaced(stack, service.spec.name(), old.id, fresh.id));
        emit(
            events,
            new EventDetail.ReplicaReplaced(
                service.spec.name(), old.id, fresh.id, old.slot, "replacement requested"),
            stack,
            service.spec.name(),
            "replica " + old.id + " was replaced by " + fresh.id);
        service.trim();
      }
    } finally {
      deliver();
    }
  }

  @Override
  public synchronized Lease lease(String stack, String lease, String holder, Duration ttl) {
    require(Capability.LEASE, "keep leases");
    Objects.requireNonNull(holder, "holder");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a lease must last a while, not " + ttl);
    }
    String key = stack + "/" + lease;
    Instant now = now();
    Lease current = leases.get(key);
    if (current != null && !current.holder().equals(holder) && current.expiresAt().isAfter(now)) {
      return current;
    }
    Lease taken = new Lease(holder, now.plus(ttl));
    leases.put(key, taken);
    return taken;
  }

  @Override
  public synchronized void releaseLease(String stack, String lease, String holder) {
    require(Capability.LEASE, "keep leases");
    String key = stack + "/" + lease;
    Lease current = leases.get(key);
    if (current != null && current.holder().equals(holder)) {
      leases.remove(key);
    }
  }

  @Override
  public TaskState startReplica(StackSpec stack, String service, EventListener events) {
    require(Capability.REPLICA_CONTROL, "start single replicas");
    ServiceSpec declared = stack.service(service);
    try {
      synchronized (this) {
        settle();
        ServiceRecord record = service(stack.name(), service);
        int slot = record.replicas.stream().mapToInt(r -> r.slot).max().orElse(0) + 1;
        Replica fresh = start(stack.name(), record, template(declared), slot);
        writes.add(new ReplicaStarted(stack.name(), service, fresh.id));
        emit(
            events,
            new EventDetail.ResourceCreated(EventDetail.Resource.REPLICA, fresh.id, fresh.id),
            stack.name(),
            service,
            "replica " + fresh.id + " of " + declared.image() + " started");
        return fresh.state(service, record);
      }
    } finally {
      deliver();
    }
  }

  @Override
  public void removeReplica(String stack, TaskState replica, EventListener events) {
    require(Capability.REPLICA_CONTROL, "remove single replicas");
    try {
      synchronized (this) {
        ServiceRecord service = service(stack, replica.service());
        Replica old =
            service
                .find(replica.id())
                .orElseThrow(() -> new NotFoundException(missingReplica(stack, replica)));
        old.stop(TaskStatus.SHUTDOWN, "removed", now());
        taskChanged(stack, old);
        service.replicas.remove(old);
        writes.add(new ReplicaRemoved(stack, replica.service(), old.id));
        emit(
            events,
            new EventDetail.ResourceDeleted(EventDetail.Resource.REPLICA, old.id, old.id),
            stack,
            replica.service(),
            "replica " + old.id + " removed");
      }
    } finally {
      deliver();
    }
  }

  // ---------------------------------------------------------------- hooks for tests

  /**
   * The first running replica of {@code service} exits with code 1, as a crashing process would.
   * With {@link Capability#SELF_HEALING} the platform starts a replacement once the {@linkplain
   * Builder#restartDelay restart delay} has passed on the clock; without, the replica stays failed
   * until something replaces it.
   *
   * @return the crashed replica
   */
  public TaskState crash(String stack, String service) {
    try {
      synchronized (this) {
        settle();
        ServiceRecord record = service(stack, service);
        Replica victim =
            record.replicas.stream()
                .filter(r -> r.status == TaskStatus.RUNNING)
                .findFirst()
                .orElseThrow(
                    () ->
                        new NotFoundException(
                            "service "
                                + service
                                + " of stack "
                                + stack
                                + " has no running replica"));
        fail(stack, victim, "exit code 1");
        return victim.state(service, record);
      }
    } finally {
      deliver();
    }
  }

  /** The replica exits with code 1 (see {@link #crash(String, String)}). */
  public void crash(String stack, TaskState replica) {
    try {
      synchronized (this) {
        settle();
        Replica victim =
            find(stack, replica.id())
                .orElseThrow(() -> new NotFoundException(missingReplica(stack, replica)));
        fail(stack, victim, "exit code 1");
      }
    } finally {
      deliver();
    }
  }

  /** The replica's container healthcheck now reports {@code health}. */
  public void setHealth(String stack, TaskState replica, HealthStatus health) {
    Objects.requireNonNull(health, "health");
    try {
      synchronized (this) {
        settle();
        Replica target =
            find(stack, replica.id())
                .orElseThrow(() -> new NotFoundException(missingReplica(stack, replica)));
        if (target.health != health) {
          target.health = health;
          target.healthyAt = null;
          target.updatedAt = now();
          taskChanged(stack, target);
        }
      }
    } finally {
      deliver();
    }
  }

  /** Every running replica of {@code service} now reports {@code health}. */
  public void setHealth(String stack, String service, HealthStatus health) {
    List<TaskState> running;
    synchronized (this) {
      ServiceRecord record = service(stack, service);
      running =
          record.replicas.stream()
              .filter(r -> r.status == TaskStatus.RUNNING)
              .map(r -> r.state(service, record))
              .toList();
    }
    running.forEach(r -> setHealth(stack, r, health));
  }

  /** Replicas of {@code image} started from now on exit with code 1 at once. */
  public synchronized void failImage(String image) {
    failingImages.add(Objects.requireNonNull(image, "image"));
  }

  /**
   * Replicas of {@code image} started from now on run, but their healthcheck reports unhealthy once
   * their start period is over (a version that starts but does not work).
   */
  public synchronized void unhealthyImage(String image) {
    unhealthyImages.add(Objects.requireNonNull(image, "image"));
  }

  /**
   * Replicas of {@code image} started from now on run and are ready, and their healthcheck reports
   * unhealthy once {@code after} has passed on the clock since they started (a version that works
   * at first and then degrades: what a rollout's verification window is for). Give the service a
   * healthcheck: without one, a real engine has no health to report.
   */
  public synchronized void degradeImage(String image, Duration after) {
    if (after.isNegative()) {
      throw new IllegalArgumentException("cannot degrade before starting: " + after);
    }
    degradingImages.put(Objects.requireNonNull(image, "image"), after);
  }

  /** Forgets {@link #failImage}, {@link #unhealthyImage} and {@link #degradeImage} of it. */
  public synchronized void healImage(String image) {
    failingImages.remove(image);
    unhealthyImages.remove(image);
    degradingImages.remove(image);
  }

  /** Every non-empty plan applied, in order. */
  public List<Plan> appliedPlans() {
    return writes(Applied.class).stream().map(Applied::plan).toList();
  }

  /**
   * Every write the platform was asked for and made, in order (failed attempts, such as a stale
   * plan, are not writes). Self-healing replacements are the platform's own and not listed.
   */
  public List<Write> writes() {
    return List.copyOf(writes);
  }

  /** The writes of one kind: {@code writes(Scaled.class)}. */
  public <T extends Write> List<T> writes(Class<T> kind) {
    return writes.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The stack as last applied (with the replicas last scaled to), if it exists. */
  public synchronized Optional<StackSpec> applied(String stack) {
    StackRecord record = stacks.get(stack);
    if (record == null || record.spec == null) {
      return Optional.empty();
    }
    StackSpec.Builder spec = record.spec.toBuilder();
    record.services.values().forEach(s -> spec.service(s.spec));
    return Optional.of(spec.build());
  }

  // ---------------------------------------------------------------- planning

  private void checkRunnable(StackSpec stack) {
    List<SpecProblem> problems = new ArrayList<>(validate(stack));
    stack
        .networks()
        .values()
        .forEach(
            n -> {
              if (n.external() && !externalNetworks.contains(externalName(n.name(), n.key()))) {
                problems.add(
                    SpecProblem.at(
                        "networks." + n.key(),
                        "external network "
                            + externalName(n.name(), n.key())
                            + " does not exist on "
                            + name));
              }
            });
    stack
        .volumes()
        .values()
        .forEach(
            v -> {
              if (v.external() && !externalVolumes.contains(externalName(v.name(), v.key()))) {
                problems.add(
                    SpecProblem.at(
                        "volumes." + v.key(),
                        "external volume "
                            + externalName(v.name(), v.key())
                            + " does not exist on "
                            + name));
              }
            });
    stack
        .secrets()
        .values()
        .forEach(
            s -> {
              if (s.external() && !externalSecrets.contains(externalName(s.name(), s.key()))) {
                problems.add(
                    SpecProblem.at(
                        "secrets." + s.key(),
                        "external secret "
                            + externalName(s.name(), s.key())
                            + " does not exist on "
                            + name));
              }
            });
    stack
        .configs()
        .values()
        .forEach(
            c -> {
              if (c.external() && !externalConfigs.contains(externalName(c.name(), c.key()))) {
                problems.add(
                    SpecProblem.at(
                        "configs." + c.key(),
                        "external config "
                            + externalName(c.name(), c.key())
                            + " does not exist on "
                            + name));
              }
            });
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
  }

  private static String externalName(String name, String key) {
    return name == null ? key : name;
  }

  /** Networks, volumes, secrets and configs first, then services; deletes of services last. */
  private Plan diff(StackSpec stack) {
    StackRecord record = stacks.get(stack.name());
    List<Change> changes = new ArrayList<>();
    Set<String> haveNetworks = record == null ? Set.of() : record.networks;
    Set<String> wantNetworks = ownNetworks(stack);
    wantNetworks.stream()
        .filter(n -> !haveNetworks.contains(n))
        .forEach(n -> changes.add(new Change.Create(ResourceKind.NETWORK, n)));
    Set<String> haveVolumes = record == null ? Set.of() : record.volumes;
    stack.volumes().values().stream()
        .filter(v -> !v.external() && !haveVolumes.contains(v.key()))
        .forEach(v -> changes.add(new Change.Create(ResourceKind.VOLUME, v.key())));
    Map<String, SecretSpec> haveSecrets = record == null ? Map.of() : record.secrets;
    for (SecretSpec secret : stack.secrets().values()) {
      if (secret.external()) {
        continue;
      }
      SecretSpec had = haveSecrets.get(secret.key());
      if (had == null) {
        changes.add(new Change.Create(ResourceKind.SECRET, secret.key()));
      } else if (!Objects.equals(had.content(), secret.content())) {
        changes.add(
            new Change.Update(
                ResourceKind.SECRET,
                secret.key(),
                List.of(new FieldChange("content", FieldChange.REDACTED, FieldChange.REDACTED)),
                0));
      }
    }
    Map<String, ConfigSpec> haveConfigs = record == null ? Map.of() : record.configs;
    for (ConfigSpec config : stack.configs().values()) {
      if (config.external()) {
        continue;
      }
      ConfigSpec had = haveConfigs.get(config.key());
      if (had == null) {
        changes.add(new Change.Create(ResourceKind.CONFIG, config.key()));
      } else if (!Objects.equals(had.content(), config.content())) {
        changes.add(
            new Change.Update(
                ResourceKind.CONFIG,
                config.key(),
                List.of(new FieldChange("content", String.valueOf(had.content()), "(changed)")),
                0));
      }
    }
    Map<String, ServiceRecord> haveServices = record == null ? Map.of() : record.services;
    for (ServiceSpec service : stack.services().values()) {
      ServiceRecord had = haveServices.get(service.name());
      if (had == null) {
        changes.add(new Change.Create(ResourceKind.SERVICE, service.name()));
      } else {
        List<FieldChange> fields = fieldChanges(had.spec, service);
        if (!fields.isEmpty()) {
          changes.add(new Change.Update(ResourceKind.SERVICE, service.name(), fields, had.version));
        }
      }
    }
    haveServices.keySet().stream()
        .filter(s -> !stack.services().containsKey(s))
        .forEach(s -> changes.add(new Change.Delete(ResourceKind.SERVICE, s)));
    haveSecrets.keySet().stream()
        .filter(s -> !stack.secrets().containsKey(s) || stack.secrets().get(s).external())
        .forEach(s -> changes.add(new Change.Delete(ResourceKind.SECRET, s)));
    haveConfigs.keySet().stream()
        .filter(c -> !stack.configs().containsKey(c) || stack.configs().get(c).external())
        .forEach(c -> changes.add(new Change.Delete(ResourceKind.CONFIG, c)));
    haveNetworks.stream()
        .filter(n -> !wantNetworks.contains(n))
        .forEach(n -> changes.add(new Change.Delete(ResourceKind.NETWORK, n)));
    // Volumes hold data: like docker stack deploy, a volume no longer declared is kept.
    return new Plan(stack.name(), changes);
  }

  /** The networks the stack owns: declared, not external, and {@code default} where used. */
  private static Set<String> ownNetworks(StackSpec stack) {
    Set<String> own = new TreeSet<>();
    for (ServiceSpec service : stack.services().values()) {
      for (ServiceNetwork network : StackSpec.effectiveNetworks(service)) {
        NetworkSpec declared = stack.networks().get(network.network());
        if (declared == null || !declared.external()) {
          own.add(network.network());
        }
      }
    }
    stack.networks().values().stream().filter(n -> !n.external()).forEach(n -> own.add(n.key()));
    return own;
  }

  /** Field by field, by the record's component names; values that may be secret are redacted. */
  static List<FieldChange> fieldChanges(ServiceSpec before, ServiceSpec after) {
    List<FieldChange> changes = new ArrayList<>();
    for (RecordComponent component : ServiceSpec.class.getRecordComponents()) {
      Object was = read(component, before);
      Object is = read(component, after);
      if (!Objects.equals(was, is)) {
        boolean secret = component.getName().equals("environment");
        changes.add(
            new FieldChange(
                component.getName(),
                secret ? FieldChange.REDACTED : text(was),
                secret ? FieldChange.REDACTED : text(is)));
      }
    }
    return changes;
  }

  private static Object read(RecordComponent component, ServiceSpec spec) {
    try {
      return component.getAccessor().invoke(spec);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component.getName(), e);
    }
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  /** A plan may only be applied to what it was made from (Swarm's version index, in memory). */
  private void checkFresh(StackSpec stack, Plan plan) {
    StackRecord record = stacks.get(stack.name());
    List<String> stale = new ArrayList<>();
    for (Change change : plan.changes()) {
      if (change.kind() != ResourceKind.SERVICE) {
        continue;
      }
      ServiceRecord current = record == null ? null : record.services.get(change.key());
      if (change instanceof Change.Create && current != null) {
        stale.add("service " + change.key() + " was created meanwhile");
      } else if (change instanceof Change.Update update) {
        if (current == null) {
          stale.add("service " + change.key() + " was removed meanwhile");
        } else if (capabilities.contains(Capability.OPTIMISTIC_CONCURRENCY)
            && current.version != update.version()) {
          stale.add(
              "service "
                  + change.key()
                  + " is at version "
                  + current.version
                  + ", the plan was made at "
                  + update.version());
        }
      }
      if (change instanceof Change.Create || change instanceof Change.Update) {
        if (!stack.services().containsKey(change.key())) {
          throw new IllegalArgumentException(
              "the plan changes service " + change.key() + ", which the stack does not declare");
        }
      }
    }
    if (!stale.isEmpty()) {
      throw new ConflictException(
          "stack "
              + stack.name()
              + " changed since it was planned ("
              + String.join("; ", stale)
              + "); plan again",
          null);
    }
  }

  // ---------------------------------------------------------------- writing

  private void write(StackRecord record, StackSpec stack, Change change, EventListener events) {
    String key = change.key();
    String s = stack.name();
    switch (change.kind()) {
      case NETWORK -> {
        if (change instanceof Change.Delete) {
          record.networks.remove(key);
        } else {
          record.networks.add(key);
        }
      }
      case VOLUME -> {
        if (change instanceof Change.Delete) {
          record.volumes.remove(key);
        } else {
          record.volumes.add(key);
        }
      }
      case SECRET -> {
        if (change instanceof Change.Delete) {
          record.secrets.remove(key);
        } else {
          record.secrets.put(key, stack.secrets().get(key));
        }
      }
      case CONFIG -> {
        if (change instanceof Change.Delete) {
          record.configs.remove(key);
        } else {
          record.configs.put(key, stack.configs().get(key));
        }
      }
      case SERVICE -> {
        if (change instanceof Change.Delete) {
          ServiceRecord gone = record.services.remove(key);
          if (gone != null) {
            for (Replica replica : gone.replicas) {
              if (!replica.status.isTerminal()) {
                replica.stop(TaskStatus.SHUTDOWN, "service removed", now());
                taskChanged(s, replica);
              }
            }
          }
        } else if (change instanceof Change.Create) {
          ServiceRecord created = new ServiceRecord(stack.service(key), nextId("svc"));
          record.services.put(key, created);
          converge(s, created);
        } else {
          ServiceRecord updated = record.services.get(key);
          updated.spec = stack.service(key);
          updated.version++;
          converge(s, updated);
        }
      }
    }
    EventDetail.Resource resource = EventDetail.Resource.of(change.kind());
    EventDetail detail =
        change instanceof Change.Create
            ? new EventDetail.ResourceCreated(resource, key, null)
            : change instanceof Change.Update
                ? new EventDetail.ResourceUpdated(resource, key, null, "updated")
                : new EventDetail.ResourceDeleted(resource, key, null);
    emit(events, detail, s, key, change.toString().substring(2));
  }

  /**
   * Makes the service's replicas match its spec: replicas of another template stop, replicas of the
   * current one are kept (adopting those {@link #startReplica} started), missing slots start.
   */
  private void converge(String stack, ServiceRecord service) {
    ServiceSpec template = service.template();
    int desired = service.spec.mode() == ServiceSpec.Mode.GLOBAL ? 1 : service.spec.replicas();
    List<Replica> kept = new ArrayList<>();
    for (Replica replica : service.replicas) {
      if (replica.desired != TaskStatus.RUNNING) {
        continue;
      }
      if (replica.template.equals(template) && kept.size() < desired) {
        kept.add(replica);
      } else {
        replica.stop(TaskStatus.SHUTDOWN, "shut down for the service's new spec", now());
        taskChanged(stack, replica);
      }
    }
    Set<Integer> used = new HashSet<>();
    kept.forEach(r -> used.add(r.slot));
    int slot = 1;
    while (kept.size() < desired) {
      while (used.contains(slot)) {
        slot++;
      }
      used.add(slot);
      kept.add(start(stack, service, template, slot));
    }
    service.trim();
  }

  private Replica start(String stack, ServiceRecord service, ServiceSpec template, int slot) {
    Instant now = now();
    Replica replica = new Replica(nextId("task"), nextId("container"), slot, template, now);
    if (failingImages.contains(template.image())) {
      replica.status = TaskStatus.FAILED;
      replica.error = "exit code 1";
      replica.message = "exited (1) at start";
      replica.failedAt = now;
    } else {
      boolean checked = template.healthcheck() != null && !template.healthcheck().isDisabled();
      if (checked) {
        replica.health = HealthStatus.STARTING;
        replica.healthyAt = now.plus(startupTime);
        replica.turnsUnhealthy = unhealthyImages.contains(template.image());
      }
      Duration degrade = degradingImages.get(template.image());
      if (degrade != null) {
        replica.degradesAt = now.plus(degrade);
      }
    }
    service.replicas.add(0, replica);
    taskChanged(stack, replica);
    settleHealth(stack, replica, now);
    return replica;
  }

  private void fail(String stack, Replica replica, String error) {
    if (replica.status.isTerminal()) {
      return;
    }
    replica.status = TaskStatus.FAILED;
    replica.error = error;
    replica.message = "exited: " + error;
    replica.failedAt = now();
    replica.updatedAt = replica.failedAt;
    taskChanged(stack, replica);
  }

  /**
   * Time-driven changes, evaluated whenever the platform is used: healthchecks whose start period
   * passed report, and (with {@link Capability#SELF_HEALING}) failed replicas whose restart delay
   * passed are replaced.
   */
  private void settle() {
    Instant now = now();
    for (StackRecord record : stacks.values()) {
      for (ServiceRecord service : record.services.values()) {
        for (Replica replica : List.copyOf(service.replicas)) {
          settleHealth(record.name, replica, now);
          if (capabilities.contains(Capability.SELF_HEALING)
              && replica.status == TaskStatus.FAILED
              && replica.desired == TaskStatus.RUNNING
              && !now.isBefore(replica.failedAt.plus(restartDelay))) {
            replica.desired = TaskStatus.SHUTDOWN;
            replica.updatedAt = now;
            start(record.name, service, replica.template, replica.slot);
          }
        }
        service.trim();
      }
    }
  }

  private void settleHealth(String stack, Replica replica, Instant now) {
    if (replica.status == TaskStatus.RUNNING
        && replica.degradesAt != null
        && !now.isBefore(replica.degradesAt)) {
      replica.degradesAt = null;
      replica.healthyAt = null;
      if (replica.health != HealthStatus.UNHEALTHY) {
        replica.health = HealthStatus.UNHEALTHY;
        replica.updatedAt = now;
        taskChanged(stack, replica);
      }
      return;
    }
    if (replica.status == TaskStatus.RUNNING
        && replica.health == HealthStatus.STARTING
        && replica.healthyAt != null
        && !now.isBefore(replica.healthyAt)) {
      replica.health = replica.turnsUnhealthy ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY;
      replica.healthyAt = null;
      replica.updatedAt = now;
      taskChanged(stack, replica);
    }
  }

  private void deleteAll(String stack, Collection<String> keys, String kind, EventListener events) {
    for (String key : List.copyOf(keys)) {
      keys.remove(key);
      emit(
          events,
          new EventDetail.ResourceDeleted(
              EventDetail.Resource.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), key, null),
          stack,
          key,
          kind + " " + key + " removed");
    }
  }

  // ---------------------------------------------------------------- events

  private void taskChanged(String stack, Replica replica) {
    List<EventListener> listeners = watchers.getOrDefault(stack, List.of());
    if (listeners.isEmpty()) {
      return;
    }
    EventDetail.TaskStateChanged detail =
        new EventDetail.TaskStateChanged(
            replica.template.name(),
            replica.id,
            replica.slot,
            replica.status,
            replica.desired,
            replica.health,
            replica.containerId,
            null,
            replica.error,
            null);
    OrchestratorEvent event =
        new OrchestratorEvent(
            now(),
            stack,
            replica.template.name(),
            "replica "
                + replica.id
                + " "
                + replica.status.name().toLowerCase(java.util.Locale.ROOT)
                + (replica.health == HealthStatus.NONE
                    ? ""
                    : ", " + replica.health.name().toLowerCase(java.util.Locale.ROOT)),
            detail);
    List<EventListener> targets = List.copyOf(listeners);
    outbox.add(() -> targets.forEach(l -> l.onEvent(event)));
  }

  private void emit(
      EventListener events, EventDetail detail, String stack, String subject, String message) {
    OrchestratorEvent event = new OrchestratorEvent(now(), stack, subject, message, detail);
    outbox.add(() -> events.onEvent(event));
  }

  /** Delivers what happened, outside the platform's lock, in order. */
  private void deliver() {
    synchronized (delivery) {
      Runnable next;
      while ((next = outbox.poll()) != null) {
        next.run();
      }
    }
  }

  // ---------------------------------------------------------------- lookups

  private ServiceRecord service(String stack, String service) {
    StackRecord record = stacks.get(stack);
    if (record == null) {
      throw new NotFoundException(
          "no stack " + stack + " on " + name + "; it has " + stacks.keySet());
    }
    ServiceRecord found = record.services.get(service);
    if (found == null) {
      throw new NotFoundException(
          "stack " + stack + " has no service " + service + "; it has " + record.services.keySet());
    }
    return found;
  }

  private Optional<Replica> find(String stack, String replicaId) {
    StackRecord record = stacks.get(stack);
    if (record == null) {
      return Optional.empty();
    }
    return record.services.values().stream()
        .flatMap(s -> s.replicas.stream())
        .filter(r -> r.id.equals(replicaId))
        .findFirst();
  }

  private static String missingReplica(String stack, TaskState replica) {
    return "stack " + stack + " has no replica " + replica.id() + " of " + replica.service();
  }

  private void require(Capability capability, String what) {
    if (!capabilities.contains(capability)) {
      throw new UnsupportedFeatureException(
          name + " cannot " + what + " (" + capability + " not declared)");
    }
  }

  private static List<String> engineNames(String stack, Collection<String> keys) {
    return keys.stream().map(k -> stack + "_" + k).sorted().toList();
  }

  private Instant now() {
    return clock.instant();
  }

  private String nextId(String kind) {
    return kind + Long.toString(++ids, 36);
  }

  /** The spec a replica runs: everything but the replica count. */
  static ServiceSpec template(ServiceSpec spec) {
    return spec.mode() == ServiceSpec.Mode.GLOBAL || spec.replicas() == 1
        ? spec
        : spec.toBuilder().replicas(1).build();
  }

  // ---------------------------------------------------------------- records

  private static final class StackRecord {
    final String name;
    StackSpec spec;
    final Set<String> networks = new TreeSet<>();
    final Set<String> volumes = new TreeSet<>();
    final Map<String, SecretSpec> secrets = new TreeMap<>();
    final Map<String, ConfigSpec> configs = new TreeMap<>();
    final Map<String, ServiceRecord> services = new LinkedHashMap<>();

    StackRecord(String name) {
      this.name = name;
    }

    boolean isEmpty() {
      return services.isEmpty()
          && networks.isEmpty()
          && volumes.isEmpty()
          && secrets.isEmpty()
          && configs.isEmpty();
    }
  }

  private static final class ServiceRecord {
    ServiceSpec spec;
    final String id;
    long version = 1;

    /** Newest first. */
    final List<Replica> replicas = new ArrayList<>();

    ServiceRecord(ServiceSpec spec, String id) {
      this.spec = spec;
      this.id = id;
    }

    ServiceSpec template() {
      return InMemoryPlatform.template(spec);
    }

    Optional<Replica> find(String id) {
      return replicas.stream().filter(r -> r.id.equals(id)).findFirst();
    }

    /** Drops the oldest replicas that ended beyond the history Swarm would keep. */
    void trim() {
      int terminal = 0;
      for (int i = 0; i < replicas.size(); i++) {
        Replica r = replicas.get(i);
        if (r.status.isTerminal() && r.desired != TaskStatus.RUNNING) {
          terminal++;
          if (terminal > TERMINAL_HISTORY) {
            replicas.remove(i--);
          }
        }
      }
    }

    ServiceState state(String stack) {
      Map<String, String> labels = new TreeMap<>(spec.deployLabels());
      labels.put(STACK_LABEL, stack);
      return new ServiceState(
          spec.name(),
          id,
          spec.image(),
          spec.mode() == ServiceSpec.Mode.GLOBAL ? -1 : spec.replicas(),
          version,
          null,
          labels,
          replicas.stream().map(r -> r.state(spec.name(), this)).toList());
    }
  }

  private static final class Replica {
    final String id;
    final String containerId;
    final int slot;
    final ServiceSpec template;
    TaskStatus status = TaskStatus.RUNNING;
    TaskStatus desired = TaskStatus.RUNNING;
    HealthStatus health = HealthStatus.NONE;
    String message = "running";
    String error;
    Instant updatedAt;
    Instant healthyAt;
    Instant failedAt;
    boolean turnsUnhealthy;
    Instant degradesAt;

    Replica(String id, String containerId, int slot, ServiceSpec template, Instant now) {
      this.id = id;
      this.containerId = containerId;
      this.slot = slot;
      this.template = template;
      this.updatedAt = now;
    }

    void stop(TaskStatus to, String why, Instant now) {
      status = status.isFailure() ? status : to;
      desired = TaskStatus.SHUTDOWN;
      message = why;
      updatedAt = now;
    }

    TaskState state(String service, ServiceRecord owner) {
      return new TaskState(
          id,
          service,
          slot,
          "memory-node",
          containerId,
          status,
          desired,
          health,
          template.equals(owner.template()),
          message,
          error,
          updatedAt);
    }
  }

  /** Configures an {@link InMemoryPlatform}. */
  public static final class Builder {
    private String name = "memory";
    private Clock clock = Clock.systemUTC();
    private final Set<Capability> capabilities = EnumSet.copyOf(DEFAULT_CAPABILITIES);
    private Duration startupTime = Duration.ZERO;
    private Duration restartDelay = Duration.ofSeconds(5);
    private Function<TaskState, String> addresses;
    private ExecHandler exec;
    private UsageHandler usage;
    private final Set<String> externalNetworks = new HashSet<>();
    private final Set<String> externalVolumes = new HashSet<>();
    private final Set<String> externalSecrets = new HashSet<>();
    private final Set<String> externalConfigs = new HashSet<>();

    private Builder() {}

    /** The platform's name ({@code memory}); name it after the platform it stands in for. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The clock for replica times, start periods, restart delays and leases. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Declares exactly these capabilities, besides those the handlers below add ({@link
     * Capability#REPLICA_ADDRESS}, {@link Capability#EXEC} and {@link Capability#RESOURCE_USAGE}
     * are declared by giving their handler, since only the test knows what they answer).
     */
    public Builder capabilities(Set<Capability> capabilities) {
      for (Capability handled :
          List.of(Capability.REPLICA_ADDRESS, Capability.EXEC, Capability.RESOURCE_USAGE)) {
        if (capabilities.contains(handled)) {
          throw new IllegalArgumentException(
              handled + " is declared by giving its handler (replicaAddress, exec, usage)");
        }
      }
      this.capabilities.clear();
      this.capabilities.addAll(capabilities);
      return this;
    }

    /**
     * Stops declaring these capabilities: {@code without(SELF_HEALING, OPTIMISTIC_CONCURRENCY,
     * LEASE)} behaves like a single engine.
     */
    public Builder without(Capability... capabilities) {
      for (Capability c : capabilities) {
        this.capabilities.remove(c);
      }
      return this;
    }

    /**
     * How long a replica with a healthcheck reports {@code starting} before it turns healthy (zero,
     * the default: healthy as it starts).
     */
    public Builder startupTime(Duration startupTime) {
      if (startupTime.isNegative()) {
        throw new IllegalArgumentException("startup time cannot be negative: " + startupTime);
      }
      this.startupTime = startupTime;
      return this;
    }

    /** How long a failed replica waits before self-healing replaces it (5 s). */
    public Builder restartDelay(Duration restartDelay) {
      if (restartDelay.isNegative()) {
        throw new IllegalArgumentException("restart delay cannot be negative: " + restartDelay);
      }
      this.restartDelay = restartDelay;
      return this;
    }

    /**
     * Where running replicas are reached (a server the test runs plays the application); declares
     * {@link Capability#REPLICA_ADDRESS}.
     */
    public Builder replicaAddress(Function<TaskState, String> addresses) {
      this.addresses = Objects.requireNonNull(addresses, "addresses");
      return this;
    }

    /** What commands run in replicas return; declares {@link Capability#EXEC}. */
    public Builder exec(ExecHandler exec) {
      this.exec = Objects.requireNonNull(exec, "exec");
      return this;
    }

    /** What replicas' counters read; declares {@link Capability#RESOURCE_USAGE}. */
    public Builder usage(UsageHandler usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** A network that exists outside any stack, so that stacks may reference it as external. */
    public Builder externalNetwork(String name) {
      externalNetworks.add(name);
      return this;
    }

    public Builder externalVolume(String name) {
      externalVolumes.add(name);
      return this;
    }

    public Builder externalSecret(String name) {
      externalSecrets.add(name);
      return this;
    }

    public Builder externalConfig(String name) {
      externalConfigs.add(name);
      return this;
    }

    public InMemoryPlatform build() {
      return new InMemoryPlatform(this);
    }
  }
}
