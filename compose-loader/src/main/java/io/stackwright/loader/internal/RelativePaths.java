package io.stackwright.loader.internal;

import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the relative paths of an included or extended file absolute against its own directory (or
 * an include's {@code project_directory}): build contexts, env and label files, bind-mount sources,
 * and the files of secrets and configs. Paths of the main files stay relative, to the working
 * directory.
 */
final class RelativePaths {
  private RelativePaths() {}

  /** Every service and the secrets and configs of a model. */
  static MapNode resolve(MapNode model, Path dir) {
    Map<String, Entry> entries = new LinkedHashMap<>(model.entries());
    if (model.get("services") instanceof MapNode services) {
      Map<String, Entry> resolved = new LinkedHashMap<>();
      for (Entry e : services.entries().values()) {
        Node value =
            e.value() instanceof MapNode service ? resolveService(service, dir) : e.value();
        resolved.put(e.key(), new Entry(e.key(), e.keyLocation(), value));
      }
      put(entries, "services", new MapNode(services.location(), resolved));
    }
    for (String section : List.of("secrets", "configs")) {
      if (model.get(section) instanceof MapNode resources) {
        Map<String, Entry> resolved = new LinkedHashMap<>();
        for (Entry e : resources.entries().values()) {
          Node value =
              e.value() instanceof MapNode resource
                  ? replace(resource, "file", file(resource.get("file"), dir))
                  : e.value();
          resolved.put(e.key(), new Entry(e.key(), e.keyLocation(), value));
        }
        put(entries, section, new MapNode(resources.location(), resolved));
      }
    }
    return new MapNode(model.location(), entries);
  }

  static MapNode resolveService(MapNode service, Path dir) {
    MapNode out = service;
    Node build = service.get("build");
    if (build instanceof ScalarNode scalar && !scalar.isNull()) {
      out = replace(out, "build", context(scalar, dir));
    } else if (build instanceof MapNode map && map.get("context") instanceof ScalarNode context) {
      out = replace(out, "build", replace(map, "context", context(context, dir)));
    } else if (build instanceof MapNode map && !map.has("context")) {
      out =
          replace(
              out,
              "build",
              with(map, "context", ScalarNode.string(map.location(), dir.toString())));
    }
    for (String key : List.of("env_file", "label_file")) {
      Node node = service.get(key);
      if (node instanceof ScalarNode) {
        out = replace(out, key, file(node, dir));
      } else if (node instanceof ListNode list) {
        List<Node> items = new ArrayList<>();
        for (Node item : list.items()) {
          if (item instanceof MapNode map) {
            items.add(replace(map, "path", file(map.get("path"), dir)));
          } else {
            items.add(file(item, dir));
          }
        }
        out = replace(out, key, new ListNode(list.location(), items));
      }
    }
    if (service.get("volumes") instanceof ListNode volumes) {
      List<Node> items = new ArrayList<>();
      for (Node item : volumes.items()) {
        items.add(volume(item, dir));
      }
      out = replace(out, "volumes", new ListNode(volumes.location(), items));
    }
    return out;
  }

  private static Node volume(Node item, Path dir) {
    if (item instanceof ScalarNode scalar && scalar.isString()) {
      String[] parts = MountParser.splitShort(scalar.text());
      if (parts.length > 1 && parts[0].startsWith(".")) {
        parts[0] = dir.resolve(parts[0]).normalize().toString();
        return ScalarNode.string(scalar.location(), String.join(":", parts));
      }
      return item;
    }
    if (item instanceof MapNode map
        && map.get("type") instanceof ScalarNode type
        && "bind".equals(type.text())
        && map.get("source") instanceof ScalarNode source
        && !source.isNull()
        && !source.text().startsWith("/")
        && !source.text().startsWith("~")) {
      return replace(
          map,
          "source",
          ScalarNode.string(source.location(), dir.resolve(source.text()).normalize().toString()));
    }
    return item;
  }

  private static Node context(ScalarNode scalar, Path dir) {
    String text = scalar.text();
    if (text.contains("://") || text.startsWith("git@") || text.startsWith("/")) {
      return scalar;
    }
    return ScalarNode.string(scalar.location(), dir.resolve(text).normalize().toString());
  }

  private static Node file(Node node, Path dir) {
    if (node instanceof ScalarNode scalar && !scalar.isNull()) {
      String text = scalar.text();
      if (text.startsWith("/") || text.startsWith("~")) {
        return scalar;
      }
      return ScalarNode.string(scalar.location(), dir.resolve(text).normalize().toString());
    }
    return node;
  }

  private static MapNode replace(MapNode map, String key, Node value) {
    Entry entry = map.entry(key);
    if (entry == null || value == null || value == entry.value()) {
      return map;
    }
    Map<String, Entry> entries = new LinkedHashMap<>(map.entries());
    entries.put(key, new Entry(key, entry.keyLocation(), value));
    return new MapNode(map.location(), entries);
  }

  private static MapNode with(MapNode map, String key, Node value) {
    Map<String, Entry> entries = new LinkedHashMap<>(map.entries());
    entries.put(key, new Entry(key, map.location(), value));
    return new MapNode(map.location(), entries);
  }

  private static void put(Map<String, Entry> entries, String key, Node value) {
    Entry entry = entries.get(key);
    entries.put(key, new Entry(key, entry.keyLocation(), value));
  }
}
