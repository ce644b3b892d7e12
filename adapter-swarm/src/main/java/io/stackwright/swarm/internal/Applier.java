package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.CreateNetworkCmd;
import com.github.dockerjava.api.model.Network;
import io.stackwright.api.ConflictException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.docker.internal.ContentDigest;
import io.stackwright.docker.internal.Engine;
import io.stackwright.swarm.internal.LiveStack.LiveFile;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import io.stackwright.swarm.internal.Resolution.Action;
import io.stackwright.swarm.internal.Resolution.FileItem;
import io.stackwright.swarm.internal.Resolution.NetworkItem;
import io.stackwright.swarm.internal.Resolution.ServiceItem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a plan's changes, in order, and nothing else. Before the first write it reads the stack
 * again and checks that every change still holds (a resource to create is still missing, a service
 * to update still has the planned version index, every secret and config a service will reference
 * exists or is created by the plan); any difference is a {@link ConflictException} with nothing
 * written. Service updates also send the planned version index, so a change that slips in between
 * the check and the write is rejected by the engine, again as a {@link ConflictException}.
 */
public final class Applier {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  private final Engine engine;
  private final Clock clock;
  private final ContentDigest digest;
  private final java.time.Duration dependencyTimeout;
  private final int versionsKept;

  public Applier(Engine engine, Clock clock, ContentDigest digest, int versionsKept) {
    this(engine, clock, digest, DEFAULT_DEPENDENCY_TIMEOUT, versionsKept);
  }

  /**
   * @param versionsKept how many earlier versions of each secret and config stay ({@link
   *     Resolution#resolve})
   */
  public Applier(
      Engine engine,
      Clock clock,
      ContentDigest digest,
      java.time.Duration dependencyTimeout,
      int versionsKept) {
    this.engine = engine;
    this.clock = clock;
    this.digest = digest;
    this.dependencyTimeout = dependencyTimeout;
    this.versionsKept = versionsKept;
  }

  /** How long a service waits for a dependency, as the single-engine platform's default. */
  public static final java.time.Duration DEFAULT_DEPENDENCY_TIMEOUT =
      java.time.Duration.ofMinutes(10);

  public void apply(StackSpec stack, Plan plan, EventListener events) {
    if (plan.isEmpty()) {
      return;
    }
    if (!plan.stack().equals(stack.name())) {
      throw new IllegalArgumentException(
          "the plan is for stack " + plan.stack() + ", not " + stack.name());
    }
    Resolution r =
        Resolution.resolve(
            stack, LiveStack.read(engine, stack.name()), engine.mapper(), digest, versionsKept);
    check(r, plan);

    Map<String, String> createdSecrets = new HashMap<>();
    Map<String, String> createdConfigs = new HashMap<>();
    // services are written in dependency order, each once its dependencies are as it asks
    List<Change> services = new java.util.ArrayList<>();
    for (Change change : plan.changes()) {
      if (change.kind() == ResourceKind.SERVICE && !(change instanceof Change.Delete)) {
        services.add(change);
        continue;
      }
      switch (change.kind()) {
        case NETWORK -> applyNetwork(r, change, events);
        case SECRET, CONFIG ->
            applyFile(
                r,
                change,
                change.kind() == ResourceKind.SECRET ? createdSecrets : createdConfigs,
                events);
        case SERVICE -> applyService(r, change, createdSecrets, createdConfigs, events);
        default -> throw new IllegalArgumentException("cannot apply " + change);
      }
    }
    DependencyGate gate = new DependencyGate(engine, clock, dependencyTimeout);
    for (Change change : DependencyGate.order(stack, services)) {
      gate.await(stack, stack.services().get(change.key()), events);
      applyService(r, change, createdSecrets, createdConfigs, events);
    }
    restartDependants(r, stack, services, gate, createdSecrets, createdConfigs, events);
  }

  /**
   * {@code depends_on.restart}: a dependant the plan leaves alone has its tasks replaced once a
   * dependency the plan updated is ready again.
   */
  private void restartDependants(
      Resolution r,
      StackSpec stack,
      List<Change> services,
      DependencyGate gate,
      Map<String, String> createdSecrets,
      Map<String, String> createdConfigs,
      EventListener events) {
    java.util.Set<String> written =
        services.stream().map(Change::key).collect(java.util.stream.Collectors.toSet());
    java.util.Set<String> updated =
        services.stream()
            .filter(c -> c instanceof Change.Update)
            .map(Change::key)
            .collect(java.util.stream.Collectors.toSet());
    for (io.stackwright.api.ServiceSpec dependant : stack.services().values()) {
      boolean restart =
          !written.contains(dependant.name())
              && dependant.dependsOn().entrySet().stream()
                  .anyMatch(d -> d.getValue().restart() && updated.contains(d.getKey()));
      ServiceItem item = r.services().get(dependant.name());
      if (!restart || item == null || item.live() == null) {
        continue;
      }
      gate.await(stack, dependant, events);
      LiveService live = item.live();
      com.github.dockerjava.api.model.ServiceSpec spec =
          ServiceConverter.convert(r.stack(), item.spec(), r.refs(createdSecrets, createdConfigs));
      keepFromLive(spec, live, item.spec().image());
      forceUpdate(
          "restarting service " + spec.getName() + " after its dependency was updated",
          spec,
          live.id(),
          live.version());
      events.onEvent(
          new OrchestratorEvent(
              clock.instant(),
              stack.name(),
              dependant.name(),
              "service "
                  + spec.getName()
                  + " was restarted because a dependency was updated (depends_on restart)",
              new EventDetail.ResourceUpdated(
                  EventDetail.Resource.SERVICE, spec.getName(), live.id(), "restarted")));
    }
  }

  // ------------------------------------------------------------------ checks before writing

  private void check(Resolution r, Plan plan) {
    String stack = r.stack().name();
    Set<String> createdSecretNames = new HashSet<>();
    Set<String> createdConfigNames = new HashSet<>();
    for (Change change : plan.changes()) {
      String what = change.kind().name().toLowerCase(Locale.ROOT) + " " + change.key();
      switch (change.kind()) {
        case NETWORK -> {
          NetworkItem n = r.networks().get(change.key());
          if (!(change instanceof Change.Create) || n == null || n.external()) {
            throw stale(stack, change, "the stack does not need to create " + what);
          }
          if (n.existing() != null) {
            throw stale(stack, change, "network " + n.name() + " exists already");
          }
        }
        case SECRET, CONFIG -> {
          Map<String, FileItem> items =
              change.kind() == ResourceKind.SECRET ? r.secrets() : r.configs();
          Set<String> created =
              change.kind() == ResourceKind.SECRET ? createdSecretNames : createdConfigNames;
          if (change instanceof Change.Delete) {
            continue;
          }
          FileItem f = items.get(change.key());
          if (f == null) {
            throw stale(stack, change, "the stack does not declare " + what);
          }
          boolean ok =
              switch (f.action()) {
                case CREATE -> change instanceof Change.Create;
                case NEW_VERSION ->
                    change instanceof Change.Update u
                        && u.fields().stream().anyMatch(c -> c.path().equals("Data"));
                case RELABEL ->
                    change instanceof Change.Update u && u.version() == f.existing().version();
                case KEEP -> false;
              };
          if (!ok) {
            throw stale(stack, change, what + " changed since the plan was made");
          }
          if (f.action() == Action.CREATE || f.action() == Action.NEW_VERSION) {
            created.add(f.name());
          }
        }
        case SERVICE -> {
          if (change instanceof Change.Delete) {
            continue;
          }
          ServiceItem s = r.services().get(change.key());
          if (s == null) {
            throw stale(stack, change, "the stack does not declare " + what);
          }
          if (change instanceof Change.Create && s.live() != null) {
            throw stale(stack, change, "service " + s.live().name() + " exists already");
          }
          if (change instanceof Change.Update u) {
            if (s.live() == null) {
              throw stale(stack, change, "service " + change.key() + " no longer exists");
            }
            if (s.live().version() != u.version()) {
              throw new ConflictException(
                  "updating service "
                      + s.live().name()
                      + " refused: it was changed by someone else since the plan was made"
                      + " (version "
                      + u.version()
                      + " planned, "
                      + s.live().version()
                      + " now); nothing was written, plan again and retry",
                  null);
            }
          }
        }
        default -> throw new IllegalArgumentException("cannot apply " + change);
      }
    }
    // every secret and config a service will reference must exist or be created by the plan
    for (Change change : plan.changes()) {
      if (change.kind() != ResourceKind.SERVICE || change instanceof Change.Delete) {
        continue;
      }
      ServiceItem s = r.services().get(change.key());
      for (var ref : s.spec().secrets()) {
        FileItem f = r.secrets().get(ref.source());
        if (f.existing() == null && !createdSecretNames.contains(f.name())) {
          throw stale(
              r.stack().name(),
              change,
              "secret " + f.name() + " does not exist and the plan does not create it");
        }
      }
      for (var ref : s.spec().configs()) {
        FileItem f = r.configs().get(ref.source());
        if (f.existing() == null && !createdConfigNames.contains(f.name())) {
          throw stale(
              r.stack().name(),
              change,
              "config " + f.name() + " does not exist and the plan does not create it");
        }
      }
    }
  }

  private static ConflictException stale(String stack, Change change, String why) {
    return new ConflictException(
        "the plan for stack "
            + stack
            + " no longer matches the engine ("
            + change
            + ": "
            + why
            + "); nothing was written, plan again",
        null);
  }

  // ------------------------------------------------------------------ networks

  private void applyNetwork(Resolution r, Change change, EventListener events) {
    NetworkItem n = r.networks().get(change.key());
    NetworkSpec spec = n.spec();
    String id =
        engine.call(
            "creating network " + n.name(),
            () -> {
              CreateNetworkCmd cmd =
                  engine
                      .docker()
                      .createNetworkCmd()
                      .withName(n.name())
                      .withDriver(spec.driver() == null ? "overlay" : spec.driver())
                      .withLabels(StackNames.withNamespace(r.stack().name(), spec.labels()))
                      .withCheckDuplicate(true);
              if (!spec.driverOptions().isEmpty()) {
                cmd.withOptions(spec.driverOptions());
              }
              if (spec.internal()) {
                cmd.withInternal(true);
              }
              if (spec.attachable()) {
                cmd.withAttachable(true);
              }
              if (!spec.subnets().isEmpty()) {
                List<Network.Ipam.Config> configs = new ArrayList<>();
                spec.subnets().forEach(s -> configs.add(new Network.Ipam.Config().withSubnet(s)));
                cmd.withIpam(new Network.Ipam().withConfig(configs));
              }
              return cmd.exec().getId();
            });
    emit(events, r, EventType.RESOURCE_CREATED, change, n.name(), id, "created");
  }

  // ------------------------------------------------------------------ secrets and configs

  private void applyFile(
      Resolution r, Change change, Map<String, String> created, EventListener events) {
    boolean secret = change.kind() == ResourceKind.SECRET;
    String what = secret ? "secret" : "config";
    if (change instanceof Change.Delete) {
      List<LiveFile> own = secret ? r.live().stackSecrets() : r.live().stackConfigs();
      Optional<LiveFile> target =
          own.stream()
              .filter(f -> StackNames.descope(r.stack().name(), f.name()).equals(change.key()))
              .findFirst();
      if (target.isEmpty()) {
        LOG.debug("{} {} of stack {} is gone already", what, change.key(), r.stack().name());
        return;
      }
      LiveFile f = target.get();
      engine.find(
          "removing " + what + " " + f.name(),
          () -> {
            if (secret) {
              engine.docker().removeSecretCmd(f.id()).exec();
            } else {
              engine.docker().removeConfigCmd(f.id()).exec();
            }
            return Boolean.TRUE;
          });
      emit(events, r, EventType.RESOURCE_DELETED, change, f.name(), f.id(), "removed");
      return;
    }
    FileItem f = (secret ? r.secrets() : r.configs()).get(change.key());
    if (f.action() == Action.RELABEL) {
      ObjectNode spec = JsonNodeFactory.instance.objectNode();
      spec.put("Name", f.existing().name());
      Map<String, String> labels = new TreeMap<>(f.labels());
      labels.remove(StackNames.CONTENT_HASH);
      String hash = r.contentHash(f.existing());
      if (hash != null) {
        labels.put(StackNames.CONTENT_HASH, hash);
      }
      spec.set("Labels", engine.mapper().valueToTree(labels));
      engine.post(
          "updating the labels of " + what + " " + f.existing().name(),
          "/" + what + "s/" + f.existing().id() + "/update?version=" + f.existing().version(),
          spec);
      emit(
          events,
          r,
          EventType.RESOURCE_UPDATED,
          change,
          f.existing().name(),
          f.existing().id(),
          "relabelled");
      return;
    }
    // CREATE or NEW_VERSION: a new object; the content is read here and nowhere else
    String id =
        engine.call(
            "creating " + what + " " + f.name(),
            () -> {
              // raw, and never through a logged transport: the body holds the content
              ObjectNode spec = JsonNodeFactory.instance.objectNode();
              spec.put("Name", f.name());
              spec.set("Labels", engine.mapper().valueToTree(f.labels()));
              spec.put("Data", Base64.getEncoder().encodeToString(f.content().bytes()));
              return engine
                  .postSensitive("creating " + what + " " + f.name(), "/" + what + "s/create", spec)
                  .path("ID")
                  .asText();
            });
    created.put(f.name(), id);
    emit(
        events,
        r,
        f.action() == Action.CREATE ? EventType.RESOURCE_CREATED : EventType.RESOURCE_UPDATED,
        change,
        f.name(),
        id,
        f.action() == Action.CREATE ? "created" : "created a new version of");
  }

  // ------------------------------------------------------------------ services

  private void applyService(
      Resolution r,
      Change change,
      Map<String, String> createdSecrets,
      Map<String, String> createdConfigs,
      EventListener events) {
    String stack = r.stack().name();
    if (change instanceof Change.Delete) {
      Optional<LiveService> target =
          r.orphans().stream()
              .filter(s -> StackNames.descope(stack, s.name()).equals(change.key()))
              .findFirst();
      if (target.isEmpty()) {
        LOG.debug("service {} of stack {} is gone already", change.key(), stack);
        return;
      }
      LiveService s = target.get();
      engine.find(
          "removing service " + s.name(),
          () -> {
            engine.docker().removeServiceCmd(s.id()).exec();
            return Boolean.TRUE;
          });
      emit(events, r, EventType.RESOURCE_DELETED, change, s.name(), s.id(), "removed");
      return;
    }
    ServiceItem item = r.services().get(change.key());
    com.github.dockerjava.api.model.ServiceSpec spec =
        ServiceConverter.convert(r.stack(), item.spec(), r.refs(createdSecrets, createdConfigs));
    String name = spec.getName();
    if (change instanceof Change.Create) {
      String id =
          engine.call(
              "creating service " + name,
              () -> engine.docker().createServiceCmd(spec).exec().getId());
      emit(events, r, EventType.RESOURCE_CREATED, change, name, id, "created");
      return;
    }
    Change.Update update = (Change.Update) change;
    LiveService live = item.live();
    keepFromLive(spec, live, item.spec().image());
    if (Resolution.onlyResumesPausedUpdate(update)) {
      // The spec is already the desired one. Writing it again was measured (Docker 20.10) to
      // resume the update only once the engine's paused updater has let go of it, a few seconds
      // after the pause; sooner, the engine clears the paused state and updates nothing more. A
      // forced update (docker service update --force) always starts a new one, which replaces
      // every task, the already updated ones too.
      forceUpdate(
          "resuming the paused update of service " + name, spec, live.id(), update.version());
      emit(events, r, EventType.RESOURCE_UPDATED, change, name, live.id(), "resumed the update of");
      return;
    }
    engine.run(
        "updating service " + name + " (version " + update.version() + ")",
        () ->
            engine.docker().updateServiceCmd(live.id(), spec).withVersion(update.version()).exec());
    emit(events, r, EventType.RESOURCE_UPDATED, change, name, live.id(), "updated");
  }

  /**
   * Writes {@code spec} with {@code ForceUpdate} one above what it holds, as {@code docker service
   * update --force} does: the engine replaces every task even where nothing else changed.
   */
  private void forceUpdate(
      String what, com.github.dockerjava.api.model.ServiceSpec spec, String id, long version) {
    Integer force = spec.getTaskTemplate().getForceUpdate();
    spec.getTaskTemplate().withForceUpdate(force == null ? 1 : force + 1);
    engine.run(what, () -> engine.docker().updateServiceCmd(id, spec).withVersion(version).exec());
  }

  /**
   * What the CLI keeps from the live spec: {@code ForceUpdate} (there is no {@code --force}), and
   * the digest-pinned image when the declared image is unchanged and the live one is it, pinned
   * (not an image put there by {@code docker service update --image}: a repair writes the declared
   * one).
   */
  static void keepFromLive(
      com.github.dockerjava.api.model.ServiceSpec spec, LiveService live, String declaredImage) {
    JsonNode task = live.spec().path("TaskTemplate");
    if (task.path("ForceUpdate").canConvertToInt()) {
      spec.getTaskTemplate().withForceUpdate(task.path("ForceUpdate").asInt());
    }
    String liveImage = task.path("ContainerSpec").path("Image").asText(null);
    if (liveImage != null
        && declaredImage.equals(live.labels().get(StackNames.IMAGE))
        && StackNames.isDeclaredImage(liveImage, declaredImage)) {
      spec.getTaskTemplate().getContainerSpec().withImage(liveImage);
    }
  }

  private void emit(
      EventListener events,
      Resolution r,
      EventType type,
      Change change,
      String name,
      String id,
      String verb) {
    String kind = change.kind().name().toLowerCase(Locale.ROOT);
    EventDetail.Resource resource = EventDetail.Resource.of(change.kind());
    EventDetail detail =
        switch (type) {
          case RESOURCE_CREATED -> new EventDetail.ResourceCreated(resource, name, id);
          case RESOURCE_DELETED -> new EventDetail.ResourceDeleted(resource, name, id);
          default -> new EventDetail.ResourceUpdated(resource, name, id, verb);
        };
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            r.stack().name(),
            change.key(),
            verb + " " + kind + " " + name,
            detail));
  }
}
