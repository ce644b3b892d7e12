package io.stackwright.loader.internal;

import io.stackwright.api.DependsOn;
import io.stackwright.api.DeviceRequest;
import io.stackwright.api.FileReference;
import io.stackwright.api.GenericResource;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.LoggingSpec;
import io.stackwright.api.MountSpec;
import io.stackwright.api.Placement;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.Ulimit;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import io.stackwright.loader.internal.References.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Converts one entry of {@code services} into a {@link ServiceSpec}. */
final class ServiceConverter extends NodeReader {

  /** Keys the stack model represents. */
  static final Set<String> SUPPORTED =
      Set.of(
          "image",
          "build",
          "command",
          "entrypoint",
          "environment",
          "env_file",
          "labels",
          "deploy",
          "ports",
          "networks",
          "volumes",
          "tmpfs",
          "secrets",
          "configs",
          "healthcheck",
          "restart",
          "user",
          "working_dir",
          "hostname",
          "read_only",
          "cap_add",
          "cap_drop",
          "security_opt",
          "stop_signal",
          "stop_grace_period",
          "init",
          "ulimits",
          "sysctls",
          "logging",
          "depends_on",
          "extra_hosts",
          "scale",
          "profiles",
          "cpus",
          "mem_limit",
          "mem_reservation",
          "pids_limit",
          "extends");

  /** Keys of the Compose specification the stack model cannot represent: a warning, no error. */
  static final Set<String> IGNORED =
      Set.of(
          "annotations",
          "attach",
          "blkio_config",
          "cgroup",
          "cgroup_parent",
          "cgroupns_mode",
          "container_name",
          "cpu_count",
          "cpu_percent",
          "cpu_period",
          "cpu_quota",
          "cpu_rt_period",
          "cpu_rt_runtime",
          "cpu_shares",
          "cpuset",
          "credential_spec",
          "develop",
          "device_cgroup_rules",
          "devices",
          "dns",
          "dns_opt",
          "dns_search",
          "domainname",
          "expose",
          "external_links",
          "gpus",
          "group_add",
          "ipc",
          "isolation",
          "label_file",
          "links",
          "mac_address",
          "mem_swappiness",
          "memswap_limit",
          "models",
          "network_mode",
          "oom_kill_disable",
          "oom_score_adj",
          "pid",
          "platform",
          "post_start",
          "pre_start",
          "pre_stop",
          "privileged",
          "provider",
          "pull_policy",
          "runtime",
          "shm_size",
          "stdin_open",
          "storage_opt",
          "tty",
          "use_api_socket",
          "userns_mode",
          "uts",
          "volume_driver",
          "volumes_from");

  private static final Set<String> DEPLOY_KEYS =
      Set.of(
          "mode",
          "replicas",
          "labels",
          "resources",
          "placement",
          "update_config",
          "rollback_config",
          "restart_policy",
          "endpoint_mode");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private final LoadContext context;
  private final References references;
  private final PortParser ports;
  private final MountParser mounts;
  private final Set<String> providers;

  /**
   * @param providers the services run by a {@code provider} (not containers): no image needed, left
   *     out of the stack and of its dependencies
   */
  ServiceConverter(LoadContext context, References references, Set<String> providers) {
    super(context.diagnostics());
    this.context = context;
    this.references = references;
    this.providers = providers;
    this.ports = new PortParser(context.diagnostics());
    this.mounts = new MountParser(context.diagnostics(), context.workingDir(), context.home());
  }

  /** The service, or {@code null} when it has problems (they are recorded). */
  ServiceSpec convert(Entry entry) {
    String name = entry.key();
    String path = child("services", name);
    int before = diagnostics.problemCount();
    if (!NAME.matcher(name).matches()) {
      diagnostics.problem(
          entry.keyLocation(),
          path,
          "service name '"
              + name
              + "' must start with a letter or digit and contain only letters, digits, '_', '.' or '-'");
    }
    MapNode service = mapping(entry.value(), path);
    if (service == null) {
      return null;
    }
    checkKeys(service, path, SUPPORTED, IGNORED, true);
    String image = string(service.get("image"), child(path, "image"));
    if (image != null && image.isBlank()) {
      problem(service.get("image"), child(path, "image"), "image must not be empty");
      image = null;
    } else if (image == null && !isNull(service.get("build"))) {
      // the image docker compose would build and tag
      image = context.projectName() + "-" + name;
      diagnostics.warn(
          service.entry("build").keyLocation(),
          child(path, "build"),
          "Stackwright does not build images; the service uses the image "
              + image
              + " (the name docker compose builds it under), which must exist");
    } else if (image != null && !isNull(service.get("build"))) {
      diagnostics.warn(
          service.entry("build").keyLocation(),
          child(path, "build"),
          "Stackwright does not build images; the service uses the image " + image + " as it is");
    } else if (image == null && !isNull(service.get("provider"))) {
      diagnostics.warn(
          service.entry("provider").keyLocation(),
          child(path, "provider"),
          "a service run by a provider is not a container: it stays in the model but is not part of the stack");
      return null;
    } else if (image == null) {
      diagnostics.problem(
          entry.keyLocation(),
          path,
          "service \"" + name + "\" has neither an image nor a build context specified");
    }
    if (!isNull(service.get("network_mode")) && !isNull(service.get("networks"))) {
      diagnostics.problem(
          service.entry("networks").keyLocation(),
          child(path, "networks"),
          "service " + name + " declares mutually exclusive `network_mode` and `networks`");
    }
    serviceReferences(service, name, path);
    ServiceSpec.Builder b = ServiceSpec.builder(name, image == null ? "unset" : image);

    commandLike(service, "command", path, b::command);
    commandLike(service, "entrypoint", path, b::entrypoint);
    b.environment(environment(service, path));
    labelFiles(service, path).forEach(b::label);
    labels(service.get("labels"), child(path, "labels")).forEach(b::label);
    for (PortSpec port : ports(service, name, path)) {
      b.port(port);
    }
    networks(service, name, path).forEach(b::network);
    mountsOf(service, name, path).forEach(b::mount);
    fileReferences(service, "secrets", Kind.SECRET, name, path).forEach(b::secret);
    fileReferences(service, "configs", Kind.CONFIG, name, path).forEach(b::config);
    HealthcheckSpec healthcheck =
        healthcheck(service.get("healthcheck"), child(path, "healthcheck"));
    if (healthcheck != null) {
      b.healthcheck(healthcheck);
    }
    deploy(service, path, b);
    b.user(string(service.get("user"), child(path, "user")));
    b.workingDir(string(service.get("working_dir"), child(path, "working_dir")));
    b.hostname(string(service.get("hostname"), child(path, "hostname")));
    Boolean readOnly = bool(service.get("read_only"), child(path, "read_only"));
    b.readOnly(Boolean.TRUE.equals(readOnly));
    optionalList(service, "cap_add", path).forEach(b::capAdd);
    optionalList(service, "cap_drop", path).forEach(b::capDrop);
    optionalList(service, "security_opt", path).forEach(b::securityOpt);
    b.stopSignal(string(service.get("stop_signal"), child(path, "stop_signal")));
    b.stopGracePeriod(duration(service.get("stop_grace_period"), child(path, "stop_grace_period")));
    b.init(bool(service.get("init"), child(path, "init")));
    ulimits(service.get("ulimits"), child(path, "ulimits")).forEach(b::ulimit);
    sysctls(service.get("sysctls"), child(path, "sysctls")).forEach(b::sysctl);
    LoggingSpec logging = logging(service.get("logging"), child(path, "logging"));
    if (logging != null) {
      b.logging(logging);
    }
    dependsOn(service, name, path).forEach(b::dependsOn);
    extraHosts(service.get("extra_hosts"), child(path, "extra_hosts")).forEach(b::extraHost);
    for (Entry e : service.entries().values()) {
      if (e.key().startsWith("x-")) {
        b.extension(e.key(), Node.toPlain(e.value()));
      }
    }
    Node stackwright = service.get(StackwrightExtensionReader.KEY);
    if (stackwright != null) {
      new StackwrightExtensionReader(diagnostics)
          .read(stackwright, child(path, StackwrightExtensionReader.KEY), b);
    }
    boolean failed =
        image == null || diagnostics.problemCount() > before || diagnostics.failedUnder(path);
    // built even so, for the model's own checks of what did load (the image reference, say)
    ServiceSpec built = guard(service, path, b::build);
    return failed ? null : built;
  }

  /**
   * {@code links}, {@code volumes_from} and {@code service:} modes name other services, which must
   * exist.
   */
  private void serviceReferences(MapNode service, String name, String path) {
    if (service.get("links") instanceof ListNode links) {
      for (int i = 0; i < links.items().size(); i++) {
        if (links.items().get(i) instanceof ScalarNode s && !s.isNull()) {
          references.add(
              name,
              Kind.SERVICE,
              s.text().split(":", 2)[0],
              s.location(),
              index(child(path, "links"), i));
        }
      }
    }
    if (service.get("volumes_from") instanceof ListNode from) {
      for (int i = 0; i < from.items().size(); i++) {
        if (from.items().get(i) instanceof ScalarNode s
            && !s.isNull()
            && !s.text().startsWith("container:")) {
          references.add(
              name,
              Kind.SERVICE,
              s.text().split(":", 2)[0],
              s.location(),
              index(child(path, "volumes_from"), i));
        }
      }
    }
    for (String key : List.of("network_mode", "ipc", "pid")) {
      if (service.get(key) instanceof ScalarNode s
          && !s.isNull()
          && s.text().startsWith("service:")) {
        references.add(
            name,
            Kind.SERVICE,
            s.text().substring("service:".length()),
            s.location(),
            child(path, key));
      }
    }
  }

  private void commandLike(
      MapNode service, String key, String path, java.util.function.Consumer<List<String>> set) {
    Node node = service.get(key);
    if (isNull(node)) {
      return;
    }
    String at = child(path, key);
    if (node instanceof ScalarNode scalar) {
      try {
        set.accept(ShellWords.split(scalar.text()));
      } catch (IllegalArgumentException e) {
        problem(node, at, "unterminated quote in " + key);
      }
      return;
    }
    List<String> words = stringList(node, at);
    if (words != null) {
      set.accept(words);
    }
  }

  // ---------------------------------------------------------------- environment, labels

  private Map<String, String> environment(MapNode service, String path) {
    Map<String, String> env = new TreeMap<>();
    Node envFiles = service.get("env_file");
    if (!isNull(envFiles)) {
      String at = child(path, "env_file");
      List<Node> items = envFiles instanceof ListNode list ? list.items() : List.of(envFiles);
      for (int i = 0; i < items.size(); i++) {
        envFile(items.get(i), envFiles instanceof ListNode ? index(at, i) : at, env);
      }
    }
    String at = child(path, "environment");
    listOrMap(service.get("environment"), at)
        .forEach(
            (key, value) -> {
              if (value != null) {
                env.put(key, value);
              } else {
                String inherited = context.environment().apply(key);
                if (inherited != null && charge(inherited, service.get("environment"), at)) {
                  env.put(key, inherited);
                }
              }
            });
    return env;
  }

  private void envFile(Node item, String at, Map<String, String> env) {
    String file;
    boolean required = true;
    boolean raw = false;
    if (item instanceof MapNode map) {
      checkKeys(map, at, Set.of("path", "required", "format"), Set.of(), false);
      file = requiredString(map.get("path"), child(at, "path"), map, "path");
      Boolean req = bool(map.get("required"), child(at, "required"));
      required = req == null || req;
      String format = string(map.get("format"), child(at, "format"));
      if (format != null && !format.equals("raw")) {
        problem(
            map.get("format"),
            child(at, "format"),
            "format must be raw, not " + quoted(map.get("format")));
      }
      raw = "raw".equals(format);
    } else {
      file = string(item, at);
    }
    if (file == null) {
      return;
    }
    Path resolved = context.workingDir().resolve(expandHome(file)).normalize();
    String content =
        context.files().text(resolved, "env file", item.location(), at, true, !required);
    if (content != null) {
      Map<String, String> values =
          DotEnv.parse(
              resolved.toString(),
              content,
              raw,
              context.environment(),
              false,
              diagnostics,
              context.budget());
      values.forEach((k, v) -> charge(v, item, at));
      env.putAll(values);
    }
  }

  /**
   * Counts a value the model holds once more (an env file's or the environment's value used by a
   * service) against the load's budget; false after reporting the limit.
   */
  private boolean charge(String value, Node at, String path) {
    if (value == null || context.budget().chars(value.length())) {
      return true;
    }
    context
        .budget()
        .report(
            diagnostics,
            at == null ? null : at.location(),
            path,
            "the model grows past "
                + context.budget().limits().maxModelChars()
                + " characters with environment values"
                + LoadBudget.raise("maxModelChars"));
    return false;
  }

  private String expandHome(String file) {
    return file.equals("~") || file.startsWith("~/") ? context.home() + file.substring(1) : file;
  }

  /** Labels as a mapping or a {@code key=value} list; a label without a value is empty. */
  private Map<String, String> labels(Node node, String path) {
    ReservedLabels.check(node, path, diagnostics);
    Map<String, String> labels = new LinkedHashMap<>();
    listOrMap(node, path).forEach((k, v) -> labels.put(k, v == null ? "" : v));
    return labels;
  }

  // ---------------------------------------------------------------- ports, networks, mounts

  private List<PortSpec> ports(MapNode service, String name, String path) {
    List<PortSpec> out = new ArrayList<>();
    ListNode list = list(service.get("ports"), child(path, "ports"));
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.items().size(); i++) {
      Node item = list.items().get(i);
      String at = index(child(path, "ports"), i);
      for (PortSpec port : ports.parse(item, at)) {
        out.add(port);
        if (port.published() != null) {
          references.ports.add(new References.PublishedPort(name, port, item.location(), at));
        }
      }
    }
    return out;
  }

  private List<ServiceNetwork> networks(MapNode service, String name, String path) {
    List<ServiceNetwork> out = new ArrayList<>();
    forEachNamed(
        service.get("networks"),
        child(path, "networks"),
        name,
        Kind.NETWORK,
        (network, config, netPath) -> {
          if (config == null) {
            out.add(ServiceNetwork.of(network));
            return;
          }
          checkKeys(
              config,
              netPath,
              Set.of("aliases", "ipv4_address"),
              Set.of(
                  "ipv6_address",
                  "link_local_ips",
                  "mac_address",
                  "priority",
                  "gw_priority",
                  "driver_opts",
                  "interface_name"),
              true);
          List<String> aliases = optionalList(config, "aliases", netPath);
          String ipv4 = string(config.get("ipv4_address"), child(netPath, "ipv4_address"));
          out.add(new ServiceNetwork(network, aliases, ipv4));
        });
    return out;
  }

  /** What to make of one entry of a list-or-mapping of names ({@link #forEachNamed}). */
  @FunctionalInterface
  private interface NamedEntry {
    /**
     * @param config the entry's long-form mapping, or {@code null} for the short (list) form
     */
    void accept(String key, MapNode config, String path);
  }

  /**
   * Reads a key that names other resources either as a list ({@code [a, b]}) or as a mapping of
   * names to long-form settings ({@code {a: {...}}}): records each name as a reference of {@code
   * kind}, for the checks across the file, and hands it to {@code entry}.
   */
  private void forEachNamed(Node node, String at, String service, Kind kind, NamedEntry entry) {
    if (isNull(node)) {
      return;
    }
    if (node instanceof ListNode list) {
      for (int i = 0; i < list.items().size(); i++) {
        Node item = list.items().get(i);
        String key = string(item, index(at, i));
        if (key != null) {
          references.add(service, kind, key, item.location(), index(at, i));
          entry.accept(key, null, index(at, i));
        }
      }
      return;
    }
    MapNode map = mapping(node, at);
    if (map == null) {
      return;
    }
    for (Entry e : map.entries().values()) {
      String entryPath = child(at, e.key());
      references.add(service, kind, e.key(), e.keyLocation(), entryPath);
      MapNode config = mapping(e.value(), entryPath);
      if (config != null) {
        entry.accept(e.key(), config, entryPath);
      }
    }
  }

  private List<MountSpec> mountsOf(MapNode service, String name, String path) {
    List<MountSpec> out = new ArrayList<>();
    ListNode list = list(service.get("volumes"), child(path, "volumes"));
    if (list != null) {
      for (int i = 0; i < list.items().size(); i++) {
        Node item = list.items().get(i);
        String at = index(child(path, "volumes"), i);
        MountSpec mount = mounts.parseVolume(item, at);
        if (mount != null
            && mount.type() == MountSpec.Type.BIND
            && !context
                .files()
                .allowed(Path.of(mount.source()), "bind mount source", where(item), at)) {
          continue;
        }
        if (mount != null) {
          if (mount.type() == MountSpec.Type.VOLUME && mount.source() != null) {
            Location where =
                item instanceof MapNode m && m.get("source") != null
                    ? m.get("source").location()
                    : item.location();
            references.add(name, Kind.VOLUME, mount.source(), where, at);
          }
          out.add(mount);
        }
      }
    }
    Node tmpfs = service.get("tmpfs");
    if (!isNull(tmpfs)) {
      out.addAll(mounts.parseTmpfs(tmpfs, child(path, "tmpfs")));
    }
    return out;
  }

  private static Location where(Node item) {
    return item instanceof MapNode m && m.get("source") != null
        ? m.get("source").location()
        : item.location();
  }

  private List<FileReference> fileReferences(
      MapNode service, String key, Kind kind, String name, String path) {
    List<FileReference> out = new ArrayList<>();
    String at = child(path, key);
    ListNode list = list(service.get(key), at);
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.items().size(); i++) {
      Node item = list.items().get(i);
      String itemPath = index(at, i);
      if (item instanceof MapNode map) {
        checkKeys(map, itemPath, Set.of("source", "target", "uid", "gid", "mode"), Set.of(), true);
        String source = requiredString(map.get("source"), child(itemPath, "source"), map, "source");
        String target = string(map.get("target"), child(itemPath, "target"));
        String uid = string(map.get("uid"), child(itemPath, "uid"));
        String gid = string(map.get("gid"), child(itemPath, "gid"));
        Integer mode = fileMode(map.get("mode"), child(itemPath, "mode"));
        if (target != null
            && !safeTarget(target, kind, map.get("target"), child(itemPath, "target"))) {
          continue;
        }
        if (source != null) {
          references.add(name, kind, source, map.get("source").location(), itemPath);
          out.add(new FileReference(source, target, uid, gid, mode));
        }
      } else {
        String source = string(item, itemPath);
        if (source != null) {
          references.add(name, kind, source, item.location(), itemPath);
          out.add(FileReference.of(source));
        }
      }
    }
    return out;
  }

  /**
   * A secret's target stays in {@code /run/secrets} when relative, and neither a secret's nor a
   * config's target may climb with {@code ..}: the single-engine platform writes these files on the
   * host under a directory of its own, named by the target.
   */
  private boolean safeTarget(String target, Kind kind, Node node, String path) {
    String normalized = target.replace('\\', '/');
    for (String segment : normalized.split("/")) {
      if (segment.equals("..")) {
        problem(
            node,
            path,
            kind.noun
                + " target "
                + quoted(node)
                + " must not contain '..': it would escape "
                + (kind == Kind.SECRET ? "/run/secrets" : "the config's directory"));
        return false;
      }
    }
    if (target.isBlank()) {
      problem(node, path, kind.noun + " target must not be empty");
      return false;
    }
    return true;
  }

  /** A file mode: a YAML integer as written (0440 is octal in YAML), a string as octal. */
  private Integer fileMode(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar && scalar.value() instanceof Long l) {
      if (l < 0 || l > 07777) {
        problem(node, path, "file mode must be between 0 and 07777, not " + scalar.text());
        return null;
      }
      return l.intValue();
    }
    if (node instanceof ScalarNode scalar && scalar.isString()) {
      String text = scalar.text().strip();
      String digits = text.startsWith("0o") || text.startsWith("0O") ? text.substring(2) : text;
      try {
        int mode = Integer.parseInt(digits, 8);
        if (mode <= 07777) {
          return mode;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problem(node, path, "must be a file mode such as 0440, not " + quoted(node));
    return null;
  }

  // ---------------------------------------------------------------- healthcheck

  private HealthcheckSpec healthcheck(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    checkKeys(
        map,
        path,
        Set.of(
            "test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"),
        Set.of(),
        true);
    Boolean disable = bool(map.get("disable"), child(path, "disable"));
    Duration interval = duration(map.get("interval"), child(path, "interval"));
    Duration timeout = duration(map.get("timeout"), child(path, "timeout"));
    Duration startPeriod = duration(map.get("start_period"), child(path, "start_period"));
    Duration startInterval = duration(map.get("start_interval"), child(path, "start_interval"));
    if (!isNull(map.get("start_interval")) && isNull(map.get("start_period"))) {
      problem(
          map.get("start_interval"),
          child(path, "start_interval"),
          "healthcheck.start_interval requires healthcheck.start_period to be set");
    }
    Integer retries = nonNegative(map.get("retries"), child(path, "retries"));
    Node testNode = map.get("test");
    if (Boolean.TRUE.equals(disable)) {
      if (!isNull(testNode)) {
        problem(testNode, child(path, "test"), "test and disable can't be set at the same time");
        return null;
      }
      return HealthcheckSpec.disabled();
    }
    List<String> test = null;
    if (testNode instanceof ScalarNode scalar && !scalar.isNull()) {
      test = List.of("CMD-SHELL", scalar.text());
    } else if (!isNull(testNode)) {
      test = stringList(testNode, child(path, "test"));
      if (test != null && test.isEmpty()) {
        problem(testNode, child(path, "test"), "test must not be empty");
        return null;
      }
      if (test != null && !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
        problem(
            testNode,
            child(path, "test"),
            "a test list must start with CMD, CMD-SHELL or NONE, not '" + test.get(0) + "'");
        return null;
      }
    }
    if (test == null) {
      if (isNull(testNode)) {
        diagnostics.warn(
            map.location(),
            path,
            "a healthcheck without a test (only timings for the image's own healthcheck) cannot be represented; ignored");
      }
      return null;
    }
    List<String> t = test;
    return guard(
        map,
        path,
        () -> new HealthcheckSpec(t, interval, timeout, startPeriod, startInterval, retries));
  }

  // ---------------------------------------------------------------- deploy

  /** Service-level resource keys, the fallback for {@code deploy.resources}. */
  private record ServiceLevel(Long cpus, Long memory, Long pids, Long reservation) {}

  private void deploy(MapNode service, String path, ServiceSpec.Builder b) {
    String at = child(path, "deploy");
    Integer scale = nonNegative(service.get("scale"), child(path, "scale"));
    RestartPolicy fallback = restart(service.get("restart"), child(path, "restart"));
    ServiceLevel serviceLevel = serviceLevel(service, path);
    MapNode deploy = mapping(service.get("deploy"), at);
    if (deploy == null) {
      deploy = new MapNode(service.location(), Map.of());
    }
    checkKeys(deploy, at, DEPLOY_KEYS, Set.of(), true);
    labels(deploy.get("labels"), child(at, "labels")).forEach(b::deployLabel);
    for (Entry e : deploy.entries().values()) {
      if (e.key().startsWith("x-")) {
        b.deployExtension(e.key(), Node.toPlain(e.value()));
      }
    }

    String modeText = string(deploy.get("mode"), child(at, "mode"));
    ServiceSpec.Mode mode = ServiceSpec.Mode.REPLICATED;
    if (modeText != null) {
      switch (modeText.toLowerCase(Locale.ROOT)) {
        case "replicated" -> mode = ServiceSpec.Mode.REPLICATED;
        case "global" -> mode = ServiceSpec.Mode.GLOBAL;
        case "replicated-job" -> mode = ServiceSpec.Mode.REPLICATED_JOB;
        case "global-job" -> mode = ServiceSpec.Mode.GLOBAL_JOB;
        default ->
            problem(
                deploy.get("mode"),
                child(at, "mode"),
                "unknown mode "
                    + quoted(deploy.get("mode"))
                    + " (replicated, global, replicated-job or global-job)");
      }
    }
    b.mode(mode);
    Integer replicas = nonNegative(deploy.get("replicas"), child(at, "replicas"));
    boolean global = mode == ServiceSpec.Mode.GLOBAL || mode == ServiceSpec.Mode.GLOBAL_JOB;
    if (replicas != null && global) {
      problem(
          deploy.get("replicas"),
          child(at, "replicas"),
          "replicas can only be used with replicated or replicated-job mode");
      replicas = null;
    }
    if (replicas != null && scale != null && !replicas.equals(scale)) {
      problem(
          deploy.get("replicas"),
          child(at, "replicas"),
          "can't set distinct values on 'scale' ("
              + scale
              + ") and 'deploy.replicas' ("
              + replicas
              + ")");
    }
    Integer effective = replicas != null ? replicas : global ? null : scale;
    if (effective != null) {
      b.replicas(effective);
    }

    Resources resources = resources(deploy.get("resources"), child(at, "resources"), serviceLevel);
    if (resources != null) {
      b.resources(resources);
    }
    Placement placement = placement(deploy.get("placement"), child(at, "placement"));
    if (placement != null) {
      b.placement(placement);
    }
    b.updatePolicy(updatePolicy(deploy.get("update_config"), child(at, "update_config")));
    b.rollbackPolicy(updatePolicy(deploy.get("rollback_config"), child(at, "rollback_config")));
    RestartPolicy restart =
        restartPolicy(deploy.get("restart_policy"), child(at, "restart_policy"));
    b.restartPolicy(restart != null ? restart : fallback);
    String endpoint = string(deploy.get("endpoint_mode"), child(at, "endpoint_mode"));
    if (endpoint != null) {
      switch (endpoint.toLowerCase(Locale.ROOT)) {
        case "vip" -> b.endpointMode(ServiceSpec.EndpointMode.VIP);
        case "dnsrr" -> b.endpointMode(ServiceSpec.EndpointMode.DNSRR);
        default ->
            problem(
                deploy.get("endpoint_mode"),
                child(at, "endpoint_mode"),
                "endpoint_mode must be vip or dnsrr, not " + quoted(deploy.get("endpoint_mode")));
      }
    }
  }

  private ServiceLevel serviceLevel(MapNode service, String path) {
    Long pids = longValue(service.get("pids_limit"), child(path, "pids_limit"));
    return new ServiceLevel(
        cpus(service.get("cpus"), child(path, "cpus")),
        byteSize(service.get("mem_limit"), child(path, "mem_limit")),
        pids == null || pids < 0 ? null : pids, // -1 means unlimited
        byteSize(service.get("mem_reservation"), child(path, "mem_reservation")));
  }

  private Long cpus(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (node instanceof ScalarNode scalar && !(scalar.value() instanceof Boolean)) {
      try {
        return Units.nanoCpus(scalar.text());
      } catch (IllegalArgumentException e) {
        problem(node, path, "invalid CPU count " + quoted(node) + " (" + e.getMessage() + ")");
        return null;
      }
    }
    problem(node, path, "must be a CPU count such as 0.5, not " + quoted(node));
    return null;
  }

  private Resources resources(Node node, String path, ServiceLevel service) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    checkKeys(map, path, Set.of("limits", "reservations"), Set.of(), true);
    ResourceLimits limits = limits(map.get("limits"), child(path, "limits"), true);
    ResourceLimits reservations =
        limits(map.get("reservations"), child(path, "reservations"), false);
    if (limits == null || reservations == null) {
      return null;
    }
    limits =
        new ResourceLimits(
            pick(limits.nanoCpus(), service.cpus(), map, path, "limits.cpus", "cpus"),
            pick(limits.memoryBytes(), service.memory(), map, path, "limits.memory", "mem_limit"),
            pick(limits.pids(), service.pids(), map, path, "limits.pids", "pids_limit"));
    reservations =
        new ResourceLimits(
            reservations.nanoCpus(),
            pick(
                reservations.memoryBytes(),
                service.reservation(),
                map,
                path,
                "reservations.memory",
                "mem_reservation"),
            reservations.pids());
    List<GenericResource> generic = List.of();
    List<DeviceRequest> devices = List.of();
    if (map.get("reservations") instanceof MapNode section) {
      String at = child(path, "reservations");
      generic = genericResources(section.get("generic_resources"), child(at, "generic_resources"));
      devices = devices(section.get("devices"), child(at, "devices"));
    }
    return new Resources(limits, reservations, generic, devices);
  }

  /**
   * {@code reservations.generic_resources}: items {@code {discrete_resource_spec: {kind, value}}}
   * (value an integer) or {@code {named_resource_spec: {kind, value}}} (value a name).
   */
  private List<GenericResource> genericResources(Node node, String path) {
    List<GenericResource> out = new ArrayList<>();
    ListNode list = list(node, path);
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.items().size(); i++) {
      String at = index(path, i);
      MapNode item = mapping(list.items().get(i), at);
      if (item == null) {
        continue;
      }
      checkKeys(item, at, Set.of("discrete_resource_spec", "named_resource_spec"), Set.of(), true);
      boolean discrete = item.has("discrete_resource_spec");
      boolean named = item.has("named_resource_spec");
      if (discrete == named) {
        problem(
            item,
            at,
            discrete
                ? "set either discrete_resource_spec or named_resource_spec, not both"
                : "needs a discrete_resource_spec or a named_resource_spec");
        continue;
      }
      String key = discrete ? "discrete_resource_spec" : "named_resource_spec";
      String specPath = child(at, key);
      MapNode spec = mapping(item.get(key), specPath);
      if (spec == null) {
        continue;
      }
      checkKeys(spec, specPath, Set.of("kind", "value"), Set.of(), true);
      String kind = requiredString(spec.get("kind"), child(specPath, "kind"), spec, "kind");
      String value;
      if (discrete) {
        Long count =
            isNull(spec.get("value"))
                ? null
                : longValue(spec.get("value"), child(specPath, "value"));
        if (isNull(spec.get("value"))) {
          problem(spec, child(specPath, "value"), "value is required");
        } else if (count != null && count < 0) {
          problem(spec.get("value"), child(specPath, "value"), "must be 0 or more, not " + count);
          count = null;
        }
        value = count == null ? null : Long.toString(count);
      } else {
        value = requiredString(spec.get("value"), child(specPath, "value"), spec, "value");
        if (value != null && value.strip().matches("-?[0-9]+")) {
          problem(
              spec.get("value"),
              child(specPath, "value"),
              "a named resource needs a name, not the number "
                  + quoted(spec.get("value"))
                  + " (use discrete_resource_spec for a count)");
          value = null;
        }
      }
      if (kind != null && value != null) {
        out.add(new GenericResource(kind, value));
      }
    }
    return out;
  }

  /**
   * {@code reservations.devices}: items {@code {capabilities, driver, count, device_ids, options}};
   * {@code count} is an integer or {@code all} (a {@code null} count).
   */
  private List<DeviceRequest> devices(Node node, String path) {
    List<DeviceRequest> out = new ArrayList<>();
    ListNode list = list(node, path);
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.items().size(); i++) {
      String at = index(path, i);
      MapNode item = mapping(list.items().get(i), at);
      if (item == null) {
        continue;
      }
      checkKeys(
          item,
          at,
          Set.of("capabilities", "driver", "count", "device_ids", "options"),
          Set.of(),
          true);
      int before = diagnostics.problemCount();
      List<String> capabilities = optionalList(item, "capabilities", at);
      String driver = string(item.get("driver"), child(at, "driver"));
      List<String> deviceIds = optionalList(item, "device_ids", at);
      Integer count = null;
      Node countNode = item.get("count");
      if (!isNull(countNode)) {
        if (countNode instanceof ScalarNode scalar
            && scalar.value() instanceof String text
            && text.strip().equalsIgnoreCase("all")) {
          count = null;
        } else if (countNode instanceof ScalarNode scalar
            && (scalar.value() instanceof Long
                || scalar.value() instanceof String text && text.strip().matches("-?[0-9]+"))) {
          count = nonNegative(countNode, child(at, "count"));
        } else {
          problem(
              countNode,
              child(at, "count"),
              "count must be an integer or \"all\", not " + quoted(countNode));
        }
      }
      if (!isNull(countNode) && !Integer.valueOf(0).equals(count) && !deviceIds.isEmpty()) {
        // like compose-go: the two are exclusive (no count and no ids means all devices)
        problem(
            countNode, child(at, "count"), "count and device_ids can't be set at the same time");
      }
      Map<String, String> options = new TreeMap<>();
      listOrMap(item.get("options"), child(at, "options"))
          .forEach((k, v) -> options.put(k, v == null ? "" : v));
      if (diagnostics.problemCount() > before) {
        continue;
      }
      final Integer n = count;
      DeviceRequest request =
          guard(item, at, () -> new DeviceRequest(capabilities, driver, n, deviceIds, options));
      if (request != null) {
        out.add(request);
      }
    }
    return out;
  }

  private long pick(
      long deploy, Long service, MapNode map, String path, String key, String serviceKey) {
    if (service == null) {
      return deploy;
    }
    if (deploy != 0 && deploy != service) {
      String[] parts = key.split("\\.");
      Node at = map.get(parts[0]) instanceof MapNode section ? section.get(parts[1]) : null;
      problem(
          at == null ? map : at,
          child(path, key),
          "can't set distinct values on '" + serviceKey + "' and 'deploy.resources." + key + "'");
    }
    return deploy != 0 ? deploy : service;
  }

  private ResourceLimits limits(Node node, String path, boolean isLimit) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    checkKeys(
        map,
        path,
        isLimit
            ? Set.of("cpus", "memory", "pids")
            : Set.of("cpus", "memory", "generic_resources", "devices"),
        isLimit ? Set.of() : Set.of(),
        true);
    Long cpus = cpus(map.get("cpus"), child(path, "cpus"));
    Long memory = byteSize(map.get("memory"), child(path, "memory"));
    Long pids = isLimit ? longValue(map.get("pids"), child(path, "pids")) : null;
    if (pids != null && pids < 0) {
      problem(map.get("pids"), child(path, "pids"), "must be 0 or more, not " + pids);
      pids = null;
    }
    return new ResourceLimits(
        cpus == null ? 0 : cpus, memory == null ? 0 : memory, pids == null ? 0 : pids);
  }

  private Placement placement(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    checkKeys(
        map, path, Set.of("constraints", "preferences", "max_replicas_per_node"), Set.of(), true);
    List<String> constraints = optionalList(map, "constraints", path);
    List<String> spread = new ArrayList<>();
    ListNode preferences = list(map.get("preferences"), child(path, "preferences"));
    if (preferences != null) {
      for (int i = 0; i < preferences.items().size(); i++) {
        String at = index(child(path, "preferences"), i);
        MapNode preference = mapping(preferences.items().get(i), at);
        if (preference == null) {
          continue;
        }
        checkKeys(preference, at, Set.of("spread"), Set.of(), false);
        String descriptor =
            requiredString(preference.get("spread"), child(at, "spread"), preference, "spread");
        if (descriptor != null) {
          spread.add(descriptor);
        }
      }
    }
    Integer max =
        nonNegative(map.get("max_replicas_per_node"), child(path, "max_replicas_per_node"));
    return new Placement(constraints, spread, max);
  }

  private UpdatePolicy updatePolicy(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    checkKeys(
        map,
        path,
        Set.of("parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"),
        Set.of(),
        true);
    Integer parallelism = nonNegative(map.get("parallelism"), child(path, "parallelism"));
    Duration delay = duration(map.get("delay"), child(path, "delay"));
    Duration monitor = duration(map.get("monitor"), child(path, "monitor"));
    Double ratio = number(map.get("max_failure_ratio"), child(path, "max_failure_ratio"));
    if (ratio != null && (ratio < 0 || ratio > 1)) {
      problem(
          map.get("max_failure_ratio"),
          child(path, "max_failure_ratio"),
          "must be between 0 and 1, not " + quoted(map.get("max_failure_ratio")));
      ratio = null;
    }
    UpdatePolicy.FailureAction action = null;
    String actionText = string(map.get("failure_action"), child(path, "failure_action"));
    if (actionText != null) {
      switch (actionText.toLowerCase(Locale.ROOT)) {
        case "pause" -> action = UpdatePolicy.FailureAction.PAUSE;
        case "continue" -> action = UpdatePolicy.FailureAction.CONTINUE;
        case "rollback" -> action = UpdatePolicy.FailureAction.ROLLBACK;
        default ->
            problem(
                map.get("failure_action"),
                child(path, "failure_action"),
                "failure_action must be pause, continue or rollback, not "
                    + quoted(map.get("failure_action")));
      }
    }
    UpdatePolicy.Order order = null;
    String orderText = string(map.get("order"), child(path, "order"));
    if (orderText != null) {
      switch (orderText.toLowerCase(Locale.ROOT)) {
        case "stop-first" -> order = UpdatePolicy.Order.STOP_FIRST;
        case "start-first" -> order = UpdatePolicy.Order.START_FIRST;
        default ->
            problem(
                map.get("order"),
                child(path, "order"),
                "order must be stop-first or start-first, not " + quoted(map.get("order")));
      }
    }
    return new UpdatePolicy(
        parallelism == null ? 1 : parallelism,
        delay,
        action,
        monitor,
        ratio == null ? 0 : ratio,
        order);
  }

  private RestartPolicy restartPolicy(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    checkKeys(map, path, Set.of("condition", "delay", "max_attempts", "window"), Set.of(), true);
    RestartPolicy.Condition condition = RestartPolicy.Condition.ANY;
    String text = string(map.get("condition"), child(path, "condition"));
    if (text != null) {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "none", "no" -> condition = RestartPolicy.Condition.NONE;
        case "on-failure" -> condition = RestartPolicy.Condition.ON_FAILURE;
        case "any", "always" -> condition = RestartPolicy.Condition.ANY;
        case "unless-stopped" -> condition = RestartPolicy.Condition.UNLESS_STOPPED;
        default ->
            problem(
                map.get("condition"),
                child(path, "condition"),
                "condition must be none, on-failure or any, not " + quoted(map.get("condition")));
      }
    }
    Duration delay = duration(map.get("delay"), child(path, "delay"));
    Integer attempts = nonNegative(map.get("max_attempts"), child(path, "max_attempts"));
    Duration window = duration(map.get("window"), child(path, "window"));
    return new RestartPolicy(condition, delay, attempts, window);
  }

  /** The service-level {@code restart}, used when {@code deploy.restart_policy} is absent. */
  private RestartPolicy restart(Node node, String path) {
    String text = string(node, path);
    if (text == null) {
      return null;
    }
    String value = text.strip().toLowerCase(Locale.ROOT);
    switch (value) {
      case "no", "":
        return RestartPolicy.of(RestartPolicy.Condition.NONE);
      case "always":
        return RestartPolicy.of(RestartPolicy.Condition.ANY);
      case "unless-stopped":
        return RestartPolicy.of(RestartPolicy.Condition.UNLESS_STOPPED);
      case "on-failure":
        return RestartPolicy.of(RestartPolicy.Condition.ON_FAILURE);
      default:
        if (value.startsWith("on-failure:")) {
          try {
            int attempts = Integer.parseInt(value.substring("on-failure:".length()));
            if (attempts >= 0) {
              return new RestartPolicy(
                  RestartPolicy.Condition.ON_FAILURE, null, attempts == 0 ? null : attempts, null);
            }
          } catch (NumberFormatException e) {
            // reported below
          }
        }
        problem(
            node,
            path,
            "restart must be no, always, on-failure[:max-retries] or unless-stopped, not "
                + quoted(node));
        return null;
    }
  }

  // ---------------------------------------------------------------- the rest

  private List<String> optionalList(MapNode map, String key, String path) {
    List<String> values = stringList(map.get(key), child(path, key));
    return values == null ? List.of() : values;
  }

  private Map<String, Ulimit> ulimits(Node node, String path) {
    Map<String, Ulimit> out = new TreeMap<>();
    MapNode map = mapping(node, path);
    if (map == null) {
      return out;
    }
    for (Entry e : map.entries().values()) {
      String at = child(path, e.key());
      Node value = e.value();
      if (value instanceof MapNode limits) {
        checkKeys(limits, at, Set.of("soft", "hard"), Set.of(), false);
        Long soft = longValue(limits.get("soft"), child(at, "soft"));
        Long hard = longValue(limits.get("hard"), child(at, "hard"));
        if (soft == null && !limits.has("soft")) {
          problem(limits, child(at, "soft"), "soft is required");
        }
        if (hard == null && !limits.has("hard")) {
          problem(limits, child(at, "hard"), "hard is required");
        }
        if (soft != null && hard != null) {
          Ulimit ulimit = guard(limits, at, () -> new Ulimit(soft, hard));
          if (ulimit != null) {
            out.put(e.key(), ulimit);
          }
        }
      } else {
        Long both = longValue(value, at);
        if (both != null) {
          out.put(e.key(), Ulimit.of(both));
        } else if (isNull(value)) {
          problem(value, at, "must be a number or a mapping with soft and hard");
        }
      }
    }
    return out;
  }

  private Map<String, String> sysctls(Node node, String path) {
    Map<String, String> out = new TreeMap<>();
    listOrMap(node, path)
        .forEach(
            (k, v) -> {
              if (v == null) {
                problem(node, child(path, k), "sysctl " + k + " needs a value");
              } else {
                out.put(k, v);
              }
            });
    return out;
  }

  private LoggingSpec logging(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    MapNode map = mapping(node, path);
    if (map == null) {
      return null;
    }
    checkKeys(map, path, Set.of("driver", "options"), Set.of(), true);
    String driver = string(map.get("driver"), child(path, "driver"));
    Map<String, String> options = new TreeMap<>();
    MapNode optionsNode = mapping(map.get("options"), child(path, "options"));
    if (optionsNode != null) {
      for (Entry e : optionsNode.entries().values()) {
        String value = string(e.value(), child(child(path, "options"), e.key()));
        if (value != null) {
          options.put(e.key(), value);
        }
      }
    }
    if (driver == null) {
      if (!options.isEmpty()) {
        diagnostics.warn(
            map.location(),
            path,
            "logging options without a driver cannot be represented; ignored");
      }
      return null;
    }
    return new LoggingSpec(driver, options);
  }

  private Map<String, DependsOn> dependsOn(MapNode service, String name, String path) {
    Map<String, DependsOn> out = new LinkedHashMap<>();
    forEachNamed(
        service.get("depends_on"),
        child(path, "depends_on"),
        name,
        Kind.SERVICE,
        (dependency, config, depPath) ->
            out.put(dependency, config == null ? DependsOn.started() : dependsOn(config, depPath)));
    implicitDependencies(service)
        .forEach(
            (dependency, restart) ->
                out.putIfAbsent(
                    dependency, new DependsOn(DependsOn.Condition.SERVICE_STARTED, true, restart)));
    providers.forEach(out::remove);
    out.remove(name); // reported as a cycle; not a dependency the stack can hold
    return out;
  }

  /**
   * The services a service needs started without saying so in {@code depends_on}, as compose-go
   * adds them: those it links to, shares a namespace with ({@code network_mode}, {@code ipc},
   * {@code pid}: {@code service:x}) or takes volumes from; with whether it restarts with them.
   */
  static Map<String, Boolean> implicitDependencies(MapNode service) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    if (service.get("links") instanceof ListNode links) {
      for (Node link : links.items()) {
        if (link instanceof ScalarNode s && !s.isNull()) {
          out.putIfAbsent(s.text().split(":", 2)[0], true);
        }
      }
    }
    for (String key : List.of("network_mode", "ipc", "pid", "uts", "cgroup")) {
      if (service.get(key) instanceof ScalarNode s
          && !s.isNull()
          && s.text().startsWith("service:")) {
        out.putIfAbsent(s.text().substring("service:".length()), true);
      }
    }
    if (service.get("volumes_from") instanceof ListNode from) {
      for (Node item : from.items()) {
        if (item instanceof ScalarNode s && !s.isNull() && !s.text().startsWith("container:")) {
          out.putIfAbsent(s.text().split(":", 2)[0], false);
        }
      }
    }
    return out;
  }

  /**
   * The labels of a service's {@code label_file}s ({@code KEY=value} lines, as env files), in
   * order, a later file winning; the service's own {@code labels} win over them.
   */
  private Map<String, String> labelFiles(MapNode service, String path) {
    Map<String, String> labels = new LinkedHashMap<>();
    Node node = service.get("label_file");
    if (isNull(node)) {
      return labels;
    }
    String at = child(path, "label_file");
    List<Node> items = node instanceof ListNode list ? list.items() : List.of(node);
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String itemPath = node instanceof ListNode ? index(at, i) : at;
      String file = string(item, itemPath);
      if (file == null) {
        continue;
      }
      Path resolved = context.workingDir().resolve(expandHome(file)).normalize();
      String content =
          context.files().text(resolved, "label file", item.location(), itemPath, true, false);
      if (content == null) {
        continue;
      }
      Map<String, String> values =
          DotEnv.parse(
              resolved.toString(),
              content,
              false,
              labels::get,
              false,
              diagnostics,
              context.budget());
      values.forEach(
          (key, value) -> {
            if (ReservedLabels.reserved(key)) {
              problem(item, itemPath, ReservedLabels.message(key) + " (in " + resolved + ")");
            } else if (charge(value, item, itemPath)) {
              labels.put(key, value);
            }
          });
    }
    return labels;
  }

  private DependsOn dependsOn(MapNode config, String depPath) {
    checkKeys(config, depPath, Set.of("condition", "required", "restart"), Set.of(), true);
    DependsOn.Condition condition = DependsOn.Condition.SERVICE_STARTED;
    String text = string(config.get("condition"), child(depPath, "condition"));
    if (text != null) {
      switch (text) {
        case "service_started" -> condition = DependsOn.Condition.SERVICE_STARTED;
        case "service_healthy" -> condition = DependsOn.Condition.SERVICE_HEALTHY;
        case "service_completed_successfully" ->
            condition = DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY;
        default ->
            problem(
                config.get("condition"),
                child(depPath, "condition"),
                "condition must be service_started, service_healthy or service_completed_successfully, not "
                    + quoted(config.get("condition")));
      }
    }
    Boolean required = bool(config.get("required"), child(depPath, "required"));
    Boolean restart = bool(config.get("restart"), child(depPath, "restart"));
    return new DependsOn(condition, required == null || required, Boolean.TRUE.equals(restart));
  }

  /** {@code host:ip} entries, from a list ({@code host:ip} or {@code host=ip}) or a mapping. */
  private List<String> extraHosts(Node node, String path) {
    List<String> out = new ArrayList<>();
    if (isNull(node)) {
      return out;
    }
    if (node instanceof MapNode map) {
      for (Entry e : map.entries().values()) {
        String at = child(path, e.key());
        List<String> ips = stringOrList(e.value(), at);
        if (ips == null || ips.isEmpty()) {
          problem(
              e.value() == null ? map : e.value(),
              at,
              "extra host " + e.key() + " needs an address");
          continue;
        }
        ips.forEach(ip -> out.add(e.key() + ":" + unbracket(ip)));
      }
      return out;
    }
    ListNode list = list(node, path);
    if (list == null) {
      return out;
    }
    for (int i = 0; i < list.items().size(); i++) {
      String text = string(list.items().get(i), index(path, i));
      if (text == null) {
        continue;
      }
      int sep = TreeMerger.separatorOfHost(text);
      if (sep <= 0 || sep == text.length() - 1) {
        problem(
            list.items().get(i),
            index(path, i),
            "extra host " + quoted(list.items().get(i)) + " must be host:ip");
        continue;
      }
      out.add(text.substring(0, sep) + ":" + unbracket(text.substring(sep + 1)));
    }
    return out;
  }

  private static String unbracket(String ip) {
    return ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
  }
}
