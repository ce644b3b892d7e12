package io.stackwright.loader.internal;

import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The loaded model the way {@code docker compose config} prints it: merged, interpolated, with the
 * Compose specification's key names, and the short forms written long. Every key the files gave is
 * kept, including those the {@link StackSpec} cannot represent. Values typed as strings by
 * interpolation are cast where the specification wants a number or a boolean; relative paths are
 * made absolute against the working directory; {@code env_file}s are resolved into {@code
 * environment}; {@code version} is dropped; a {@code default} network is added where services use
 * it.
 */
final class Normalizer {
  private enum Cast {
    INT,
    FLOAT,
    BOOL,
    MODE
  }

  private static final Map<String, Cast> CASTS = new TreeMap<>();

  static {
    for (String key :
        List.of(
            "services.*.scale",
            "services.*.cpu_count",
            "services.*.cpu_period",
            "services.*.cpu_quota",
            "services.*.cpu_rt_period",
            "services.*.cpu_rt_runtime",
            "services.*.cpu_shares",
            "services.*.oom_score_adj",
            "services.*.pids_limit",
            "services.*.deploy.replicas",
            "services.*.deploy.update_config.parallelism",
            "services.*.deploy.rollback_config.parallelism",
            "services.*.deploy.restart_policy.max_attempts",
            "services.*.deploy.placement.max_replicas_per_node",
            "services.*.deploy.resources.limits.pids",
            "services.*.healthcheck.retries",
            "services.*.ports[].target",
            "services.*.ulimits.*",
            "services.*.ulimits.*.soft",
            "services.*.ulimits.*.hard")) {
      CASTS.put(key, Cast.INT);
    }
    for (String key :
        List.of(
            "services.*.cpus",
            "services.*.cpu_percent",
            "services.*.deploy.update_config.max_failure_ratio",
            "services.*.deploy.rollback_config.max_failure_ratio",
            "services.*.deploy.resources.limits.cpus",
            "services.*.deploy.resources.reservations.cpus")) {
      CASTS.put(key, Cast.FLOAT);
    }
    for (String key :
        List.of(
            "services.*.init",
            "services.*.privileged",
            "services.*.read_only",
            "services.*.stdin_open",
            "services.*.tty",
            "services.*.oom_kill_disable",
            "services.*.healthcheck.disable",
            "services.*.volumes[].read_only",
            "services.*.volumes[].volume.nocopy",
            "services.*.volumes[].bind.create_host_path",
            "services.*.depends_on.*.required",
            "services.*.depends_on.*.restart",
            "networks.*.external",
            "networks.*.internal",
            "networks.*.attachable",
            "networks.*.enable_ipv4",
            "networks.*.enable_ipv6",
            "volumes.*.external",
            "secrets.*.external",
            "configs.*.external")) {
      CASTS.put(key, Cast.BOOL);
    }
    for (String key :
        List.of(
            "services.*.secrets[].mode",
            "services.*.configs[].mode",
            "services.*.volumes[].tmpfs.mode")) {
      CASTS.put(key, Cast.MODE);
    }
  }

  /**
   * Mappings whose values are strings: a scalar is kept as written ({@code yes}, {@code on}, {@code
   * 0755}), as the stack takes it, rather than as YAML 1.1 types it.
   */
  private static final Set<String> STRING_MAPS =
      Set.of(
          "services.*.labels",
          "services.*.annotations",
          "services.*.environment",
          "services.*.build.args",
          "services.*.build.labels",
          "services.*.logging.options",
          "services.*.deploy.labels",
          "services.*.sysctls",
          "networks.*.labels",
          "networks.*.driver_opts",
          "volumes.*.labels",
          "volumes.*.driver_opts",
          "secrets.*.labels",
          "configs.*.labels");

  private static final Set<String> LIST_OR_MAP =
      Set.of("labels", "annotations", "sysctls", "extra_hosts");
  private static final Set<String> STRING_OR_LIST =
      Set.of("dns", "dns_search", "tmpfs", "env_file", "label_file");

  private final StackSpec stack;
  private final LoadContext context;

  private Normalizer(StackSpec stack, LoadContext context) {
    this.stack = stack;
    this.context = context;
  }

  static Map<String, Object> normalize(MapNode root, StackSpec stack, LoadContext context) {
    return new Normalizer(stack, context).root(root);
  }

  private Map<String, Object> root(MapNode root) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", stack.name());
    boolean usesDefault = false;
    Map<String, Object> services = new LinkedHashMap<>();
    if (root.get("services") instanceof MapNode map) {
      for (Entry e : map.entries().values()) {
        Map<String, Object> service = service(e.key(), e.value());
        if (!service.containsKey("network_mode") && !service.containsKey("networks")) {
          Map<String, Object> networks = new LinkedHashMap<>();
          networks.put(StackSpec.DEFAULT_NETWORK, null);
          service.put("networks", networks);
          usesDefault = true;
        } else if (service.get("networks") instanceof Map<?, ?> networks
            && networks.containsKey(StackSpec.DEFAULT_NETWORK)) {
          usesDefault = true;
        }
        services.put(e.key(), service);
      }
    }
    out.put("services", services);
    Map<String, Object> networks = section(root, "networks");
    if (usesDefault && !networks.containsKey(StackSpec.DEFAULT_NETWORK)) {
      Map<String, Object> network = new LinkedHashMap<>();
      network.put("name", stack.name() + "_" + StackSpec.DEFAULT_NETWORK);
      networks.put(StackSpec.DEFAULT_NETWORK, network);
    }
    for (String key : List.of("networks", "volumes", "secrets", "configs")) {
      Map<String, Object> resources = key.equals("networks") ? networks : section(root, key);
      if (!resources.isEmpty()) {
        out.put(key, resources);
      }
    }
    for (Entry e : root.entries().values()) {
      if (!out.containsKey(e.key())
          && !List.of("version", "include", "name", "services").contains(e.key())) {
        out.put(e.key(), plain(e.value(), e.key()));
      }
    }
    return freeze(out);
  }

  // ------------------------------------------------------------------ top-level resources

  private Map<String, Object> section(MapNode root, String key) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!(root.get(key) instanceof MapNode map)) {
      return out;
    }
    for (Entry e : map.entries().values()) {
      Object value = plain(e.value(), key + ".*");
      Map<String, Object> resource = value instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
      if (resource.get("external") instanceof Map<?, ?> external) {
        resource.put("external", true);
        if (external.get("name") != null && !resource.containsKey("name")) {
          resource.put("name", external.get("name"));
        }
      }
      if (Boolean.TRUE.equals(resource.get("external")) && !resource.containsKey("name")) {
        resource.put("name", e.key());
      }
      if (resource.get("labels") != null) {
        resource.put("labels", listOrMap(resource.get("labels"), false));
      }
      if (resource.get("driver_opts") instanceof Map<?, ?> options) {
        Map<String, Object> strings = new LinkedHashMap<>();
        options.forEach((k, v) -> strings.put(String.valueOf(k), v == null ? null : text(v)));
        resource.put("driver_opts", strings);
      }
      if (resource.get("file") instanceof String file) {
        resource.put("file", absolute(file));
      }
      out.put(e.key(), resource);
    }
    return out;
  }

  // ------------------------------------------------------------------ services

  private Map<String, Object> service(String name, Node node) {
    Object value = plain(node, "services.*");
    Map<String, Object> service = value instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
    ServiceSpec spec = stack.services().get(name);
    if (service.get("build") instanceof String context) {
      Map<String, Object> build = new LinkedHashMap<>();
      build.put("context", context);
      service.put("build", build);
    }
    if (service.get("build") instanceof Map<?, ?> build) {
      Map<String, Object> b = copy(build);
      Object context = b.getOrDefault("context", ".");
      b.put("context", context instanceof String c && !c.contains("://") ? absolute(c) : context);
      if (!b.containsKey("dockerfile_inline")) {
        b.putIfAbsent("dockerfile", "Dockerfile");
      }
      if (b.get("additional_contexts") instanceof Map<?, ?> contexts) {
        Map<String, Object> absolute = new LinkedHashMap<>();
        contexts.forEach(
            (k, v) ->
                absolute.put(
                    String.valueOf(k), v instanceof String c && isLocalPath(c) ? absolute(c) : v));
        b.put("additional_contexts", absolute);
      } else if (b.get("additional_contexts") instanceof List<?> contexts) {
        Map<String, Object> absolute = new LinkedHashMap<>();
        for (Object item : contexts) {
          String text = String.valueOf(item);
          int eq = text.indexOf('=');
          String contextValue = eq < 0 ? "" : text.substring(eq + 1);
          absolute.put(
              eq < 0 ? text : text.substring(0, eq),
              isLocalPath(contextValue) ? absolute(contextValue) : contextValue);
        }
        b.put("additional_contexts", absolute);
      }
      if (b.get("args") != null) {
        b.put("args", listOrMap(b.get("args"), false));
      }
      if (b.get("labels") != null) {
        b.put("labels", listOrMap(b.get("labels"), false));
      }
      service.put("build", b);
    }
    for (String key : List.of("command", "entrypoint")) {
      if (service.get(key) instanceof String command) {
        try {
          service.put(key, ShellWords.split(command));
        } catch (IllegalArgumentException e) {
          // kept as written; the conversion reported it
        }
      }
    }
    service.remove("env_file");
    if (spec != null && (!spec.environment().isEmpty() || service.containsKey("environment"))) {
      Map<String, Object> environment = new LinkedHashMap<>(spec.environment());
      // an entry without a value, not set in the environment either, stays as null (compose-go)
      Object written = service.get("environment");
      if (written instanceof Map<?, ?> map) {
        map.forEach((k, v) -> environment.putIfAbsent(String.valueOf(k), null));
      } else if (written instanceof List<?> list) {
        for (Object item : list) {
          String text = String.valueOf(item);
          if (text.indexOf('=') < 0) {
            environment.putIfAbsent(text, null);
          }
        }
      }
      service.put("environment", environment);
    }
    for (String key : LIST_OR_MAP) {
      if (service.get(key) != null) {
        service.put(key, listOrMap(service.get(key), key.equals("extra_hosts")));
      }
    }
    for (String key : STRING_OR_LIST) {
      if (service.get(key) instanceof String single) {
        service.put(key, List.of(single));
      }
    }
    if (service.get("label_file") instanceof List<?> files) {
      List<Object> absolute = new ArrayList<>();
      files.forEach(f -> absolute.add(f instanceof String p ? absolute(p) : f));
      service.put("label_file", absolute);
      if (spec != null) {
        service.put("labels", new LinkedHashMap<String, Object>(spec.labels()));
      }
    }
    if (service.get("develop") instanceof Map<?, ?> develop
        && develop.get("watch") instanceof List<?> watch) {
      Map<String, Object> d = copy(develop);
      List<Object> rules = new ArrayList<>();
      for (Object rule : watch) {
        if (rule instanceof Map<?, ?> r && r.get("path") instanceof String p) {
          Map<String, Object> copy = copy(r);
          copy.put("path", absolute(p));
          rules.add(copy);
        } else {
          rules.add(rule);
        }
      }
      d.put("watch", rules);
      service.put("develop", d);
    }
    if (service.get("ports") instanceof List<?>) {
      service.put("ports", ports(node));
    }
    if (service.get("volumes") instanceof List<?> volumes) {
      List<Object> out = new ArrayList<>();
      for (Object volume : volumes) {
        out.add(volume(volume));
      }
      service.put("volumes", out);
    }
    if (service.get("depends_on") != null) {
      service.put("depends_on", dependsOn(service.get("depends_on")));
    }
    if (node instanceof MapNode serviceNode) {
      Map<String, Boolean> implicit = ServiceConverter.implicitDependencies(serviceNode);
      if (!implicit.isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> dependencies =
            service.get("depends_on") instanceof Map<?, ?> m
                ? (Map<String, Object>) m
                : new LinkedHashMap<>();
        implicit.forEach(
            (dependency, restart) -> {
              if (!dependencies.containsKey(dependency)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("condition", "service_started");
                if (restart) {
                  d.put("restart", true);
                }
                d.put("required", true);
                dependencies.put(dependency, d);
              }
            });
        service.put("depends_on", dependencies);
      }
    }
    if (service.get("networks") instanceof List<?> list) {
      Map<String, Object> networks = new LinkedHashMap<>();
      list.forEach(n -> networks.put(String.valueOf(n), null));
      service.put("networks", networks);
    }
    for (String key : List.of("secrets", "configs")) {
      if (service.get(key) instanceof List<?> list) {
        List<Object> out = new ArrayList<>();
        for (Object item : list) {
          if (item instanceof String source) {
            Map<String, Object> reference = new LinkedHashMap<>();
            reference.put("source", source);
            out.add(reference);
          } else {
            out.add(item);
          }
        }
        service.put(key, out);
      }
    }
    if (service.get("healthcheck") instanceof Map<?, ?> healthcheck) {
      Map<String, Object> h = copy(healthcheck);
      if (h.get("test") instanceof String test) {
        h.put("test", List.of("CMD-SHELL", test));
      }
      service.put("healthcheck", h);
    }
    if (service.get("deploy") instanceof Map<?, ?> deploy) {
      Map<String, Object> d = copy(deploy);
      if (d.get("labels") != null) {
        d.put("labels", listOrMap(d.get("labels"), false));
      }
      service.put("deploy", d);
    }
    return service;
  }

  private List<Object> ports(Node node) {
    List<Object> out = new ArrayList<>();
    if (!(node instanceof MapNode service) || !(service.get("ports") instanceof ListNode list)) {
      return out;
    }
    PortParser parser = new PortParser(new Diagnostics());
    for (int i = 0; i < list.items().size(); i++) {
      Node item = list.items().get(i);
      Map<String, Object> extra = new LinkedHashMap<>();
      if (item instanceof MapNode map) {
        for (Entry e : map.entries().values()) {
          if (!List.of("target", "published", "protocol", "mode", "host_ip").contains(e.key())) {
            extra.put(e.key(), plain(e.value(), "services.*.ports[]." + e.key()));
          }
        }
      }
      for (PortSpec port : parser.parse(item, "")) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", port.mode().name().toLowerCase(Locale.ROOT));
        if (port.hostIp() != null) {
          p.put("host_ip", port.hostIp());
        }
        p.put("target", port.target());
        if (item instanceof MapNode map
            && map.get("published") instanceof ScalarNode published
            && published.text().contains("-")) {
          p.put("published", published.text().strip()); // a range, as written
        } else if (port.published() != null) {
          p.put("published", String.valueOf(port.published()));
        }
        p.put("protocol", port.protocol());
        p.putAll(extra);
        out.add(p);
      }
    }
    return out;
  }

  private Object volume(Object volume) {
    if (volume instanceof Map<?, ?> map) {
      Map<String, Object> v = copy(map);
      if (v.get("target") instanceof String target) {
        v.put("target", MountParser.cleanTarget(target));
      }
      if ("bind".equals(v.get("type")) && v.get("source") instanceof String source) {
        v.put("source", absolute(source));
      }
      return v;
    }
    if (!(volume instanceof String text)) {
      return volume;
    }
    String[] parts = MountParser.splitShort(text);
    Map<String, Object> v = new LinkedHashMap<>();
    if (parts.length == 1) {
      v.put("type", "volume");
      v.put("target", MountParser.cleanTarget(parts[0]));
      return v;
    }
    String source = parts[0];
    boolean bind = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
    v.put("type", bind ? "bind" : "volume");
    v.put("source", bind ? absolute(source) : source);
    v.put("target", MountParser.cleanTarget(parts[1]));
    if (parts.length > 2) {
      List<String> options = List.of(parts[2].split(","));
      if (options.contains("ro")) {
        v.put("read_only", true);
      }
      if (bind) {
        Map<String, Object> b = new LinkedHashMap<>();
        options.stream()
            .filter(
                o ->
                    Set.of("shared", "rshared", "slave", "rslave", "private", "rprivate")
                        .contains(o))
            .findFirst()
            .ifPresent(o -> b.put("propagation", o));
        options.stream()
            .filter(o -> o.equals("z") || o.equals("Z"))
            .findFirst()
            .ifPresent(o -> b.put("selinux", o));
        b.put("create_host_path", true);
        v.put("bind", b);
      } else if (options.contains("nocopy")) {
        v.put("volume", Map.of("nocopy", true));
      }
    } else if (bind) {
      v.put("bind", Map.of("create_host_path", true));
    }
    return v;
  }

  private static Object dependsOn(Object value) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (value instanceof List<?> list) {
      for (Object name : list) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("condition", "service_started");
        d.put("required", true);
        out.put(String.valueOf(name), d);
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            Map<String, Object> d = v instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
            d.putIfAbsent("condition", "service_started");
            d.putIfAbsent("required", true);
            out.put(String.valueOf(k), d);
          });
      return out;
    }
    return value;
  }

  /** A {@code KEY=value} list or a mapping, as a mapping of strings (null for a bare key). */
  private static Object listOrMap(Object value, boolean hosts) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (hosts && value instanceof Map<?, ?> map) {
      // a host may have several addresses: a list stays a list
      map.forEach(
          (k, v) -> {
            if (v instanceof List<?> addresses) {
              List<String> texts = new ArrayList<>();
              addresses.forEach(a -> texts.add(String.valueOf(a)));
              out.put(String.valueOf(k), texts);
            } else {
              out.put(String.valueOf(k), v == null ? null : text(v));
            }
          });
      return out;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        String text = String.valueOf(item);
        int sep = hosts ? TreeMerger.separatorOfHost(text) : text.indexOf('=');
        if (sep < 0) {
          out.put(text, hosts ? "" : null);
        } else {
          out.put(text.substring(0, sep), text.substring(sep + 1));
        }
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : text(v)));
      return out;
    }
    return value;
  }

  // ------------------------------------------------------------------ values

  /** The node as plain values, casting interpolated strings where the specification types them. */
  private static Object plain(Node node, String pattern) {
    if (node instanceof MapNode map) {
      Map<String, Object> out = new LinkedHashMap<>();
      boolean strings = STRING_MAPS.contains(pattern);
      for (Entry e : map.entries().values()) {
        Node value = e.value() instanceof Node.Tagged t ? t.value() : e.value();
        if (strings && value instanceof ScalarNode scalar && !scalar.isNull()) {
          out.put(e.key(), scalar.text());
        } else {
          out.put(e.key(), plain(e.value(), TreeMerger.childPattern(pattern, e.key())));
        }
      }
      return out;
    }
    if (node instanceof ListNode list) {
      List<Object> out = new ArrayList<>();
      for (Node item : list.items()) {
        out.add(plain(item, pattern + "[]"));
      }
      return out;
    }
    if (node instanceof Node.Tagged tagged) {
      return plain(tagged.value(), pattern);
    }
    ScalarNode scalar = (ScalarNode) node;
    Cast cast = CASTS.get(pattern);
    if (cast != null && scalar.value() instanceof String text) {
      return cast(text.strip(), cast, scalar.value());
    }
    if (cast == Cast.MODE && scalar.value() instanceof Long mode) {
      return mode;
    }
    return scalar.value();
  }

  private static Object cast(String text, Cast cast, Object original) {
    try {
      return switch (cast) {
        case INT -> Long.parseLong(text);
        case FLOAT -> Double.parseDouble(text);
        case BOOL ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true", "yes", "y", "on" -> true;
              case "false", "no", "n", "off" -> false;
              default -> original;
            };
        case MODE -> Long.parseLong(text.startsWith("0o") ? text.substring(2) : text, 8);
      };
    } catch (NumberFormatException e) {
      return original;
    }
  }

  private static String text(Object value) {
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      return String.valueOf(d);
    }
    return String.valueOf(value);
  }

  /** A build context that is a directory here, not a URL or another kind of source. */
  private static boolean isLocalPath(String context) {
    return !context.contains("://")
        && !context.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")
        && !context.startsWith("git@");
  }

  private String absolute(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(context.home() + path.substring(1)).normalize().toString();
    }
    return context.workingDir().resolve(path).normalize().toString();
  }

  private static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** Unmodifiable maps and lists all the way down (nulls kept). */
  @SuppressWarnings("unchecked")
  private static <T> T freeze(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), freeze(v)));
      return (T) Collections.unmodifiableMap(out);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(freeze(v)));
      return (T) Collections.unmodifiableList(out);
    }
    return value;
  }
}
