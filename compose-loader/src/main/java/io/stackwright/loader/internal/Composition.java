package io.stackwright.loader.internal;

import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import io.stackwright.loader.internal.Node.Tagged;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads Compose files into one tree: each file's documents interpolated and merged in order, its
 * {@code include}s loaded as projects of their own and imported, then the files merged in order and
 * every {@code extends} resolved. Relative paths of included and extended files are made absolute
 * against their own directory (or the include's {@code project_directory}), so that they keep
 * meaning what they meant where they were written.
 */
final class Composition {
  private final Diagnostics diagnostics;
  private final java.util.Set<String> warnedVariables;
  private final ProjectFiles files;
  private final LoadBudget budget;
  private final Map<Path, List<Node>> readCache = new HashMap<>();
  private final Map<String, Function<String, String>> resourceEnvironments = new HashMap<>();

  Composition(
      Diagnostics diagnostics,
      java.util.Set<String> warnedVariables,
      ProjectFiles files,
      LoadBudget budget) {
    this.diagnostics = diagnostics;
    this.warnedVariables = warnedVariables;
    this.files = files;
    this.budget = budget;
  }

  private TreeInterpolator interpolator(Function<String, String> environment) {
    return new TreeInterpolator(environment, diagnostics, warnedVariables, budget);
  }

  /**
   * For each secret and config an include imported ({@code secrets.<key>}), the environment of the
   * included project, where its {@code environment:} source is read.
   */
  Map<String, Function<String, String>> resourceEnvironments() {
    return resourceEnvironments;
  }

  // ------------------------------------------------------------------ files

  /** The documents of a file the caller named, read once per load; empty after a problem. */
  List<Node> read(Path file) {
    return read(file, null, "", null);
  }

  /**
   * The documents of a file, read once per load; empty after a problem.
   *
   * @param at where the project names the file ({@code null} for a file the caller named, which is
   *     not confined)
   * @param what what the file is, for messages ("included file", "extended file")
   */
  private List<Node> read(Path file, Location at, String path, String what) {
    Path key = file.toAbsolutePath().normalize();
    List<Node> cached = readCache.get(key);
    if (cached != null) {
      return cached;
    }
    String content =
        at == null
            ? files.text(file, "file", null, "", false, false)
            : files.text(key, what, at, path, true, false);
    List<Node> documents =
        content == null
            ? List.of()
            : YamlTreeReader.read(file.toString(), content, diagnostics, budget);
    readCache.put(key, documents);
    return documents;
  }

  /**
   * One file: its documents interpolated and merged, then its includes imported. {@code null} when
   * the file is empty.
   *
   * @param chain the files that include this one, outermost first (for include cycles)
   */
  Node loadFile(Path file, Function<String, String> environment, List<Path> chain) {
    return loadFile(file, environment, chain, null, "");
  }

  private Node loadFile(
      Path file, Function<String, String> environment, List<Path> chain, Location at, String path) {
    TreeInterpolator interpolator = interpolator(environment);
    Node merged = null;
    for (Node document : read(file, at, path, "included file")) {
      if (budget.exhausted()) {
        return null;
      }
      merged = TreeMerger.merge(merged, interpolator.interpolate(document, ""));
    }
    if (merged instanceof MapNode map && map.has("include")) {
      List<Path> inner = new ArrayList<>(chain);
      inner.add(file.toAbsolutePath().normalize());
      merged = include(map, file, environment, inner);
    }
    return merged;
  }

  // ------------------------------------------------------------------ include

  private MapNode include(
      MapNode model, Path file, Function<String, String> environment, List<Path> chain) {
    Entry includeEntry = model.entry("include");
    Map<String, Entry> without = new LinkedHashMap<>(model.entries());
    without.remove("include");
    MapNode result = new MapNode(model.location(), without);
    Node node = Node.untag(includeEntry.value());
    if (!(node instanceof ListNode list)) {
      if (node != null && !(node instanceof ScalarNode s && s.isNull())) {
        diagnostics.problem(
            node.location(), "include", "must be a list (found " + node.describe() + ")");
      }
      return result;
    }
    Path dir = directory(file);
    for (int i = 0; i < list.items().size(); i++) {
      if (budget.exhausted()) {
        return result;
      }
      String at = "include[" + i + "]";
      Node item = list.items().get(i);
      List<String> paths = new ArrayList<>();
      String projectDirectory = null;
      List<String> envFiles = new ArrayList<>();
      if (item instanceof ScalarNode scalar && !scalar.isNull()) {
        paths.add(scalar.text());
      } else if (item instanceof MapNode map) {
        paths.addAll(strings(map.get("path"), at + ".path"));
        projectDirectory = text(map.get("project_directory"));
        envFiles.addAll(strings(map.get("env_file"), at + ".env_file"));
        if (paths.isEmpty()) {
          diagnostics.problem(item.location(), at + ".path", "'path' is required");
          continue;
        }
      } else {
        diagnostics.problem(
            item.location(),
            at,
            "must be a path or a mapping with path (found " + item.describe() + ")");
        continue;
      }
      Path first = dir.resolve(paths.get(0)).normalize();
      Path projectDir =
          projectDirectory == null
              ? directory(first)
              : dir.resolve(projectDirectory).toAbsolutePath().normalize();
      if (chain.contains(first.toAbsolutePath().normalize())) {
        List<String> names = new ArrayList<>();
        chain.forEach(p -> names.add(p.toString()));
        names.add(first.toString());
        diagnostics.problem(
            item.location(), at, "include cycle detected: " + String.join(" -> ", names));
        continue;
      }
      if (chain.size() > budget.limits().maxIncludeDepth()) {
        diagnostics.problem(
            item.location(),
            at,
            "includes nest deeper than "
                + budget.limits().maxIncludeDepth()
                + " files"
                + LoadBudget.raise("maxIncludeDepth"));
        continue;
      }
      Function<String, String> includedEnvironment =
          includedEnvironment(environment, envFiles, dir, projectDir, item, at);
      Node imported = null;
      for (String path : paths) {
        Path included = dir.resolve(path).normalize();
        if (chain.contains(included.toAbsolutePath().normalize())) {
          diagnostics.problem(
              item.location(), at, "include cycle detected: " + chain + " -> " + included);
          continue;
        }
        if (!budget.include()) {
          budget.report(diagnostics, item.location(), at, tooManyIncludes());
          return result;
        }
        Node loaded = loadFile(included, includedEnvironment, chain, item.location(), at);
        if (loaded instanceof MapNode map) {
          imported = TreeMerger.merge(imported, map);
        }
      }
      if (imported instanceof MapNode importedMap) {
        MapNode withExtends = resolveExtends(importedMap, includedEnvironment);
        MapNode resolved = RelativePaths.resolve(withExtends, projectDir);
        for (String section : List.of("secrets", "configs")) {
          if (resolved.get(section) instanceof MapNode resources) {
            for (String key : resources.entries().keySet()) {
              resourceEnvironments.putIfAbsent(section + "." + key, includedEnvironment);
            }
          }
        }
        result = importResources(result, resolved, item.location(), at);
      }
    }
    return result;
  }

  /** The environment of an included project: its env files (or .env) under the includer's. */
  private Function<String, String> includedEnvironment(
      Function<String, String> outer,
      List<String> envFiles,
      Path dir,
      Path projectDir,
      Node item,
      String at) {
    Map<String, String> values = new HashMap<>();
    if (envFiles.isEmpty()) {
      Path dotEnv = projectDir.resolve(".env");
      if (ProjectFiles.isFile(dotEnv) && files.confinement().allows(dotEnv)) {
        String content = files.text(dotEnv, "env file", item.location(), at, true, true);
        if (content != null) {
          values.putAll(
              DotEnv.parse(dotEnv.toString(), content, false, outer, true, diagnostics, budget));
        }
      }
    }
    for (String envFile : envFiles) {
      Path path = dir.resolve(envFile).normalize();
      String content = files.text(path, "env file", item.location(), at + ".env_file", true, false);
      if (content != null) {
        values.putAll(
            DotEnv.parse(path.toString(), content, false, outer, true, diagnostics, budget));
      }
    }
    return name -> {
      String value = outer.apply(name);
      return value != null ? value : values.get(name);
    };
  }

  /** Adds the resources of an included project; a name defined differently in both is an error. */
  private MapNode importResources(MapNode model, MapNode imported, Location at, String path) {
    Map<String, Entry> entries = new LinkedHashMap<>(model.entries());
    for (Entry section : imported.entries().values()) {
      String key = section.key();
      if (!List.of("services", "networks", "volumes", "secrets", "configs", "models")
          .contains(key)) {
        if (key.startsWith("x-") && !entries.containsKey(key)) {
          entries.put(key, section);
        }
        continue;
      }
      if (!(section.value() instanceof MapNode importedSection)) {
        continue;
      }
      Entry existing = entries.get(key);
      Map<String, Entry> merged =
          existing != null && existing.value() instanceof MapNode m
              ? new LinkedHashMap<>(m.entries())
              : new LinkedHashMap<>();
      for (Entry resource : importedSection.entries().values()) {
        Entry same = merged.get(resource.key());
        if (same == null) {
          merged.put(resource.key(), resource);
        } else if (!Objects.equals(
            Node.toPlain(Node.untag(same.value())), Node.toPlain(Node.untag(resource.value())))) {
          diagnostics.problem(
              same.keyLocation(),
              key + "." + resource.key(),
              key
                  + "."
                  + resource.key()
                  + " conflicts with imported resource (from "
                  + resource.keyLocation()
                  + ", included at "
                  + path
                  + ")");
        }
      }
      Location sectionAt = existing != null ? existing.keyLocation() : at;
      entries.put(
          key,
          new Entry(
              key,
              sectionAt,
              new MapNode(
                  existing != null ? existing.value().location() : section.value().location(),
                  merged)));
    }
    return new MapNode(model.location(), entries);
  }

  // ------------------------------------------------------------------ extends

  /** The model with every service's {@code extends} resolved (the key removed). */
  MapNode resolveExtends(MapNode model, Function<String, String> environment) {
    if (!(model.get("services") instanceof MapNode services)) {
      return model;
    }
    boolean any =
        services.entries().values().stream()
            .anyMatch(e -> e.value() instanceof MapNode s && s.has("extends"));
    if (!any) {
      return model;
    }
    Extender extender = new Extender(services, environment);
    Map<String, Entry> resolved = new LinkedHashMap<>();
    for (Entry entry : services.entries().values()) {
      Node service = extender.resolve(entry.key(), new ArrayList<>());
      resolved.put(
          entry.key(),
          service == entry.value() ? entry : new Entry(entry.key(), entry.keyLocation(), service));
    }
    Map<String, Entry> entries = new LinkedHashMap<>(model.entries());
    Entry servicesEntry = model.entry("services");
    entries.put(
        "services",
        new Entry(
            "services", servicesEntry.keyLocation(), new MapNode(services.location(), resolved)));
    return new MapNode(model.location(), entries);
  }

  /** Resolves the services of one file, memoized, detecting cycles. */
  private final class Extender {
    private final MapNode services;
    private final Function<String, String> environment;
    private final Map<String, Node> done = new HashMap<>();

    private final String prefix;

    Extender(MapNode services, Function<String, String> environment) {
      this.services = services;
      this.environment = environment;
      this.prefix =
          (services.location() == null
                  ? ""
                  : Path.of(services.location().file()).toAbsolutePath().normalize())
              + "#";
    }

    /**
     * The service as written, after a problem with its {@code extends}: what it would inherit is
     * missing, so later problems of the service follow from that one and are not reported.
     */
    private Node failed(String name, Node own) {
      diagnostics.failedAt("services." + name);
      done.put(name, own);
      return own;
    }

    Node resolve(String name, List<String> chain) {
      Node cached = done.get(name);
      if (cached != null) {
        return cached;
      }
      if (chain.size() > budget.limits().maxIncludeDepth() || budget.exhausted()) {
        Entry entry = services.entry(name);
        budget.report(
            diagnostics,
            entry.keyLocation(),
            "services." + name + ".extends",
            "extends chains go deeper than "
                + budget.limits().maxIncludeDepth()
                + " services"
                + LoadBudget.raise("maxIncludeDepth"));
        done.put(name, entry.value());
        return entry.value();
      }
      String self = prefix + name;
      Entry entry = services.entry(name);
      Node value = entry.value() instanceof Tagged t ? t.value() : entry.value();
      if (!(value instanceof MapNode service) || !service.has("extends")) {
        done.put(name, entry.value());
        return entry.value();
      }
      String path = "services." + name + ".extends";
      Entry extendsEntry = service.entry("extends");
      Map<String, Entry> without = new LinkedHashMap<>(service.entries());
      without.remove("extends");
      MapNode own = new MapNode(service.location(), without);
      Node spec = Node.untag(extendsEntry.value());
      String baseName;
      String file = null;
      if (spec instanceof ScalarNode scalar && !scalar.isNull()) {
        baseName = scalar.text();
      } else if (spec instanceof MapNode map) {
        baseName = text(map.get("service"));
        file = text(map.get("file"));
        if (baseName == null) {
          diagnostics.problem(map.location(), path, "extends." + name + ".service is required");
          return failed(name, own);
        }
      } else {
        diagnostics.problem(
            extendsEntry.keyLocation(),
            path,
            "must be a service name or a mapping with service and file (found "
                + (spec == null ? "nothing" : spec.describe())
                + ")");
        return failed(name, own);
      }
      Node base;
      if (file == null) {
        if (chain.contains(prefix + baseName) || baseName.equals(name)) {
          List<String> cycle = new ArrayList<>();
          int from = chain.indexOf(prefix + baseName);
          if (from >= 0) {
            chain.subList(from, chain.size()).forEach(c -> cycle.add(shortName(c)));
          }
          cycle.add(name);
          cycle.add(baseName);
          diagnostics.problem(
              extendsEntry.keyLocation(),
              path,
              "extends cycle detected: " + String.join(" -> ", cycle));
          return failed(name, own);
        }
        if (services.entry(baseName) == null) {
          diagnostics.problem(
              spec.location(),
              path,
              "cannot extend service \""
                  + baseName
                  + "\": service not found"
                  + KeySuggestions.suggestion(baseName, others(services, name)));
          return failed(name, own);
        }
        List<String> inner = new ArrayList<>(chain);
        inner.add(self);
        base = resolve(baseName, inner);
        if (diagnostics.failedUnder("services." + baseName)) {
          diagnostics.failedAt("services." + name); // inherits what its base is missing
        }
      } else {
        base = fromFile(file, baseName, spec, path, chain, self);
        if (base == null) {
          return failed(name, own);
        }
      }
      Node baseService = base instanceof Tagged t ? t.value() : base;
      if (baseService instanceof ScalarNode s && s.isNull()) {
        baseService = new MapNode(s.location(), Map.of());
      }
      if (!(baseService instanceof MapNode)) {
        return failed(name, own);
      }
      Node merged = TreeMerger.merge(wrap(baseService), wrap(own));
      Node result = ((MapNode) ((MapNode) merged).get("services")).get("x");
      done.put(name, result);
      return result;
    }

    /** The base service from another file, its own extends resolved, its paths made absolute. */
    private Node fromFile(
        String file, String baseName, Node spec, String path, List<String> chain, String self) {
      Path written = directory(Path.of(spec.location().file()));
      Path other = written.resolve(file).normalize();
      String key = other.toAbsolutePath().normalize() + "#" + baseName;
      if (chain.contains(key)) {
        List<String> cycle = new ArrayList<>();
        chain.subList(chain.indexOf(key), chain.size()).forEach(c -> cycle.add(shortName(c)));
        cycle.add(shortName(key));
        diagnostics.problem(
            spec.location(), path, "extends cycle detected: " + String.join(" -> ", cycle));
        return null;
      }
      if (!budget.include()) {
        budget.report(diagnostics, spec.location(), path, tooManyIncludes());
        return null;
      }
      if (!files.allowed(other, "extended file", spec.location(), path)) {
        return null;
      }
      if (!ProjectFiles.isFile(other)) {
        diagnostics.problem(
            spec.location(), path, "cannot read the extended file " + other + ": file not found");
        return null;
      }
      TreeInterpolator interpolator = interpolator(environment);
      Node model = null;
      for (Node document : read(other, spec.location(), path, "extended file")) {
        model = TreeMerger.merge(model, interpolator.interpolate(document, ""));
      }
      if (!(model instanceof MapNode map)
          || !(map.get("services") instanceof MapNode otherServices)
          || otherServices.entry(baseName) == null) {
        diagnostics.problem(
            spec.location(),
            path,
            "cannot extend service \"" + baseName + "\" in " + other + ": service not found");
        return null;
      }
      List<String> inner = new ArrayList<>(chain);
      inner.add(self);
      inner.add(key);
      Extender nested = new Extender(otherServices, environment);
      Node base = nested.resolveNested(baseName, inner);
      if (!(base instanceof MapNode baseMap)) {
        return base;
      }
      return RelativePaths.resolveService(baseMap, directory(other));
    }

    private Node resolveNested(String name, List<String> chain) {
      return resolve(name, chain);
    }
  }

  /** The service names but one: a service is never suggested as its own base. */
  private static java.util.Set<String> others(MapNode services, String name) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>(services.entries().keySet());
    out.remove(name);
    return out;
  }

  /** {@code web} for {@code /dir/compose.yaml#web}. */
  private static String shortName(String key) {
    return key.substring(key.lastIndexOf('#') + 1);
  }

  /** A service as a one-service model, so that it merges with the service merge rules. */
  private static MapNode wrap(Node service) {
    Location at = service.location();
    return new MapNode(
        at,
        Map.of(
            "services",
            new Entry("services", at, new MapNode(at, Map.of("x", new Entry("x", at, service))))));
  }

  // ------------------------------------------------------------------ helpers

  private String tooManyIncludes() {
    return "the project includes or extends from more than "
        + budget.limits().maxIncludes()
        + " files"
        + LoadBudget.raise("maxIncludes");
  }

  static Path directory(Path file) {
    Path parent = file.toAbsolutePath().normalize().getParent();
    return parent == null ? Path.of("/") : parent;
  }

  private List<String> strings(Node node, String path) {
    List<String> out = new ArrayList<>();
    node = Node.untag(node);
    if (node instanceof ScalarNode scalar && !scalar.isNull()) {
      out.add(scalar.text());
    } else if (node instanceof ListNode list) {
      for (int i = 0; i < list.items().size(); i++) {
        Node item = list.items().get(i);
        if (item instanceof ScalarNode s && !s.isNull()) {
          out.add(s.text());
        } else if (item instanceof MapNode m && text(m.get("path")) != null) {
          out.add(text(m.get("path")));
        } else {
          diagnostics.problem(
              item.location(),
              path + "[" + i + "]",
              "must be a string (found " + item.describe() + ")");
        }
      }
    } else if (node != null) {
      diagnostics.problem(
          node.location(), path, "must be a string or a list (found " + node.describe() + ")");
    }
    return out;
  }

  private static String text(Node node) {
    node = Node.untag(node);
    return node instanceof ScalarNode scalar && !scalar.isNull() ? scalar.text() : null;
  }
}
