package io.stackwright.swarm.internal;

import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Container;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.docker.internal.Engine;
import io.stackwright.swarm.internal.LiveStack.LiveFile;
import io.stackwright.swarm.internal.LiveStack.LiveNetwork;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a stack the way {@code docker stack rm} does (services, secrets, configs, networks), plus
 * its volumes when asked, and waits until nothing of it remains. Networks and volumes can only go
 * once the tasks' containers are gone, so their removal is retried with a backoff, within {@link
 * #TIMEOUT}. Removing a stack that does not exist does nothing.
 */
public final class Remover {
  private static final Logger LOG = LoggerFactory.getLogger(Remover.class);

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SERVICE_ID_LABEL = "com.docker.swarm.service.id";
  private static final long MAX_BACKOFF_MILLIS = 1000;

  private final Engine engine;
  private final Clock clock;
  private final Duration timeout;

  public Remover(Engine engine, Clock clock) {
    this(engine, clock, TIMEOUT);
  }

  Remover(Engine engine, Clock clock, Duration timeout) {
    this.engine = engine;
    this.clock = clock;
    this.timeout = timeout;
  }

  public void remove(String stack, RemoveOptions options, EventListener events) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<LiveService> services = LiveStack.services(engine, stack);
    for (LiveService s : services) {
      boolean removed =
          engine
              .find(
                  "removing service " + s.name(),
                  () -> {
                    engine.docker().removeServiceCmd(s.id()).exec();
                    return true;
                  })
              .isPresent();
      if (removed) {
        emit(events, stack, ResourceKind.SERVICE, s.name(), s.id());
      }
    }
    for (LiveFile f : LiveStack.secrets(engine)) {
      if (f.inNamespace(stack)) {
        retry(
            "removing secret " + f.name(),
            deadline,
            () ->
                engine
                    .find(
                        "removing secret " + f.name(),
                        () -> {
                          engine.docker().removeSecretCmd(f.id()).exec();
                          return true;
                        })
                    .isPresent());
        emit(events, stack, ResourceKind.SECRET, f.name(), f.id());
      }
    }
    for (LiveFile f : LiveStack.configs(engine)) {
      if (f.inNamespace(stack)) {
        retry(
            "removing config " + f.name(),
            deadline,
            () ->
                engine
                    .find(
                        "removing config " + f.name(),
                        () -> {
                          engine.docker().removeConfigCmd(f.id()).exec();
                          return true;
                        })
                    .isPresent());
        emit(events, stack, ResourceKind.CONFIG, f.name(), f.id());
      }
    }
    // the engine stops and removes the tasks' containers; networks can go once they are gone
    awaitGone(
        "the containers of stack " + stack,
        deadline,
        () -> {
          reapAbandoned(stack);
          return containers(stack).isEmpty();
        },
        () -> containers(stack).toString());
    for (LiveNetwork n : LiveStack.networks(engine)) {
      if (n.inNamespace(stack)) {
        // fails while the tasks' containers are still attached: retry until they are gone
        retry(
            "removing network " + n.name(),
            deadline,
            () ->
                engine
                    .find(
                        "removing network " + n.name(),
                        () -> {
                          engine.docker().removeNetworkCmd(n.id()).exec();
                          return true;
                        })
                    .isPresent());
        emit(events, stack, ResourceKind.NETWORK, n.name(), n.id());
      }
    }
    if (options.removeVolumes()) {
      for (InspectVolumeResponse v : volumes(stack)) {
        retry(
            "removing volume " + v.getName(),
            deadline,
            () ->
                engine
                    .find(
                        "removing volume " + v.getName(),
                        () -> {
                          engine.docker().removeVolumeCmd(v.getName()).exec();
                          return true;
                        })
                    .isPresent());
        emit(events, stack, ResourceKind.VOLUME, v.getName(), null);
      }
    }
    awaitGone(
        "stack " + stack,
        deadline,
        () -> {
          reapAbandoned(stack);
          return leftovers(stack, options).isEmpty();
        },
        () -> leftovers(stack, options).toString());
  }

  /** What remains of the stack, for the wait and for the message when it does not end. */
  List<String> leftovers(String stack, RemoveOptions options) {
    List<String> left = new ArrayList<>();
    LiveStack.services(engine, stack).forEach(s -> left.add("service " + s.name()));
    LiveStack.networks(engine).stream()
        .filter(n -> n.inNamespace(stack))
        .forEach(n -> left.add("network " + n.name()));
    LiveStack.secrets(engine).stream()
        .filter(f -> f.inNamespace(stack))
        .forEach(f -> left.add("secret " + f.name()));
    LiveStack.configs(engine).stream()
        .filter(f -> f.inNamespace(stack))
        .forEach(f -> left.add("config " + f.name()));
    containers(stack)
        .forEach(
            c -> left.add("container " + c.getId().substring(0, 12) + " (" + c.getState() + ")"));
    if (options.removeVolumes()) {
      volumes(stack).forEach(v -> left.add("volume " + v.getName()));
    }
    return left;
  }

  /**
   * Removes the stack's containers that never ran or have stopped, once their service is gone. The
   * engine normally removes them itself, but a container whose start failed while its service was
   * being removed (its network already gone) stays in state "created" forever.
   */
  private void reapAbandoned(String stack) {
    Set<String> services = new HashSet<>();
    LiveStack.services(engine, stack).forEach(s -> services.add(s.id()));
    for (Container c : containers(stack)) {
      String service = c.getLabels() == null ? null : c.getLabels().get(SERVICE_ID_LABEL);
      boolean stopped = !"running".equals(c.getState()) && !"restarting".equals(c.getState());
      if (stopped && (service == null || !services.contains(service))) {
        LOG.debug("Removing abandoned container {} of stack {}", c.getId(), stack);
        engine.find(
            "removing abandoned container " + c.getId() + " of stack " + stack,
            () -> {
              engine.docker().removeContainerCmd(c.getId()).withForce(true).exec();
              return true;
            });
      }
    }
  }

  /** The containers of the stack's tasks on this engine, running or not. */
  List<Container> containers(String stack) {
    return engine.call(
        "listing the containers of stack " + stack,
        () ->
            engine
                .docker()
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(StackNames.NAMESPACE, stack))
                .exec());
  }

  List<InspectVolumeResponse> volumes(String stack) {
    List<InspectVolumeResponse> volumes =
        engine
            .call(
                "listing the volumes of stack " + stack,
                () ->
                    engine
                        .docker()
                        .listVolumesCmd()
                        .withFilter("label", List.of(StackNames.NAMESPACE + "=" + stack))
                        .exec())
            .getVolumes();
    return volumes == null ? List.of() : new ArrayList<>(volumes);
  }

  /**
   * Runs {@code attempt} until it succeeds or the deadline passes; engine refusals (in use, active
   * endpoints) are retried with a growing pause, other failures end it.
   */
  private void retry(String what, long deadline, BooleanSupplier attempt) {
    long backoff = 50;
    while (true) {
      try {
        attempt.getAsBoolean();
        return;
      } catch (OrchestratorException e) {
        if (System.nanoTime() > deadline) {
          throw new PlatformException(
              what + " did not succeed within " + timeout.toSeconds() + " s: " + e.getMessage(),
              true,
              e);
        }
        LOG.debug("{} failed, retrying in {} ms: {}", what, backoff, e.getMessage());
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private void awaitGone(
      String what, long deadline, BooleanSupplier gone, Supplier<String> remaining) {
    long backoff = 50;
    while (!gone.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new PlatformException(
            what
                + " was not gone within "
                + timeout.toSeconds()
                + " s (left: "
                + remaining.get()
                + "); remove it again",
            true);
      }
      pause(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException("interrupted while removing a stack", true, e);
    }
  }

  private void emit(EventListener events, String stack, ResourceKind kind, String name, String id) {
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack,
            StackNames.descope(stack, name),
            kind.name().toLowerCase(java.util.Locale.ROOT) + " " + name + " removed",
            new EventDetail.ResourceDeleted(EventDetail.Resource.of(kind), name, id)));
  }
}
