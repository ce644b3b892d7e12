package io.stackwright.compose.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.compose.internal.Observed.Container;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What must happen to one service's containers to match its spec, decided from one observation. The
 * same rules serve {@code plan} (which describes them) and {@code apply} (which does them, from a
 * fresh observation), so a plan and its application never disagree on the rules.
 *
 * <ul>
 *   <li>A container is <em>outdated</em> when its config-hash label differs from the service's
 *       hash, or when the image it runs is not the one the image reference resolves to now (compose
 *       recreates after a pull). Outdated and dead containers are recreated.
 *   <li>An up-to-date container that is not running (exited, created) is started, except for a
 *       one-shot service (a job, or a dependency awaited with {@code
 *       service_completed_successfully}), whose exited containers are done; only its never-started
 *       ones are started.
 *   <li>Too many containers: those needing recreation go first, then the highest numbers (compose's
 *       scale-down). Too few: new containers get the numbers after the highest one.
 *   <li>A container under a replacement's temporary name ({@code <id[:12]>_<name>}) was left by a
 *       replacement that was interrupted (the process killed): when a container of its number still
 *       has the final name, the replacement is undone (the temporary one removed, the old one dealt
 *       with by the rules above); when none has, it is finished (renamed to the final name, then
 *       dealt with as any container). A later replacement of the same old container would otherwise
 *       fail on the name being taken (HTTP 409).
 * </ul>
 *
 * @param leftovers temporary containers of interrupted replacements whose old container is there
 * @param finish temporary containers of interrupted replacements to rename to their final names
 *     (their names in the other lists are the final ones)
 * @param remove containers removed to scale down
 * @param recreate containers replaced by a new one of the same number
 * @param start containers started as they are
 * @param create numbers of the containers to create
 * @param existing the number of containers found
 * @param desired the number of containers wanted
 */
public record ServiceActions(
    List<Container> leftovers,
    List<Container> finish,
    List<Container> remove,
    List<Container> recreate,
    List<Container> start,
    List<Integer> create,
    int existing,
    int desired) {

  public ServiceActions {
    leftovers = List.copyOf(leftovers);
    finish = List.copyOf(finish);
    remove = List.copyOf(remove);
    recreate = List.copyOf(recreate);
    start = List.copyOf(start);
    create = List.copyOf(create);
  }

  public boolean isEmpty() {
    return leftovers.isEmpty()
        && finish.isEmpty()
        && remove.isEmpty()
        && recreate.isEmpty()
        && start.isEmpty()
        && create.isEmpty();
  }

  /** The containers wanted for a service: 1 in global modes, else its replicas. */
  public static int desiredReplicas(ServiceSpec service) {
    return switch (service.mode()) {
      case GLOBAL, GLOBAL_JOB -> 1;
      default -> service.replicas();
    };
  }

  /** Whether the container runs another spec or another image than the one wanted. */
  public static boolean outdated(Container c, String hash, String imageId) {
    if (!Objects.equals(hash, c.hash())) {
      return true;
    }
    return imageId != null && c.imageId() != null && !imageId.equals(c.imageId());
  }

  /**
   * @param containers the service's containers, not being removed
   * @param imageId what the image reference resolves to now, or null when unknown
   */
  public static ServiceActions compute(
      ServiceSpec service,
      String hash,
      String imageId,
      List<Container> containers,
      boolean oneShot) {
    int desired = desiredReplicas(service);
    Set<Integer> finalNumbers = new HashSet<>();
    for (Container c : containers) {
      if (ComposeNames.finalName(c.name()).isEmpty()) {
        finalNumbers.add(c.number());
      }
    }
    List<Container> leftovers = new ArrayList<>();
    List<Container> finish = new ArrayList<>();
    List<Container> current = new ArrayList<>();
    for (Container c : containers) {
      Optional<String> finalName = ComposeNames.finalName(c.name());
      if (finalName.isEmpty()) {
        current.add(c);
      } else if (finalNumbers.add(c.number())) {
        finish.add(c);
        current.add(c.named(finalName.get()));
      } else {
        leftovers.add(c);
      }
    }
    List<Container> sorted =
        current.stream().sorted(Comparator.comparingInt(Container::number)).toList();
    List<Container> remove = new ArrayList<>();
    if (sorted.size() > desired) {
      remove.addAll(
          sorted.stream()
              .sorted(
                  Comparator.comparing((Container c) -> outdated(c, hash, imageId) ? 0 : 1)
                      .thenComparing(Comparator.comparingInt(Container::number).reversed()))
              .limit(sorted.size() - desired)
              .toList());
    }
    List<Container> recreate = new ArrayList<>();
    List<Container> start = new ArrayList<>();
    for (Container c : sorted) {
      if (remove.contains(c)) {
        continue;
      }
      if (outdated(c, hash, imageId) || c.dead()) {
        recreate.add(c);
      } else if (!c.running()) {
        if (!oneShot || "created".equals(c.state())) {
          start.add(c);
        }
      }
    }
    List<Integer> create = new ArrayList<>();
    int next = sorted.stream().mapToInt(Container::number).max().orElse(0) + 1;
    for (int i = sorted.size(); i < desired; i++) {
      create.add(next++);
    }
    return new ServiceActions(
        leftovers, finish, remove, recreate, start, create, sorted.size(), desired);
  }
}
