package io.stackwright.compose.internal;

import io.stackwright.api.StackSpec;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine names of each project's own networks, for the watch: a network event carries only the
 * network's name and type, no labels, so the watch matches names. {@code <project>_<key>} is
 * matched by its prefix; a network declared with a {@code name:} of its own is known from the specs
 * this platform planned or applied, and from the project's labelled networks the engine listed when
 * a watch began (a process that attached to a running stack has planned nothing yet). Names are
 * only ever added while the project lives: a name no longer declared matches no event the
 * comparison would not also show, and a comparison costs one plan.
 */
public final class NetworkNames {
  private final Map<String, Set<String>> byProject = new ConcurrentHashMap<>();

  /** Remembers the names of the networks {@code stack} declares and uses (not external ones). */
  public void remember(StackSpec stack) {
    Set<String> names = names(stack.name());
    for (String key : Planner.usedNetworks(stack)) {
      if (!Planner.isExternal(stack, key)) {
        names.add(ComposeNames.network(stack, key));
      }
    }
  }

  /** Remembers networks the engine holds for {@code project} (labelled with it). */
  public void remember(String project, Collection<String> names) {
    names(project).addAll(names);
  }

  /** Whether {@code name} is the name of one of {@code project}'s networks. */
  public boolean isOf(String project, String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    Set<String> known = byProject.get(project);
    return name.startsWith(project + "_") || (known != null && known.contains(name));
  }

  /** Forgets a removed project. */
  public void forget(String project) {
    byProject.remove(project);
  }

  private Set<String> names(String project) {
    return byProject.computeIfAbsent(project, p -> ConcurrentHashMap.newKeySet());
  }
}
