package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.ConflictException;
import io.stackwright.api.DependsOn;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.compose.internal.ContainerMapper.CreateRequest;
import io.stackwright.compose.internal.Observed.Container;
import io.stackwright.compose.internal.ProjectState.ServiceRecord;
import io.stackwright.compose.internal.SecretFiles.FileMount;
import io.stackwright.docker.internal.Engine;
import io.stackwright.docker.internal.EngineErrors;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a plan the way {@code docker compose up -d} does: external networks and volumes and the
 * images are checked first (nothing is written when one is missing); then networks and volumes are
 * created; then the planned services in dependency order, leaves first, independent ones in
 * parallel on the context's executor, each after its {@code depends_on} conditions hold; then
 * orphan containers and unused networks are removed.
 *
 * <p>For each planned service the containers are read again and {@link ServiceActions} decides,
 * with the rules the plan used, what to do: remove (scale down), recreate (compose's sequence: the
 * new container is created under {@code <old id[:12]>_<name>}, the old one is stopped with its
 * grace period and removed, the new one renamed and started; anonymous volumes are inherited),
 * start, or create (numbers after the highest). Services the plan does not name are not touched.
 */
public final class Applier {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);
  private static final Pattern ANONYMOUS_VOLUME = Pattern.compile("[0-9a-f]{64}");

  private final Engine engine;
  private final ProjectReader reader;
  private final ContainerOps ops;
  private final SecretFiles files;
  private final ProjectState state;
  private final Settings settings;
  private final Clock clock;
  private final ExecutorService executor;
  private final boolean startIntervalSupported;

  public Applier(
      Engine engine,
      ProjectReader reader,
      SecretFiles files,
      ProjectState state,
      Settings settings,
      Clock clock,
      ExecutorService executor,
      boolean startIntervalSupported) {
    this.engine = engine;
    this.reader = reader;
    this.ops = new ContainerOps(engine);
    this.files = files;
    this.state = state;
    this.settings = settings;
    this.clock = clock;
    this.executor = executor;
    this.startIntervalSupported = startIntervalSupported;
  }

  public void apply(StackSpec stack, Plan plan, EventListener listener) {
    Emitter events = new Emitter(listener, clock, stack.name());
    Observed.Project observed = reader.read(stack);
    preflight(stack, plan, observed);
    Map<String, String> hashes = Planner.hashes(stack, files.digest());
    record(stack, hashes);

    for (Change change : plan.changes()) {
      if (change instanceof Change.Create && change.kind() == ResourceKind.NETWORK) {
        createNetwork(stack, change.key(), observed, events);
      } else if (change instanceof Change.Create && change.kind() == ResourceKind.VOLUME) {
        createVolume(stack, change.key(), events);
      }
    }

    Map<String, Change> serviceChanges = new LinkedHashMap<>();
    plan.changesOf(ResourceKind.SERVICE).stream()
        .filter(c -> !(c instanceof Change.Delete))
        .forEach(c -> serviceChanges.put(c.key(), c));
    List<String> keys =
        DependencyOrder.order(stack).stream().filter(serviceChanges::containsKey).toList();
    Map<String, Throwable> failures = new ConcurrentHashMap<>();
    TaskGraph.run(
        executor,
        keys,
        k -> stack.services().get(k).dependsOn().keySet(),
        k -> converge(stack, k, serviceChanges.get(k), hashes.get(k), observed, failures, events),
        failures);

    List<String> orphans =
        plan.changesOf(ResourceKind.SERVICE).stream()
            .filter(c -> c instanceof Change.Delete)
            .map(Change::key)
            .toList();
    for (String orphan : orphans) {
      try {
        removeService(stack.name(), orphan, events);
      } catch (RuntimeException e) {
        failures.put(orphan, e);
      }
    }
    for (Change change : plan.changesOf(ResourceKind.NETWORK)) {
      if (change instanceof Change.Delete) {
        try {
          removeNetwork(stack.name(), change.key(), events);
        } catch (RuntimeException e) {
          failures.put("network " + change.key(), e);
        }
      }
    }
    if (!failures.isEmpty()) {
      throw failure(stack.name(), failures);
    }
  }

  private static OrchestratorException failure(String stack, Map<String, Throwable> failures) {
    Map<String, Throwable> sorted = new TreeMap<>(failures);
    String text =
        sorted.entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue().getMessage())
            .collect(Collectors.joining("; "));
    Throwable first = sorted.values().iterator().next();
    boolean retryable =
        sorted.values().stream().allMatch(t -> t instanceof PlatformException p && p.retryable());
    if (sorted.size() == 1 && first instanceof OrchestratorException oe) {
      return oe;
    }
    return new PlatformException(
        "applying the plan of stack " + stack + " failed: " + text, retryable, first);
  }

  // ------------------------------------------------------------------ checks before writing

  private void preflight(StackSpec stack, Plan plan, Observed.Project observed) {
    List<String> problems = new ArrayList<>();
    for (String key : Planner.usedNetworks(stack)) {
      String name = ComposeNames.network(stack, key);
      if (Planner.isExternal(stack, key) && !observed.networks().containsKey(name)) {
        problems.add("network " + name + " declared as external, but could not be found");
      }
    }
    for (String key : Planner.usedVolumes(stack)) {
      String name = ComposeNames.volume(stack, key);
      if (Planner.isExternalVolume(stack, key) && !observed.volumes().containsKey(name)) {
        problems.add("external volume \"" + name + "\" not found");
      }
    }
    Set<String> checked = new LinkedHashSet<>();
    for (Change change : plan.changesOf(ResourceKind.SERVICE)) {
      ServiceSpec service = stack.services().get(change.key());
      if (service == null || !needsImage(change) || !checked.add(service.image())) {
        continue;
      }
      if (observed.imageId(service.image()).isEmpty()) {
        String engineMessage;
        try {
          engine.get("inspecting image " + service.image(), "/images/" + service.image() + "/json");
          continue; // it appeared in the meantime
        } catch (EngineErrors.EngineNotFound e) {
          engineMessage = e.engineMessage();
        }
        problems.add(
            "service "
                + change.key()
                + " needs image "
                + service.image()
                + ", which the engine does not have ("
                + engineMessage
                + "); Stackwright never pulls: build, load or pull it first");
      }
    }
    if (!problems.isEmpty()) {
      throw new PlatformException(
          "applying the plan of stack "
              + stack.name()
              + " failed before any change: "
              + String.join("; ", problems),
          false);
    }
  }

  private static boolean needsImage(Change change) {
    if (change instanceof Change.Create) {
      return true;
    }
    if (!(change instanceof Change.Update update)) {
      return false;
    }
    for (FieldChange f : update.fields()) {
      switch (f.path()) {
        case "config-hash", "image" -> {
          return true;
        }
        case "containers" -> {
          if (f.after() != null && f.after().contains("recreated")) {
            return true;
          }
        }
        case "replicas" -> {
          if (Integer.parseInt(f.after()) > Integer.parseInt(f.before())) {
            return true;
          }
        }
        default -> {}
      }
    }
    return false;
  }

  private void record(StackSpec stack, Map<String, String> hashes) {
    Map<String, ServiceRecord> records = new LinkedHashMap<>();
    stack
        .services()
        .forEach(
            (k, s) ->
                records.put(
                    k,
                    new ServiceRecord(
                        ServiceActions.desiredReplicas(s),
                        hashes.get(k),
                        ComposeNames.mode(s.mode()))));
    state.write(stack.name(), records);
  }

  // ------------------------------------------------------------------ networks and volumes

  /**
   * Creates the network unless it exists. The project was read at the start of the apply, so that
   * reading decides; a network that appeared since makes the engine answer 409, and is then looked
   * at as if it had been there.
   */
  private void createNetwork(
      StackSpec stack, String key, Observed.Project observed, Emitter events) {
    String name = ComposeNames.network(stack, key);
    NetworkSpec spec = stack.networks().get(key);
    Observed.Network seen = observed.networks().get(name);
    if (seen != null) {
      warnIfForeign(stack, key, name, seen, events);
      return;
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("Name", name);
    body.put("CheckDuplicate", true);
    body.put("Driver", spec == null || spec.driver() == null ? "bridge" : spec.driver());
    if (spec != null) {
      body.put("Internal", spec.internal());
      body.put("Attachable", spec.attachable());
      ObjectNode options = body.putObject("Options");
      spec.driverOptions().forEach(options::put);
      if (!spec.subnets().isEmpty()) {
        ObjectNode ipam = body.putObject("IPAM");
        ipam.put("Driver", "default");
        ArrayNode config = ipam.putArray("Config");
        spec.subnets().forEach(s -> config.addObject().put("Subnet", s));
      }
    }
    ObjectNode labels = body.putObject("Labels");
    if (spec != null) {
      spec.labels().forEach(labels::put);
    }
    labels.put(ComposeNames.NETWORK, key);
    labels.put(ComposeNames.PROJECT, stack.name());
    labels.put(ComposeNames.VERSION, ComposeNames.COMPOSE_VERSION);
    try {
      engine.post("creating network " + name, "/networks/create", body);
    } catch (ConflictException e) {
      LOG.debug("Network {} was created concurrently", name);
      reader.network(name).ifPresent(n -> warnIfForeign(stack, key, name, n, events));
      return;
    }
    events.emit(
        new EventDetail.ResourceCreated(EventDetail.Resource.NETWORK, name, null),
        key,
        "network " + name + " created");
  }

  private static void warnIfForeign(
      StackSpec stack, String key, String name, Observed.Network network, Emitter events) {
    if (!stack.name().equals(network.labels().get(ComposeNames.PROJECT))) {
      events.warn(
          key,
          "foreign-network",
          "a network with name "
              + name
              + " exists but was not created by compose. Set `external: true` to use an existing network");
    }
  }

  private void createVolume(StackSpec stack, String key, Emitter events) {
    String name = ComposeNames.volume(stack, key);
    VolumeSpec spec = stack.volumes().get(key);
    var existing = reader.volume(name);
    if (existing.isPresent()) {
      if (!stack.name().equals(existing.get().labels().get(ComposeNames.PROJECT))) {
        events.warn(
            key,
            "foreign-volume",
            "volume \""
                + name
                + "\" already exists but was not created by Docker Compose. Use `external: true` to use an existing volume");
      }
      return;
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("Name", name);
    body.put("Driver", spec == null || spec.driver() == null ? "local" : spec.driver());
    ObjectNode options = body.putObject("DriverOpts");
    if (spec != null) {
      spec.driverOptions().forEach(options::put);
    }
    ObjectNode labels = body.putObject("Labels");
    if (spec != null) {
      spec.labels().forEach(labels::put);
    }
    labels.put(ComposeNames.VOLUME, key);
    labels.put(ComposeNames.PROJECT, stack.name());
    labels.put(ComposeNames.VERSION, ComposeNames.COMPOSE_VERSION);
    engine.post("creating volume " + name, "/volumes/create", body);
    events.emit(
        new EventDetail.ResourceCreated(EventDetail.Resource.VOLUME, name, null),
        key,
        "volume " + name + " created");
  }

  private void removeNetwork(String project, String key, Emitter events) {
    for (Observed.Network n : reader.projectNetworks(project)) {
      if (key.equals(n.labels().get(ComposeNames.NETWORK))) {
        if (engine.delete("removing network " + n.name(), "/networks/" + n.id())) {
          events.emit(
              new EventDetail.ResourceDeleted(EventDetail.Resource.NETWORK, n.name(), n.id()),
              key,
              "network " + n.name() + " removed");
        }
      }
    }
  }

  // ------------------------------------------------------------------ services

  /**
   * Brings one service to its spec. {@code observed}, the project as read at the start of the
   * apply, stands in for reading the containers and the image again when the service has no
   * dependency (nothing ran between that reading and this service); null: read them now.
   */
  private void converge(
      StackSpec stack,
      String key,
      Change change,
      String hash,
      Observed.Project observed,
      Map<String, Throwable> failures,
      Emitter events) {
    ServiceSpec service = stack.services().get(key);
    for (Map.Entry<String, DependsOn> dep : service.dependsOn().entrySet()) {
      Throwable failed = failures.get(dep.getKey());
      if (failed == null) {
        continue;
      }
      if (dep.getValue().required()) {
        throw new PlatformException(
            "service "
                + key
                + " was not started: dependency failed to start: service "
                + dep.getKey()
                + ": "
                + failed.getMessage(),
            false,
            failed);
      }
      events.warn(
          key,
          "optional-dependency-failed",
          "optional dependency \"" + dep.getKey() + "\" failed to start");
    }
    String project = stack.name();
    boolean fromSnapshot = observed != null && service.dependsOn().isEmpty();
    List<Container> containers =
        fromSnapshot ? observed.containersOf(key) : reader.containers(project, key);
    String imageId =
        (fromSnapshot ? observed.imageId(service.image()) : Optional.<String>empty())
            .or(() -> reader.imageId(service.image()))
            .orElse(null);
    ServiceActions actions =
        ServiceActions.compute(
            service, hash, imageId, containers, DependencyOrder.isOneShot(stack, service));
    List<FileMount> mounts = files.mounts(stack, service);
    for (FileMount m : mounts) {
      if (!files.upToDate(m)) {
        files.write(m);
      }
    }
    boolean restart =
        change instanceof Change.Update u
            && u.fields().stream().anyMatch(f -> f.path().equals("restart"))
            && actions.isEmpty();
    if (!actions.isEmpty()) {
      new DependencyWaiter(reader, settings.dependencyTimeout()).await(stack, service, events);
    }
    Inputs inputs = new Inputs(stack, service, hash, imageId, actions.desired(), mounts);
    // what an interrupted replacement left: undone where the old container is there, else finished
    for (Container c : actions.leftovers()) {
      removeContainer(events, key, c, " (left by an interrupted replacement)");
    }
    for (Container c : actions.finish()) {
      String finalName = ComposeNames.finalName(c.name()).orElseThrow();
      ops.rename(c.id(), c.name(), finalName);
      containerUpdated(
          events, key, c.named(finalName), "renamed from " + c.name() + ", its replacement done");
    }
    for (Container c : actions.remove()) {
      removeContainer(events, key, c, "");
    }
    for (Container c : actions.recreate()) {
      recreate(inputs, c);
      containerUpdated(events, key, c, "recreated");
    }
    for (Container c : actions.start()) {
      ops.start(c.id(), c.name());
      containerUpdated(events, key, c, "started");
    }
    for (int number : actions.create()) {
      CreateRequest request = inputs.request(number, Map.of(), null);
      String id = ops.create(request);
      ops.start(id, request.name());
      events.emit(
          new EventDetail.ResourceCreated(EventDetail.Resource.CONTAINER, request.name(), id),
          key,
          "container " + request.name() + " created");
    }
    if (restart) {
      for (Container c : reader.containers(project, key)) {
        if (c.running()) {
          ops.restart(c.id(), c.name());
          containerUpdated(events, key, c, "restarted");
        }
      }
    }
    if (actions.existing() != actions.desired()) {
      events.emit(
          new EventDetail.ServiceScaled(key, actions.existing(), actions.desired(), 0),
          key,
          "service "
              + key
              + " scaled from "
              + actions.existing()
              + " to "
              + actions.desired()
              + " containers");
    }
    events.emit(
        change instanceof Change.Create
            ? new EventDetail.ResourceCreated(EventDetail.Resource.SERVICE, key, null)
            : new EventDetail.ResourceUpdated(EventDetail.Resource.SERVICE, key, null, "updated"),
        key,
        "service " + key + (change instanceof Change.Create ? " created" : " updated"));
  }

  /** What every container of one service is created from. */
  private final class Inputs {
    final StackSpec stack;
    final ServiceSpec service;
    final String hash;
    final String imageId;
    final int desired;
    final List<FileMount> mounts;

    Inputs(
        StackSpec stack,
        ServiceSpec service,
        String hash,
        String imageId,
        int desired,
        List<FileMount> mounts) {
      this.stack = stack;
      this.service = service;
      this.hash = hash;
      this.imageId = imageId;
      this.desired = desired;
      this.mounts = mounts;
    }

    CreateRequest request(int number, Map<String, String> inherited, String replaces) {
      return ContainerMapper.map(
          stack,
          service,
          new ContainerMapper.Inputs(
              number,
              hash,
              imageId,
              desired,
              mounts,
              inherited,
              replaces,
              settings.workingDir(),
              settings.configFiles(),
              startIntervalSupported));
    }
  }

  /** Compose's recreate: new under a temporary name, old stopped and removed, new renamed. */
  private void recreate(Inputs inputs, Container old) {
    JsonNode inspect = reader.inspect(old.id()).orElse(null);
    String prefix = inputs.stack.name() + "-";
    String replaces =
        old.name().startsWith(prefix) ? old.name().substring(prefix.length()) : old.name();
    CreateRequest request = inputs.request(old.number(), anonymousVolumes(inspect), replaces);
    String temporary = ComposeNames.temporary(old.id(), request.name());
    String id = ops.create(request.named(temporary));
    ops.stopAndRemove(old.id(), old.name(), false);
    ops.rename(id, temporary, request.name());
    ops.start(id, request.name());
  }

  /** The anonymous volumes of a container, by target: inherited by its replacement. */
  static Map<String, String> anonymousVolumes(JsonNode inspect) {
    Map<String, String> volumes = new LinkedHashMap<>();
    if (inspect == null) {
      return volumes;
    }
    for (JsonNode m : inspect.path("Mounts")) {
      String name = m.path("Name").asText("");
      if ("volume".equals(m.path("Type").asText()) && ANONYMOUS_VOLUME.matcher(name).matches()) {
        volumes.put(m.path("Destination").asText(), name);
      }
    }
    return volumes;
  }

  private void removeService(String project, String service, Emitter events) {
    List<Container> containers = reader.containers(project, service);
    Map<Container, Throwable> failures = new ConcurrentHashMap<>();
    TaskGraph.run(
        executor,
        containers,
        c -> Set.of(),
        c -> {
          ops.stopAndRemove(c.id(), c.name(), true);
          events.emit(
              new EventDetail.ResourceDeleted(EventDetail.Resource.CONTAINER, c.name(), c.id()),
              service,
              "container " + c.name() + " removed");
        },
        failures);
    if (!failures.isEmpty()) {
      Throwable first = failures.values().iterator().next();
      throw first instanceof OrchestratorException oe
          ? oe
          : new PlatformException(
              "removing service " + service + " failed: " + first, false, first);
    }
    events.emit(
        new EventDetail.ResourceDeleted(EventDetail.Resource.SERVICE, service, null),
        service,
        "service " + service + " removed (" + containers.size() + " containers)");
  }

  private void removeContainer(Emitter events, String service, Container c, String why) {
    ops.stopAndRemove(c.id(), c.name(), true);
    events.emit(
        new EventDetail.ResourceDeleted(EventDetail.Resource.CONTAINER, c.name(), c.id()),
        service,
        "container " + c.name() + " removed" + why);
  }

  private static void containerUpdated(Emitter events, String service, Container c, String what) {
    events.emit(
        new EventDetail.ResourceUpdated(EventDetail.Resource.CONTAINER, c.name(), c.id(), what),
        service,
        "container " + c.name() + " " + what);
  }

  // ------------------------------------------------------------------ scale

  /**
   * Sets the number of containers of one service without touching the others: removes the highest
   * numbers, or adds containers numbered after the highest, cloned from the newest up-to-date
   * container of the service (so no spec is needed). A service with no container left is scaled up
   * from {@code remembered}, the spec this platform instance last applied, if it has one.
   */
  public void scale(String project, String service, int replicas, StackSpec remembered) {
    List<Container> containers = reader.containers(project, service);
    Emitter events = new Emitter(EventListener.none(), clock, project);
    if (containers.isEmpty()) {
      if (replicas == 0) {
        return;
      }
      if (remembered == null || !remembered.services().containsKey(service)) {
        throw new NotFoundException(
            "cannot scale service "
                + service
                + " of stack "
                + project
                + ": it has no container to copy and this platform instance has not applied the"
                + " stack; deploy it with "
                + replicas
                + " replicas instead");
      }
      ServiceSpec spec = remembered.services().get(service).toBuilder().replicas(replicas).build();
      StackSpec stack = remembered.toBuilder().service(spec).build();
      converge(
          stack,
          service,
          new Change.Create(ResourceKind.SERVICE, service),
          ConfigHash.of(stack, spec, files.digest()),
          null,
          Map.of(),
          events);
      state.updateReplicas(
          project,
          service,
          replicas,
          ConfigHash.of(stack, spec, files.digest()),
          ComposeNames.mode(spec.mode()));
      return;
    }
    String mode = containers.get(0).labels().getOrDefault(ComposeNames.MODE, "replicated");
    if (mode.startsWith("global")) {
      throw new io.stackwright.api.InvalidSpecException(
          io.stackwright.api.SpecProblem.at(
              "services." + service + ".deploy.replicas",
              "service "
                  + service
                  + " runs in global mode (one container per engine) and cannot be scaled"));
    }
    Container newest =
        containers.stream().max(Comparator.comparingLong(Container::created)).orElseThrow();
    if (replicas < containers.size()) {
      List<Container> remove =
          containers.stream()
              .sorted(Comparator.comparingInt(Container::number).reversed())
              .limit(containers.size() - replicas)
              .toList();
      for (Container c : remove) {
        ops.stopAndRemove(c.id(), c.name(), true);
        LOG.info("Scaled {} of {}: removed {}", service, project, c.name());
      }
    } else if (replicas > containers.size()) {
      Container source =
          containers.stream()
              .filter(c -> java.util.Objects.equals(c.hash(), newest.hash()))
              .max(Comparator.comparing(Container::running).thenComparingLong(Container::created))
              .orElse(newest);
      JsonNode inspect =
          reader
              .inspect(source.id())
              .orElseThrow(
                  () ->
                      new ConflictException(
                          "scaling service "
                              + service
                              + " of stack "
                              + project
                              + " failed: container "
                              + source.name()
                              + " vanished while it was copied; retry",
                          null));
      int next = containers.stream().mapToInt(Container::number).max().orElse(0) + 1;
      for (int i = containers.size(); i < replicas; i++) {
        CreateRequest request = ContainerMapper.cloneOf(inspect, project, next++, replicas);
        String id = ops.create(request);
        ops.start(id, request.name());
        LOG.info(
            "Scaled {} of {}: created {} (copied from {})",
            service,
            project,
            request.name(),
            source.name());
      }
    }
    state.updateReplicas(project, service, replicas, newest.hash(), mode);
    events.emit(
        new EventDetail.ServiceScaled(service, containers.size(), replicas, 0),
        service,
        "service " + service + " scaled to " + replicas + " replicas");
  }
}
