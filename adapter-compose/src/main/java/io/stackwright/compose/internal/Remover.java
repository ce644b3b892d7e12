package io.stackwright.compose.internal;

import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.compose.internal.Observed.Container;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a project the way {@code docker compose down} does: every container with the project
 * label (stopped in parallel, each with its own grace period, then removed), then the project's
 * networks, then, only when asked, its volumes (named and the containers' anonymous ones), and
 * finally the directory of its secret and config files. Idempotent: what is already gone is
 * skipped.
 */
public final class Remover {
  private static final Logger LOG = LoggerFactory.getLogger(Remover.class);

  private final Engine engine;
  private final ProjectReader reader;
  private final ContainerOps ops;
  private final SecretFiles files;
  private final Clock clock;
  private final ExecutorService executor;

  public Remover(
      Engine engine,
      ProjectReader reader,
      SecretFiles files,
      Clock clock,
      ExecutorService executor) {
    this.engine = engine;
    this.reader = reader;
    this.ops = new ContainerOps(engine);
    this.files = files;
    this.clock = clock;
    this.executor = executor;
  }

  public void remove(String project, RemoveOptions options, EventListener listener) {
    Emitter events = new Emitter(listener, clock, project);
    List<Container> containers = reader.allContainers(project);
    Map<Container, Throwable> failures = new ConcurrentHashMap<>();
    TaskGraph.run(
        executor,
        containers,
        c -> Set.of(),
        c -> {
          ops.stopAndRemove(c.id(), c.name(), options.removeVolumes());
          events.emit(
              new EventDetail.ResourceDeleted(EventDetail.Resource.CONTAINER, c.name(), c.id()),
              c.service(),
              "container " + c.name() + " removed");
        },
        failures);
    if (!failures.isEmpty()) {
      throw new PlatformException(
          "removing stack "
              + project
              + " failed: "
              + failures.entrySet().stream()
                  .map(e -> e.getKey().name() + ": " + e.getValue().getMessage())
                  .collect(Collectors.joining("; ")),
          failures.values().stream()
              .allMatch(t -> t instanceof PlatformException p && p.retryable()),
          failures.values().iterator().next());
    }
    Map<String, String> errors = new TreeMap<>();
    for (Observed.Network n : reader.projectNetworks(project)) {
      try {
        if (engine.delete("removing network " + n.name(), "/networks/" + n.id())) {
          events.emit(
              new EventDetail.ResourceDeleted(EventDetail.Resource.NETWORK, n.name(), n.id()),
              n.labels().get(ComposeNames.NETWORK),
              "network " + n.name() + " removed");
        }
      } catch (OrchestratorException e) {
        errors.put("network " + n.name(), e.getMessage());
      }
    }
    if (options.removeVolumes()) {
      for (Observed.Volume v : reader.projectVolumes(project)) {
        try {
          if (engine.delete(
              "removing volume " + v.name(), "/volumes/" + ProjectReader.encode(v.name()))) {
            events.emit(
                new EventDetail.ResourceDeleted(EventDetail.Resource.VOLUME, v.name(), null),
                v.labels().get(ComposeNames.VOLUME),
                "volume " + v.name() + " removed");
          }
        } catch (OrchestratorException e) {
          errors.put("volume " + v.name(), e.getMessage());
        }
      }
    }
    if (files.deleteProject(project)) {
      events.emit(
          new EventDetail.ResourceDeleted(EventDetail.Resource.FILES, project, null),
          null,
          "secret and config files of " + project + " removed");
    }
    if (!errors.isEmpty()) {
      throw new PlatformException(
          "removing stack " + project + " left resources behind: " + errors, false);
    }
    // STACK_REMOVED is the controller's, once per remove on every platform (as on Swarm)
    LOG.info("Stack {} removed ({} containers)", project, containers.size());
  }
}
