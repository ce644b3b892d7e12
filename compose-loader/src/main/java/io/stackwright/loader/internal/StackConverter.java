package io.stackwright.loader.internal;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.VolumeSpec;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Converts the merged, interpolated tree of a Compose project into a {@link StackSpec}, reporting
 * every problem with its location. Returns {@code null} when there were problems.
 */
public final class StackConverter extends NodeReader {
  static final Set<String> TOP_LEVEL =
      Set.of("version", "name", "services", "networks", "volumes", "secrets", "configs", "include");

  private final LoadContext context;
  private final References references = new References();

  public StackConverter(LoadContext context) {
    super(context.diagnostics());
    this.context = context;
  }

  public StackSpec convert(MapNode root, String projectName) {
    checkKeys(root, "", TOP_LEVEL, Set.of("models"), true);
    Map<String, NetworkSpec> networks = networks(root.get("networks"));
    Map<String, VolumeSpec> volumes = volumes(root.get("volumes"));
    Map<String, SecretSpec> secrets = secrets(root.get("secrets"));
    Map<String, ConfigSpec> configs = configs(root.get("configs"));

    Map<String, ServiceSpec> services = new LinkedHashMap<>();
    Set<String> enabled = new LinkedHashSet<>();
    Set<String> disabled = new LinkedHashSet<>();
    MapNode servicesNode = mapping(root.get("services"), "services");
    if (servicesNode != null) {
      Set<String> providers = new LinkedHashSet<>();
      for (Entry entry : servicesNode.entries().values()) {
        if (entry.value() instanceof MapNode s
            && !isNull(s.get("provider"))
            && isNull(s.get("image"))) {
          providers.add(entry.key());
        }
      }
      ServiceConverter converter = new ServiceConverter(context, references, providers);
      disabled.addAll(context.disabled().keySet());
      for (Entry entry : servicesNode.entries().values()) {
        enabled.add(entry.key());
        ServiceSpec service = converter.convert(entry);
        if (service != null) {
          services.put(entry.key(), service);
        }
      }
    }
    StackChecks.check(
        references,
        enabled,
        context.disabled(),
        declared(root, "networks"),
        declared(root, "volumes"),
        declared(root, "secrets"),
        declared(root, "configs"),
        diagnostics);

    Node stackwright = root.get(StackwrightExtensionReader.KEY);
    if (stackwright != null) {
      new DriftPolicyReader(diagnostics).readStack(stackwright, StackwrightExtensionReader.KEY);
    }
    Map<String, Object> extensions = new TreeMap<>();
    root.entries().values().stream()
        .filter(e -> e.key().startsWith("x-"))
        .forEach(e -> extensions.put(e.key(), Node.toPlain(e.value())));
    if (diagnostics.hasProblems()) {
      return null;
    }
    return new StackSpec(projectName, services, networks, volumes, secrets, configs, extensions);
  }

  /** The keys of a top-level section, whether or not their definitions are valid. */
  private static Set<String> declared(MapNode root, String section) {
    return root.get(section) instanceof MapNode map ? map.entries().keySet() : Set.of();
  }

  // ---------------------------------------------------------------- networks

  private Map<String, NetworkSpec> networks(Node node) {
    Map<String, NetworkSpec> out = new LinkedHashMap<>();
    MapNode map = mapping(node, "networks");
    if (map == null) {
      return out;
    }
    for (Entry entry : map.entries().values()) {
      String path = child("networks", entry.key());
      MapNode net = mapping(entry.value(), path);
      if (net == null) {
        continue;
      }
      checkKeys(
          net,
          path,
          Set.of(
              "name",
              "driver",
              "driver_opts",
              "attachable",
              "internal",
              "external",
              "labels",
              "ipam"),
          Set.of("enable_ipv4", "enable_ipv6"),
          true);
      String name = externalName(net, path);
      boolean external = external(net, path);
      confinedName(net, name, external, path, "network");
      String driver = string(net.get("driver"), child(path, "driver"));
      Map<String, String> options = stringMap(net.get("driver_opts"), child(path, "driver_opts"));
      Boolean attachable = bool(net.get("attachable"), child(path, "attachable"));
      Boolean internal = bool(net.get("internal"), child(path, "internal"));
      Map<String, String> labels = labels(net.get("labels"), child(path, "labels"));
      List<String> subnets = ipam(net.get("ipam"), child(path, "ipam"));
      if (external) {
        conflictsWithExternal(net, path, "network", "driver", "driver_opts", "ipam");
      }
      out.put(
          entry.key(),
          new NetworkSpec(
              entry.key(),
              name,
              driver,
              options,
              Boolean.TRUE.equals(attachable),
              Boolean.TRUE.equals(internal),
              external,
              subnets,
              labels));
    }
    return out;
  }

  private List<String> ipam(Node node, String path) {
    List<String> subnets = new ArrayList<>();
    MapNode ipam = mapping(node, path);
    if (ipam == null) {
      return subnets;
    }
    checkKeys(ipam, path, Set.of("config"), Set.of("driver", "options"), true);
    ListNode configs = list(ipam.get("config"), child(path, "config"));
    if (configs == null) {
      return subnets;
    }
    for (int i = 0; i < configs.items().size(); i++) {
      String at = index(child(path, "config"), i);
      MapNode config = mapping(configs.items().get(i), at);
      if (config == null) {
        continue;
      }
      checkKeys(config, at, Set.of("subnet"), Set.of("ip_range", "gateway", "aux_addresses"), true);
      String subnet = string(config.get("subnet"), child(at, "subnet"));
      if (subnet != null) {
        subnets.add(subnet);
      }
    }
    return subnets;
  }

  // ---------------------------------------------------------------- volumes

  private Map<String, VolumeSpec> volumes(Node node) {
    Map<String, VolumeSpec> out = new LinkedHashMap<>();
    MapNode map = mapping(node, "volumes");
    if (map == null) {
      return out;
    }
    for (Entry entry : map.entries().values()) {
      String path = child("volumes", entry.key());
      MapNode volume = mapping(entry.value(), path);
      if (volume == null) {
        continue;
      }
      checkKeys(
          volume,
          path,
          Set.of("name", "driver", "driver_opts", "external", "labels"),
          Set.of(),
          true);
      String name = externalName(volume, path);
      boolean external = external(volume, path);
      confinedName(volume, name, external, path, "volume");
      String driver = string(volume.get("driver"), child(path, "driver"));
      Map<String, String> options =
          stringMap(volume.get("driver_opts"), child(path, "driver_opts"));
      confinedDevice(volume, options, path);
      Map<String, String> labels = labels(volume.get("labels"), child(path, "labels"));
      if (external) {
        conflictsWithExternal(volume, path, "volume", "driver", "driver_opts", "labels");
      }
      out.put(entry.key(), new VolumeSpec(entry.key(), name, driver, options, external, labels));
    }
    return out;
  }

  // ---------------------------------------------------------------- secrets and configs

  private Map<String, SecretSpec> secrets(Node node) {
    Map<String, SecretSpec> out = new LinkedHashMap<>();
    MapNode map = mapping(node, "secrets");
    if (map == null) {
      return out;
    }
    for (Entry entry : map.entries().values()) {
      String path = child("secrets", entry.key());
      MapNode secret = mapping(entry.value(), path);
      if (secret == null) {
        continue;
      }
      checkKeys(
          secret,
          path,
          Set.of("name", "file", "environment", "external", "labels", "driver"),
          Set.of("driver_opts", "template_driver"),
          true);
      if (secret.has("driver")) {
        diagnostics.problem(
            secret.entry("driver").keyLocation(),
            child(path, "driver"),
            "secret drivers are not supported; use file or environment");
      }
      String name = externalName(secret, path);
      boolean external = external(secret, path);
      confinedName(secret, name, external, path, "secret");
      Map<String, String> labels = labels(secret.get("labels"), child(path, "labels"));
      byte[] content = external ? null : content(secret, entry, path, "secret", false);
      if (external) {
        conflictsWithExternal(secret, path, "secret", "file", "environment");
        out.put(entry.key(), new SecretSpec(entry.key(), name, true, null, labels));
      } else if (content != null) {
        out.put(
            entry.key(),
            new SecretSpec(
                entry.key(),
                name,
                false,
                withOrigin(FileContent.secret(content), secret, path),
                labels));
      }
    }
    return out;
  }

  private Map<String, ConfigSpec> configs(Node node) {
    Map<String, ConfigSpec> out = new LinkedHashMap<>();
    MapNode map = mapping(node, "configs");
    if (map == null) {
      return out;
    }
    for (Entry entry : map.entries().values()) {
      String path = child("configs", entry.key());
      MapNode config = mapping(entry.value(), path);
      if (config == null) {
        continue;
      }
      checkKeys(
          config,
          path,
          Set.of("name", "file", "content", "environment", "external", "labels"),
          Set.of("template_driver"),
          true);
      String name = externalName(config, path);
      boolean external = external(config, path);
      confinedName(config, name, external, path, "config");
      Map<String, String> labels = labels(config.get("labels"), child(path, "labels"));
      byte[] content = external ? null : content(config, entry, path, "config", true);
      if (external) {
        conflictsWithExternal(config, path, "config", "file", "content", "environment");
        out.put(entry.key(), new ConfigSpec(entry.key(), name, true, null, labels));
      } else if (content != null) {
        out.put(
            entry.key(),
            new ConfigSpec(
                entry.key(),
                name,
                false,
                withOrigin(FileContent.plain(content), config, path),
                labels));
      }
    }
    return out;
  }

  /**
   * The content of a secret or config from {@code file} (relative to the working directory), {@code
   * environment} (a variable's value) or, for configs, {@code content}. Null when external or after
   * a problem.
   */
  /**
   * Records where {@code content} was read from (a file, or a variable of the process's own
   * environment), so that a process resuming a deploy can read it again; inline content and
   * variables the host supplied some other way have no origin.
   */
  private FileContent withOrigin(FileContent content, MapNode map, String path) {
    if (map.has("file")) {
      String value = string(map.get("file"), child(path, "file"));
      return value == null
          ? content
          : content.withOrigin(
              FileContent.Origin.file(context.workingDir().resolve(expandHome(value)).normalize()));
    }
    if (map.has("environment")) {
      String value = string(map.get("environment"), child(path, "environment"));
      if (value != null
          && !context.resourceEnvironment().containsKey(path)
          && new String(content.bytes(), StandardCharsets.UTF_8).equals(System.getenv(value))) {
        return content.withOrigin(FileContent.Origin.environment(value));
      }
    }
    return content;
  }

  private byte[] content(MapNode map, Entry entry, String path, String kind, boolean allowInline) {
    List<String> sources = new ArrayList<>();
    for (String key :
        allowInline ? List.of("file", "environment", "content") : List.of("file", "environment")) {
      if (map.has(key)) {
        sources.add(key);
      }
    }
    if (sources.isEmpty()) {
      if (!map.has("driver")) {
        diagnostics.problem(
            entry.keyLocation(),
            path,
            kind
                + " "
                + entry.key()
                + " needs "
                + (allowInline ? "file, environment or content" : "file or environment")
                + " unless it is external");
      }
      return null;
    }
    if (sources.size() > 1) {
      diagnostics.problem(
          map.entry(sources.get(1)).keyLocation(),
          child(path, sources.get(1)),
          "only one of " + String.join(", ", sources) + " may be set");
      return null;
    }
    String source = sources.get(0);
    Node node = map.get(source);
    String at = child(path, source);
    String value = string(node, at);
    if (value == null) {
      if (isNull(node)) {
        problem(node == null ? map : node, at, source + " must not be empty");
      }
      return null;
    }
    switch (source) {
      case "file":
        {
          Path file = context.workingDir().resolve(expandHome(value)).normalize();
          byte[] bytes =
              context.files().bytes(file, kind + " file", node.location(), at, true, false);
          if (bytes != null && !context.budget().chars(bytes.length)) {
            context
                .budget()
                .report(
                    diagnostics,
                    node.location(),
                    at,
                    "the model grows past "
                        + context.budget().limits().maxModelChars()
                        + " characters with secret and config files"
                        + LoadBudget.raise("maxModelChars"));
            return null;
          }
          return bytes;
        }
      case "environment":
        {
          String variable =
              context.resourceEnvironment().getOrDefault(path, context.environment()).apply(value);
          if (variable == null) {
            problem(node, at, "environment variable " + value + " is not set");
            return null;
          }
          return variable.getBytes(StandardCharsets.UTF_8);
        }
      default:
        return value.getBytes(StandardCharsets.UTF_8);
    }
  }

  private String expandHome(String file) {
    return file.equals("~") || file.startsWith("~/") ? context.home() + file.substring(1) : file;
  }

  // ---------------------------------------------------------------- shared by resources

  /** {@code external: true}, or the deprecated {@code external: {name: x}}. */
  private boolean external(MapNode map, String path) {
    Node node = map.get("external");
    if (isNull(node)) {
      return false;
    }
    if (node instanceof MapNode) {
      return true;
    }
    return Boolean.TRUE.equals(bool(node, child(path, "external")));
  }

  /** {@code name}, or the name of the deprecated {@code external: {name: x}}. */
  private String externalName(MapNode map, String path) {
    String name = string(map.get("name"), child(path, "name"));
    Node external = map.get("external");
    if (external instanceof MapNode ext) {
      String at = child(path, "external");
      checkKeys(ext, at, Set.of("name"), Set.of(), false);
      String legacy = string(ext.get("name"), child(at, "name"));
      if (legacy != null && name != null && !legacy.equals(name)) {
        diagnostics.problem(
            ext.entry("name").keyLocation(),
            child(at, "name"),
            "external.name and name conflict; only use name");
      } else if (legacy != null) {
        diagnostics.warn(
            ext.entry("name").keyLocation(),
            child(at, "name"),
            "external.name is deprecated; use name");
        return legacy;
      }
    }
    return name;
  }

  /**
   * In a confined load, a resource the stack creates must be named within the stack ({@code
   * <project>_...}, as its default name is): another name could be another stack's resource, which
   * only an {@code external} declaration may use.
   */
  private void confinedName(MapNode map, String name, boolean external, String path, String kind) {
    if (!context.files().confinement().enabled() || external || name == null) {
      return;
    }
    String prefix = context.projectName() + "_";
    if (!name.startsWith(prefix)) {
      diagnostics.problem(
          map.get("name").location(),
          child(path, "name"),
          kind
              + " name "
              + Texts.excerpt(name)
              + " is outside this stack: in a confined load a "
              + kind
              + " the stack creates is named "
              + prefix
              + "..., and another stack's "
              + kind
              + " must be declared external");
    }
  }

  /**
   * A local volume that binds a host directory ({@code driver_opts: {o: bind, device: /dir}}) is a
   * bind mount by another name: in a confined load its device must be inside the project too.
   */
  private void confinedDevice(MapNode volume, Map<String, String> options, String path) {
    String o = options.get("o");
    String device = options.get("device");
    if (!context.files().confinement().enabled() || device == null || o == null) {
      return;
    }
    if (java.util.Arrays.asList(o.split(",")).contains("bind")) {
      Node at = ((MapNode) volume.get("driver_opts")).get("device");
      context
          .files()
          .allowed(
              context.workingDir().resolve(expandHome(device)).normalize(),
              "volume device",
              at.location(),
              child(path, "driver_opts.device"));
    }
  }

  private void conflictsWithExternal(MapNode map, String path, String kind, String... keys) {
    for (String key : keys) {
      Node value = map.get(key);
      boolean set =
          !isNull(value)
              && !(value instanceof Node.ScalarNode s && "false".equalsIgnoreCase(s.text()))
              && !(value instanceof MapNode m && m.entries().isEmpty());
      if (set) {
        diagnostics.problem(
            map.entry(key).keyLocation(),
            path,
            "conflicting parameters \"external\" and \"" + key + "\" specified");
      }
    }
  }

  /** A mapping whose values are scalars, kept as their text. */
  private Map<String, String> stringMap(Node node, String path) {
    Map<String, String> out = new TreeMap<>();
    MapNode map = mapping(node, path);
    if (map == null) {
      return out;
    }
    for (Entry e : map.entries().values()) {
      String value = string(e.value(), child(path, e.key()));
      out.put(e.key(), value == null ? "" : value);
    }
    return out;
  }

  private Map<String, String> labels(Node node, String path) {
    ReservedLabels.check(node, path, diagnostics);
    Map<String, String> out = new TreeMap<>();
    listOrMap(node, path).forEach((k, v) -> out.put(k, v == null ? "" : v));
    return out;
  }
}
