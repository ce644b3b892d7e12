package io.stackwright.loader.internal;

import io.stackwright.api.StackSpec;
import io.stackwright.loader.internal.References.Kind;
import io.stackwright.loader.internal.References.PublishedPort;
import io.stackwright.loader.internal.References.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks across services, reported at the line that causes them: references to undeclared
 * networks, volumes, secrets, configs and services, dependency cycles, and a published port used
 * twice.
 */
final class StackChecks {
  private StackChecks() {}

  static void check(
      References references,
      Set<String> services,
      Map<String, List<String>> disabled,
      Set<String> networks,
      Set<String> volumes,
      Set<String> secrets,
      Set<String> configs,
      Diagnostics diagnostics) {
    Map<String, List<Reference>> dependencies = new LinkedHashMap<>();
    for (Reference ref : references.references) {
      Set<String> declared =
          switch (ref.kind()) {
            case NETWORK -> networks;
            case VOLUME -> volumes;
            case SECRET -> secrets;
            case CONFIG -> configs;
            case SERVICE -> services;
          };
      if (declared.contains(ref.name())
          || (ref.kind() == Kind.NETWORK && ref.name().equals(StackSpec.DEFAULT_NETWORK))) {
        if (ref.kind() == Kind.SERVICE) {
          dependencies.computeIfAbsent(ref.service(), k -> new ArrayList<>()).add(ref);
        }
        continue;
      }
      String message;
      if (ref.kind() == Kind.SERVICE && disabled.containsKey(ref.name())) {
        message =
            "service \""
                + ref.service()
                + "\" depends on service \""
                + ref.name()
                + "\", which is disabled: none of its profiles "
                + disabled.get(ref.name())
                + " is active";
      } else if (ref.kind() == Kind.SERVICE) {
        message =
            "service \""
                + ref.service()
                + "\" depends on undefined service \""
                + ref.name()
                + "\""
                + KeySuggestions.suggestion(ref.name(), without(declared, ref.service()));
      } else {
        message =
            "service \""
                + ref.service()
                + "\" refers to undefined "
                + ref.kind().noun
                + " \""
                + ref.name()
                + "\""
                + KeySuggestions.suggestion(ref.name(), declared);
      }
      diagnostics.problem(ref.at(), ref.path(), message);
    }
    cycles(services, dependencies, diagnostics);
    ports(references.ports, diagnostics);
  }

  /** The names but one: a service is never suggested as its own dependency. */
  private static Set<String> without(Set<String> names, String name) {
    Set<String> out = new java.util.LinkedHashSet<>(names);
    out.remove(name);
    return out;
  }

  private static void cycles(
      Set<String> services, Map<String, List<Reference>> edges, Diagnostics diagnostics) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
    for (String service : services) {
      if (!state.containsKey(service)) {
        visit(service, edges, state, new ArrayList<>(), new ArrayList<>(), diagnostics);
      }
    }
  }

  private static void visit(
      String service,
      Map<String, List<Reference>> edges,
      Map<String, Integer> state,
      List<String> path,
      List<Reference> via,
      Diagnostics diagnostics) {
    state.put(service, 1);
    path.add(service);
    for (Reference edge : edges.getOrDefault(service, List.of())) {
      Integer s = state.get(edge.name());
      if (s == null) {
        via.add(edge);
        visit(edge.name(), edges, state, path, via, diagnostics);
        via.remove(via.size() - 1);
      } else if (s == 1) {
        int start = path.indexOf(edge.name());
        List<String> cycle = new ArrayList<>(path.subList(start, path.size()));
        cycle.add(edge.name());
        Reference first = start < via.size() ? via.get(start) : edge;
        diagnostics.problem(
            first.at(), first.path(), "dependency cycle detected: " + String.join(" -> ", cycle));
      }
    }
    path.remove(path.size() - 1);
    state.put(service, 2);
  }

  private static void ports(List<PublishedPort> ports, Diagnostics diagnostics) {
    List<PublishedPort> seen = new ArrayList<>();
    for (PublishedPort port : ports) {
      for (PublishedPort earlier : seen) {
        if (earlier.port().published().equals(port.port().published())
            && earlier.port().protocol().equals(port.port().protocol())
            && sameAddress(earlier.port().hostIp(), port.port().hostIp())) {
          diagnostics.problem(
              port.at(),
              port.path(),
              "published port "
                  + port.port().published()
                  + "/"
                  + port.port().protocol()
                  + " is already used by "
                  + earlier.path()
                  + " ("
                  + (earlier.at().file().equals(port.at().file())
                      ? "line " + earlier.at().line()
                      : earlier.at().toString())
                  + ")");
          break;
        }
      }
      seen.add(port);
    }
  }

  private static boolean sameAddress(String a, String b) {
    return a == null || b == null || a.equals(b) || a.equals("0.0.0.0") || b.equals("0.0.0.0");
  }
}
