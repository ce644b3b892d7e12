package io.stackwright.loader.internal;

import io.stackwright.loader.internal.Node.Entry;
import io.stackwright.loader.internal.Node.ListNode;
import io.stackwright.loader.internal.Node.MapNode;
import io.stackwright.loader.internal.Node.ScalarNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which services a load keeps. A service without {@code profiles} is always enabled; one with
 * profiles is enabled when one of them is active ({@code --profile}, {@code COMPOSE_PROFILES}, or
 * {@code "*"} for all). Services named explicitly (like {@code docker compose up web}) are loaded
 * with every service they depend on, whatever their profiles: those are pulled in by dependency. An
 * optional dependency ({@code required: false}) on a disabled service is dropped with a warning; a
 * required one is an error, reported by the stack checks.
 */
final class Profiles {
  private Profiles() {}

  /**
   * @param model the tree with only the selected services
   * @param disabled the services left out, with their profiles
   */
  record Selection(MapNode model, Map<String, List<String>> disabled) {}

  static Selection select(
      MapNode root, Set<String> active, Set<String> targets, Diagnostics diagnostics) {
    if (!(root.get("services") instanceof MapNode services)) {
      return new Selection(root, Map.of());
    }
    Map<String, List<String>> disabled = new LinkedHashMap<>();
    Set<String> enabled = new LinkedHashSet<>();
    for (Entry e : services.entries().values()) {
      List<String> profiles = profiles(e.value());
      if (profiles.isEmpty()
          || active.contains("*")
          || profiles.stream().anyMatch(active::contains)) {
        enabled.add(e.key());
      } else {
        disabled.put(e.key(), profiles);
      }
    }
    if (!targets.isEmpty()) {
      Set<String> selected = new LinkedHashSet<>();
      Deque<String> queue = new ArrayDeque<>();
      for (String target : targets) {
        if (services.entry(target) == null) {
          diagnostics.problem(
              services.location(),
              "services",
              "no such service: "
                  + target
                  + KeySuggestions.suggestion(target, services.entries().keySet()));
        } else {
          queue.add(target);
        }
      }
      while (!queue.isEmpty()) {
        String name = queue.poll();
        if (selected.add(name)) {
          for (String dependency : dependencies(services.get(name))) {
            if (services.entry(dependency) != null) {
              queue.add(dependency);
            }
          }
        }
      }
      enabled = selected;
      disabled.keySet().removeAll(selected);
    }
    Map<String, Entry> kept = new LinkedHashMap<>();
    for (Entry e : services.entries().values()) {
      if (enabled.contains(e.key())) {
        kept.put(e.key(), dropOptional(e, disabled, diagnostics));
      }
    }
    Map<String, Entry> entries = new LinkedHashMap<>(root.entries());
    Entry servicesEntry = root.entry("services");
    entries.put(
        "services",
        new Entry("services", servicesEntry.keyLocation(), new MapNode(services.location(), kept)));
    return new Selection(new MapNode(root.location(), entries), disabled);
  }

  /** The service without its optional dependencies on disabled services. */
  private static Entry dropOptional(
      Entry service, Map<String, List<String>> disabled, Diagnostics diagnostics) {
    if (!(service.value() instanceof MapNode map)
        || !(map.get("depends_on") instanceof MapNode dependsOn)) {
      return service;
    }
    Map<String, Entry> kept = new LinkedHashMap<>();
    for (Entry dependency : dependsOn.entries().values()) {
      boolean optional =
          dependency.value() instanceof MapNode config
              && config.get("required") instanceof ScalarNode required
              && (Boolean.FALSE.equals(required.value()) || "false".equals(required.text()));
      if (optional && disabled.containsKey(dependency.key())) {
        diagnostics.warn(
            dependency.keyLocation(),
            "services." + service.key() + ".depends_on." + dependency.key(),
            "optional dependency \""
                + dependency.key()
                + "\" is disabled (none of its profiles "
                + disabled.get(dependency.key())
                + " is active); ignored");
      } else {
        kept.put(dependency.key(), dependency);
      }
    }
    if (kept.size() == dependsOn.entries().size()) {
      return service;
    }
    Map<String, Entry> entries = new LinkedHashMap<>(map.entries());
    entries.put(
        "depends_on",
        new Entry(
            "depends_on",
            map.entry("depends_on").keyLocation(),
            new MapNode(dependsOn.location(), kept)));
    return new Entry(service.key(), service.keyLocation(), new MapNode(map.location(), entries));
  }

  static List<String> profiles(Node service) {
    List<String> out = new ArrayList<>();
    if (service instanceof MapNode map && map.get("profiles") instanceof ListNode list) {
      for (Node item : list.items()) {
        if (item instanceof ScalarNode s && !s.isNull()) {
          out.add(s.text());
        }
      }
    }
    return out;
  }

  /** The services a service depends on: {@code depends_on}, {@code links}, {@code volumes_from}. */
  static List<String> dependencies(Node service) {
    List<String> out = new ArrayList<>();
    if (!(service instanceof MapNode map)) {
      return out;
    }
    Node dependsOn = map.get("depends_on");
    if (dependsOn instanceof MapNode m) {
      out.addAll(m.entries().keySet());
    } else if (dependsOn instanceof ListNode list) {
      list.items().forEach(i -> addText(i, out, false));
    }
    if (map.get("links") instanceof ListNode links) {
      for (Node link : links.items()) {
        if (link instanceof ScalarNode s && !s.isNull()) {
          out.add(s.text().split(":", 2)[0]);
        }
      }
    }
    if (map.get("volumes_from") instanceof ListNode from) {
      for (Node item : from.items()) {
        if (item instanceof ScalarNode s && !s.isNull() && !s.text().startsWith("container:")) {
          out.add(s.text().split(":", 2)[0]);
        }
      }
    }
    for (String key : List.of("network_mode", "ipc", "pid")) {
      if (map.get(key) instanceof ScalarNode s && !s.isNull() && s.text().startsWith("service:")) {
        out.add(s.text().substring("service:".length()));
      }
    }
    return out;
  }

  private static void addText(Node node, List<String> out, boolean unused) {
    if (node instanceof ScalarNode s && !s.isNull()) {
      out.add(s.text());
    }
  }
}
