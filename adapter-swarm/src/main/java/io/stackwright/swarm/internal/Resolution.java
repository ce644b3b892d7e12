package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.docker.internal.ContentDigest;
import io.stackwright.swarm.internal.LiveStack.LiveFile;
import io.stackwright.swarm.internal.LiveStack.LiveNetwork;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a stack needs on the engine, given what is there: the engine name of every network, secret
 * and config, which of them to create, the desired spec of every service and how it differs from
 * the live one, and what is left over. Computed from one {@link LiveStack} read, by {@code plan}
 * and again by {@code apply} (which checks that the plan still holds).
 *
 * <h2>Secret and config versions</h2>
 *
 * Swarm secrets and configs are immutable (only labels can change), so a content change cannot be
 * written in place. A declared secret or config is therefore stored under {@code <stack>_<key>} (or
 * its {@code name:}) when it is first created, and when the declared content later differs, as a
 * <em>new</em> object named {@code <base>-<first 10 hex of its keyed hash>}; the services are
 * pointed at the new name, which also makes Swarm roll their tasks. Every object Stackwright
 * creates carries {@code io.stackwright.content-hash=hmac-sha256:<hex>}, so the current version is
 * found by hash. The hash is keyed ({@link ContentDigest}: HMAC-SHA256 under a key of the local
 * state), never a bare SHA-256: whoever can read the Engine API must not be able to test guesses of
 * a secret. An object labelled by an older Stackwright with a bare hash never matches, so its stack
 * gets one new version on the first deploy after the upgrade. Configs are also compared by their
 * data (the engine returns it), so configs created by the CLI are matched exactly. A secret created
 * by the CLI (no hash label; the engine never returns secret data) is assumed to hold the declared
 * content: nothing can tell otherwise.
 *
 * <p>Of each declared secret or config, the versions a service's spec or previous spec uses
 * (Swarm's rollback returns to it) stay, and with {@code versionsKept} above 1 that many less one
 * of the newest unused ones; the rest are deleted. With the default (1), after a content change the
 * previous version stays until the next deploy that changes the service again.
 */
public final class Resolution {

  /** What happens to a declared secret or config. */
  public enum Action {
    /** The current version exists as declared. */
    KEEP,
    /** Nothing exists for the key: create it under its base name. */
    CREATE,
    /** Another content exists: create a new, hash-suffixed version. */
    NEW_VERSION,
    /** The current version exists, with other labels: update its labels. */
    RELABEL
  }

  /** A network a service uses. */
  public record NetworkItem(
      String key, String name, NetworkSpec spec, boolean external, LiveNetwork existing) {}

  /** A declared secret or config. */
  public record FileItem(
      ResourceKind kind,
      String key,
      String name,
      boolean external,
      FileContent content,
      Map<String, String> labels,
      Action action,
      LiveFile existing,
      LiveFile previous,
      List<FieldChange> labelChanges) {}

  /** A declared service. */
  public record ServiceItem(
      String key,
      ServiceSpec spec,
      LiveService live,
      com.github.dockerjava.api.model.ServiceSpec desired,
      List<FieldChange> changes) {}

  private final StackSpec stack;
  private final LiveStack live;
  private final ObjectMapper mapper;
  private final ContentDigest digest;
  private final Map<String, NetworkItem> networks = new LinkedHashMap<>();
  private final Map<String, FileItem> secrets = new LinkedHashMap<>();
  private final Map<String, FileItem> configs = new LinkedHashMap<>();
  private final Map<String, ServiceItem> services = new LinkedHashMap<>();
  private final List<LiveService> orphans = new ArrayList<>();
  private final List<LiveFile> unusedSecrets = new ArrayList<>();
  private final List<LiveFile> unusedConfigs = new ArrayList<>();
  private final List<SpecProblem> problems = new ArrayList<>();
  // the base name of each declared secret or config (by kind) and the version this deploy uses
  private final Map<ResourceKind, Map<String, String>> declaredBases =
      new java.util.EnumMap<>(ResourceKind.class);
  private final int versionsKept;

  private Resolution(
      StackSpec stack,
      LiveStack live,
      ObjectMapper mapper,
      ContentDigest digest,
      int versionsKept) {
    this.stack = stack;
    this.live = live;
    this.mapper = mapper;
    this.digest = digest;
    this.versionsKept = versionsKept;
  }

  /**
   * Resolves {@code stack} against {@code live}.
   *
   * @param mapper docker-java's mapper, to turn its model into JSON trees
   * @param digest the keyed hash that versions secret and config contents
   * @param versionsKept how many versions back of each declared secret or config stay for a
   *     rollback, 1 or more: 1 keeps those the services' specs and previous specs use (Swarm's own
   *     rollback returns to the previous spec), each more one more of the newest unused ones; the
   *     rest are removed
   * @throws InvalidSpecException when the stack cannot be deployed here (a missing external
   *     resource, a name taken by an object of another stack)
   */
  public static Resolution resolve(
      StackSpec stack,
      LiveStack live,
      ObjectMapper mapper,
      ContentDigest digest,
      int versionsKept) {
    if (versionsKept < 1) {
      throw new IllegalArgumentException("versionsKept must be 1 or more, was " + versionsKept);
    }
    Resolution r = new Resolution(stack, live, mapper, digest, versionsKept);
    r.resolveNetworks();
    stack.secrets().values().forEach(s -> r.resolveFile(ResourceKind.SECRET, s));
    stack.configs().values().forEach(c -> r.resolveFile(ResourceKind.CONFIG, c));
    if (!r.problems.isEmpty()) {
      throw new InvalidSpecException(r.problems);
    }
    r.resolveServices();
    r.resolveUnused();
    return r;
  }

  // ------------------------------------------------------------------ networks

  private void resolveNetworks() {
    for (ServiceSpec service : stack.services().values()) {
      for (ServiceNetwork sn : StackSpec.effectiveNetworks(service)) {
        if (networks.containsKey(sn.network())) {
          continue;
        }
        NetworkSpec spec = stack.networks().get(sn.network());
        if (spec == null) {
          spec = NetworkSpec.of(sn.network());
        }
        String name = ServiceConverter.networkName(stack, sn.network());
        Optional<LiveNetwork> existing = live.network(name);
        if (spec.external()) {
          checkExternalNetwork(spec, name, existing);
          networks.put(
              sn.network(), new NetworkItem(sn.network(), name, spec, true, existing.orElse(null)));
        } else {
          LiveNetwork own = existing.filter(n -> n.inNamespace(stack.name())).orElse(null);
          if (own == null && existing.isPresent()) {
            problems.add(
                SpecProblem.at(
                    "networks." + sn.network(),
                    "network \""
                        + name
                        + "\" exists but does not belong to stack "
                        + stack.name()
                        + " (no label "
                        + StackNames.NAMESPACE
                        + "="
                        + stack.name()
                        + "); remove it, or declare it external"));
          }
          networks.put(sn.network(), new NetworkItem(sn.network(), name, spec, false, own));
        }
      }
    }
  }

  private void checkExternalNetwork(NetworkSpec spec, String name, Optional<LiveNetwork> existing) {
    if (!ServiceConverter.isUserDefined(name)) {
      return;
    }
    if (existing.isEmpty()) {
      problems.add(
          SpecProblem.at(
              "networks." + spec.key(),
              "network \""
                  + name
                  + "\" is declared as external, but could not be found. You need to create a"
                  + " swarm-scoped network before the stack is deployed"));
    } else if (!"swarm".equals(existing.get().scope())) {
      problems.add(
          SpecProblem.at(
              "networks." + spec.key(),
              "network \""
                  + name
                  + "\" is declared as external, but it is not in the right scope: \""
                  + existing.get().scope()
                  + "\" instead of \"swarm\""));
    }
  }

  // ------------------------------------------------------------------ secrets and configs

  private void resolveFile(ResourceKind kind, Object declared) {
    String key;
    String explicitName;
    boolean external;
    FileContent content;
    Map<String, String> declaredLabels;
    if (declared instanceof SecretSpec s) {
      key = s.key();
      explicitName = s.name();
      external = s.external();
      content = s.content();
      declaredLabels = s.labels();
    } else {
      ConfigSpec c = (ConfigSpec) declared;
      key = c.key();
      explicitName = c.name();
      external = c.external();
      content = c.content();
      declaredLabels = c.labels();
    }
    String what = kind == ResourceKind.SECRET ? "secret" : "config";
    String path = what + "s." + key;
    List<LiveFile> all = kind == ResourceKind.SECRET ? live.secrets() : live.configs();
    Map<String, FileItem> items = kind == ResourceKind.SECRET ? secrets : configs;

    if (external) {
      String name = explicitName != null ? explicitName : key;
      Optional<LiveFile> existing = all.stream().filter(f -> f.name().equals(name)).findFirst();
      if (existing.isEmpty()) {
        problems.add(
            SpecProblem.at(
                path,
                what
                    + " \""
                    + name
                    + "\" is declared as external, but could not be found; create it first"
                    + " (docker "
                    + what
                    + " create "
                    + name
                    + " ...)"));
      }
      items.put(
          key,
          new FileItem(
              kind,
              key,
              name,
              true,
              null,
              Map.of(),
              Action.KEEP,
              existing.orElse(null),
              null,
              List.of()));
      return;
    }

    String base = explicitName != null ? explicitName : StackNames.scope(stack.name(), key);
    Map<String, String> bases = declaredBases.computeIfAbsent(kind, k -> new LinkedHashMap<>());
    String hash = digest.of(content);
    Map<String, String> labels = StackNames.withNamespace(stack.name(), declaredLabels);
    labels.put(StackNames.CONTENT_HASH, hash);

    List<LiveFile> versions =
        all.stream()
            .filter(f -> f.inNamespace(stack.name()) && StackNames.isVersionOf(base, f.name()))
            .sorted(Comparator.comparing((LiveFile f) -> f.name().equals(base) ? 0 : 1))
            .toList();
    LiveFile match = null;
    for (LiveFile f : versions) {
      if (hash.equals(contentHash(f))) {
        match = f;
        break;
      }
    }
    if (match == null && kind == ResourceKind.SECRET) {
      // created by the CLI: no hash label, and the engine never returns a secret's data
      match =
          versions.stream()
              .filter(
                  f -> f.name().equals(base) && !f.labels().containsKey(StackNames.CONTENT_HASH))
              .findFirst()
              .orElse(null);
    }
    if (match != null) {
      List<FieldChange> labelChanges = labelChanges(match.labels(), labels);
      items.put(
          key,
          new FileItem(
              kind,
              key,
              match.name(),
              false,
              content,
              labels,
              labelChanges.isEmpty() ? Action.KEEP : Action.RELABEL,
              match,
              null,
              labelChanges));
      bases.put(base, match.name());
      return;
    }
    Action action;
    String name;
    if (all.stream().noneMatch(f -> f.name().equals(base))) {
      action = Action.CREATE;
      name = base;
    } else {
      action = Action.NEW_VERSION;
      name = StackNames.versioned(base, ContentDigest.hex(hash));
      if (versions.stream().noneMatch(f -> f.name().equals(base))) {
        problems.add(
            SpecProblem.at(
                path,
                what
                    + " \""
                    + base
                    + "\" exists but does not belong to stack "
                    + stack.name()
                    + " (no label "
                    + StackNames.NAMESPACE
                    + "="
                    + stack.name()
                    + "); remove it, or declare it external"));
      }
    }
    String taken = name;
    if (action == Action.NEW_VERSION && all.stream().anyMatch(f -> f.name().equals(taken))) {
      problems.add(
          SpecProblem.at(
              path, what + " \"" + name + "\" exists already with other content; remove it first"));
    }
    items.put(
        key,
        new FileItem(
            kind,
            key,
            name,
            false,
            content,
            labels,
            action,
            null,
            action == Action.NEW_VERSION ? currentVersion(kind, base, versions) : null,
            List.of()));
    bases.put(base, name);
  }

  /** The version the live services use now, for showing what a new version replaces. */
  private LiveFile currentVersion(ResourceKind kind, String base, List<LiveFile> versions) {
    String field = kind == ResourceKind.SECRET ? "SecretName" : "ConfigName";
    String list = kind == ResourceKind.SECRET ? "Secrets" : "Configs";
    for (LiveService s : live.services()) {
      for (JsonNode ref : s.spec().path("TaskTemplate").path("ContainerSpec").path(list)) {
        String name = ref.path(field).asText();
        if (StackNames.isVersionOf(base, name)) {
          for (LiveFile f : versions) {
            if (f.name().equals(name)) {
              return f;
            }
          }
        }
      }
    }
    return versions.isEmpty() ? null : versions.get(0);
  }

  /** Label differences, ignoring the content hash (an adopted CLI object has none). */
  private static List<FieldChange> labelChanges(
      Map<String, String> before, Map<String, String> after) {
    Map<String, String> b = new TreeMap<>(before);
    Map<String, String> a = new TreeMap<>(after);
    b.remove(StackNames.CONTENT_HASH);
    a.remove(StackNames.CONTENT_HASH);
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode beforeTree = JsonNodeFactory.instance.objectNode();
    beforeTree.set("Labels", mapper.valueToTree(b));
    ObjectNode afterTree = JsonNodeFactory.instance.objectNode();
    afterTree.set("Labels", mapper.valueToTree(a));
    return TreeDiff.diff(beforeTree, afterTree);
  }

  /**
   * The keyed hash of a live object's content: its label, or for a config without one (created by
   * the CLI) the keyed hash of the data the engine returned. {@code null} for an unlabelled secret.
   */
  String contentHash(LiveFile f) {
    String label = f.labels().get(StackNames.CONTENT_HASH);
    if (label != null) {
      return label;
    }
    if (f.data() != null) {
      return digest.of(Base64.getDecoder().decode(f.data()));
    }
    return null;
  }

  // ------------------------------------------------------------------ services

  /**
   * A service whose spec is the desired one but whose rolling update the engine paused (a task
   * failed: {@code failure_action: pause}, the engine's default) does not run it: only some tasks
   * were replaced, and nothing more happens until the service is written again. Writing the same
   * spec resumes the update (as {@code docker service update <service>} does), so the plan shows it
   * as a change and the deploy converges, or fails again for the same reason, now reported.
   */
  private static List<FieldChange> pausedUpdate(LiveService live) {
    String state = live.tree().path("UpdateStatus").path("State").asText("");
    if (state.equals("paused") || state.equals("rollback_paused")) {
      return List.of(new FieldChange(PAUSED_UPDATE_FIELD, state, "completed"));
    }
    return List.of();
  }

  private static final String PAUSED_UPDATE_FIELD = "UpdateStatus.State";

  /** The update only resumes a paused rolling update: the spec is already the desired one. */
  static boolean onlyResumesPausedUpdate(Change.Update update) {
    return update.fields().size() == 1 && update.fields().get(0).path().equals(PAUSED_UPDATE_FIELD);
  }

  private void resolveServices() {
    ServiceConverter.FileRefs refs = refs(Map.of(), Map.of());
    for (ServiceSpec service : stack.services().values()) {
      String name = StackNames.scope(stack.name(), service.name());
      LiveService liveService = live.service(name).orElse(null);
      com.github.dockerjava.api.model.ServiceSpec desired =
          ServiceConverter.convert(stack, service, refs);
      List<FieldChange> changes = List.of();
      if (liveService != null) {
        changes = diff(desired, liveService);
        if (changes.isEmpty()) {
          changes = pausedUpdate(liveService);
        }
      }
      services.put(
          service.name(), new ServiceItem(service.name(), service, liveService, desired, changes));
    }
    for (LiveService s : live.services()) {
      String key = StackNames.descope(stack.name(), s.name());
      if (!stack.services().containsKey(key)
          || !s.name().equals(StackNames.scope(stack.name(), key))) {
        orphans.add(s);
      }
    }
  }

  /** The changes from the live spec to the desired one, after normalization of both. */
  List<FieldChange> diff(com.github.dockerjava.api.model.ServiceSpec desired, LiveService current) {
    JsonNode desiredTree =
        SpecNormalizer.service(mapper.valueToTree(desired), live::networkName, false);
    JsonNode liveTree = SpecNormalizer.service(current.spec(), live::networkName, true);
    return TreeDiff.diff(liveTree, desiredTree);
  }

  /**
   * Engine names and ids for conversion: names from this resolution; ids from the live objects,
   * then from {@code createdSecrets}/{@code createdConfigs} (name to id) for those created since.
   */
  public ServiceConverter.FileRefs refs(
      Map<String, String> createdSecrets, Map<String, String> createdConfigs) {
    return new ServiceConverter.FileRefs() {
      @Override
      public String secretName(String key) {
        return secrets.get(key).name();
      }

      @Override
      public String secretId(String name) {
        return id(name, live.secrets(), createdSecrets);
      }

      @Override
      public String configName(String key) {
        return configs.get(key).name();
      }

      @Override
      public String configId(String name) {
        return id(name, live.configs(), createdConfigs);
      }
    };
  }

  private static String id(String name, List<LiveFile> files, Map<String, String> created) {
    if (created.containsKey(name)) {
      return created.get(name);
    }
    return files.stream()
        .filter(f -> f.name().equals(name))
        .map(LiveFile::id)
        .findFirst()
        .orElse(null);
  }

  // ------------------------------------------------------------------ leftovers

  private void resolveUnused() {
    Set<String> referencedSecrets = new HashSet<>();
    Set<String> referencedConfigs = new HashSet<>();
    secrets.values().forEach(f -> referencedSecrets.add(f.name()));
    configs.values().forEach(f -> referencedConfigs.add(f.name()));
    for (ServiceItem item : services.values()) {
      if (item.live() == null) {
        continue;
      }
      // After this deploy the engine keeps, as PreviousSpec (what a rollback returns to), the
      // live spec of a changed service, or the live PreviousSpec of an unchanged one.
      JsonNode previousAfterDeploy =
          item.changes().isEmpty() ? item.live().previousSpec() : item.live().spec();
      collectRefs(previousAfterDeploy, referencedSecrets, referencedConfigs);
      collectRefs(item.live().spec(), referencedSecrets, referencedConfigs);
    }
    unusedSecrets.addAll(unused(ResourceKind.SECRET, live.stackSecrets(), referencedSecrets));
    unusedConfigs.addAll(unused(ResourceKind.CONFIG, live.stackConfigs(), referencedConfigs));
    unusedSecrets.sort(Comparator.comparing(LiveFile::name));
    unusedConfigs.sort(Comparator.comparing(LiveFile::name));
  }

  /**
   * The files of the stack to remove: every one nothing references that is no version of a declared
   * secret or config, and, of each declared one's earlier versions nothing references, all but the
   * {@code versionsKept - 1} newest (those referenced always stay: the engine needs them for the
   * services and their rollback).
   */
  private List<LiveFile> unused(ResourceKind kind, List<LiveFile> files, Set<String> referenced) {
    Map<String, String> bases = declaredBases.getOrDefault(kind, Map.of());
    Map<String, List<LiveFile>> earlier = new LinkedHashMap<>();
    List<LiveFile> unused = new ArrayList<>();
    for (LiveFile f : files) {
      String base =
          bases.keySet().stream()
              .filter(b -> StackNames.isVersionOf(b, f.name()))
              .findFirst()
              .orElse(null);
      if (base != null && !f.name().equals(bases.get(base))) {
        earlier.computeIfAbsent(base, b -> new ArrayList<>()).add(f);
      } else if (!referenced.contains(f.name())) {
        unused.add(f);
      }
    }
    for (List<LiveFile> versions : earlier.values()) {
      // the engine's version index grows with every write, so the newest object has the highest
      List<LiveFile> newestFirst =
          versions.stream().sorted(Comparator.comparingLong(LiveFile::version).reversed()).toList();
      int kept = 0;
      for (LiveFile f : newestFirst) {
        if (referenced.contains(f.name())) {
          continue;
        }
        if (kept < versionsKept - 1) {
          kept++;
        } else {
          unused.add(f);
        }
      }
    }
    return unused;
  }

  private static void collectRefs(JsonNode spec, Set<String> secrets, Set<String> configs) {
    JsonNode container = spec.path("TaskTemplate").path("ContainerSpec");
    container.path("Secrets").forEach(s -> secrets.add(s.path("SecretName").asText()));
    container.path("Configs").forEach(c -> configs.add(c.path("ConfigName").asText()));
  }

  // ------------------------------------------------------------------ the plan

  /** The plan: networks, secrets, configs, services, then orphan services, secrets, configs. */
  public Plan plan() {
    List<Change> changes = new ArrayList<>();
    for (NetworkItem n : networks.values()) {
      if (!n.external() && n.existing() == null) {
        changes.add(new Change.Create(ResourceKind.NETWORK, n.key()));
      }
    }
    fileChanges(secrets.values(), changes);
    fileChanges(configs.values(), changes);
    for (ServiceItem s : services.values()) {
      if (s.live() == null) {
        changes.add(new Change.Create(ResourceKind.SERVICE, s.key()));
      } else if (!s.changes().isEmpty()) {
        changes.add(
            new Change.Update(
                ResourceKind.SERVICE,
                s.key(),
                s.changes(),
                s.live().version(),
                s.live().updatedAt()));
      }
    }
    for (LiveService s : orphans) {
      changes.add(
          new Change.Delete(ResourceKind.SERVICE, StackNames.descope(stack.name(), s.name())));
    }
    for (LiveFile f : unusedSecrets) {
      changes.add(
          new Change.Delete(ResourceKind.SECRET, StackNames.descope(stack.name(), f.name())));
    }
    for (LiveFile f : unusedConfigs) {
      changes.add(
          new Change.Delete(ResourceKind.CONFIG, StackNames.descope(stack.name(), f.name())));
    }
    return new Plan(stack.name(), changes);
  }

  private void fileChanges(Iterable<FileItem> items, List<Change> changes) {
    for (FileItem f : items) {
      switch (f.action()) {
        case CREATE -> changes.add(new Change.Create(f.kind(), f.key()));
        case NEW_VERSION -> {
          List<FieldChange> fields = new ArrayList<>();
          fields.add(contentChange(f));
          // the version the services use now: when it was written is when the live content was
          changes.add(
              new Change.Update(
                  f.kind(),
                  f.key(),
                  fields,
                  0,
                  f.previous() == null ? null : f.previous().updatedAt()));
        }
        case RELABEL ->
            changes.add(
                new Change.Update(
                    f.kind(),
                    f.key(),
                    f.labelChanges(),
                    f.existing().version(),
                    f.existing().updatedAt()));
        case KEEP -> {}
        default -> throw new IllegalStateException("unknown action " + f.action());
      }
    }
  }

  /** Secrets show no values at all; configs show the keyed content hashes. */
  private FieldChange contentChange(FileItem f) {
    if (f.kind() == ResourceKind.SECRET) {
      return new FieldChange("Data", FieldChange.REDACTED, FieldChange.REDACTED);
    }
    String before = f.previous() == null ? null : contentHash(f.previous());
    return new FieldChange("Data", before, digest.of(f.content()));
  }

  // ------------------------------------------------------------------ accessors

  public StackSpec stack() {
    return stack;
  }

  public LiveStack live() {
    return live;
  }

  public Map<String, NetworkItem> networks() {
    return networks;
  }

  public Map<String, FileItem> secrets() {
    return secrets;
  }

  public Map<String, FileItem> configs() {
    return configs;
  }

  public Map<String, ServiceItem> services() {
    return services;
  }

  public List<LiveService> orphans() {
    return orphans;
  }

  public List<LiveFile> unusedSecrets() {
    return unusedSecrets;
  }

  public List<LiveFile> unusedConfigs() {
    return unusedConfigs;
  }
}
