package io.stackwright.compose.internal;

import io.stackwright.api.NotFoundException;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.state.TaskState;
import io.stackwright.compose.internal.ContainerMapper.CreateRequest;
import io.stackwright.compose.internal.SecretFiles.FileMount;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Single containers for a rolling update that core drives: one container of a service's new spec
 * started beside the old ones (numbered after the highest, labelled with the new config hash, so
 * that a later apply of the new spec adopts it), and one old container stopped and removed.
 */
public final class ReplicaControl {
  private final ProjectReader reader;
  private final ContainerOps ops;
  private final SecretFiles files;
  private final ProjectState state;
  private final Settings settings;
  private final Clock clock;
  private final boolean startIntervalSupported;

  public ReplicaControl(
      Engine engine,
      ProjectReader reader,
      SecretFiles files,
      ProjectState state,
      Settings settings,
      Clock clock,
      boolean startIntervalSupported) {
    this.reader = reader;
    this.ops = new ContainerOps(engine);
    this.files = files;
    this.state = state;
    this.settings = settings;
    this.clock = clock;
    this.startIntervalSupported = startIntervalSupported;
  }

  /** Creates and starts one more container of {@code service} as {@code stack} declares it. */
  public TaskState start(StackSpec stack, String service, EventListener listener) {
    ServiceSpec spec = stack.services().get(service);
    if (spec == null) {
      throw new NotFoundException("stack " + stack.name() + " declares no service " + service);
    }
    List<FileMount> mounts = files.mounts(stack, spec);
    for (FileMount m : mounts) {
      if (!files.upToDate(m)) {
        files.write(m);
      }
    }
    List<Observed.Container> containers = reader.containers(stack.name(), service);
    int number = containers.stream().mapToInt(Observed.Container::number).max().orElse(0) + 1;
    String imageId =
        reader
            .imageId(spec.image())
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "image "
                            + spec.image()
                            + " of service "
                            + service
                            + " is not on the engine"));
    CreateRequest request =
        ContainerMapper.map(
            stack,
            spec,
            new ContainerMapper.Inputs(
                number,
                ConfigHash.of(stack, spec, files.digest()),
                imageId,
                ServiceActions.desiredReplicas(spec),
                mounts,
                Map.of(),
                null,
                settings.workingDir(),
                settings.configFiles(),
                startIntervalSupported));
    String id = ops.create(request);
    ops.start(id, request.name());
    // From now on the new spec is the service's current one: its replicas count as current in the
    // status, the old ones as leftovers of the previous version.
    state.recordService(
        stack.name(),
        service,
        new ProjectState.ServiceRecord(
            ServiceActions.desiredReplicas(spec),
            ConfigHash.of(stack, spec, files.digest()),
            ComposeNames.mode(spec.mode())));
    new Emitter(listener, clock, stack.name())
        .emit(
            new EventDetail.ResourceCreated(EventDetail.Resource.CONTAINER, request.name(), id),
            service,
            "container " + request.name() + " started beside the running ones");
    return reader
        .inspect(id)
        .map(
            inspect ->
                StatusReader.task(
                    service,
                    new Observed.Container(
                        id,
                        request.name(),
                        service,
                        number,
                        "running",
                        null,
                        ConfigHash.of(stack, spec, files.digest()),
                        spec.image(),
                        imageId,
                        0,
                        Map.of()),
                    inspect,
                    true,
                    false))
        .orElseThrow(
            () -> new NotFoundException("container " + request.name() + " vanished after start"));
  }

  /** Stops and removes one container (with its anonymous volumes). */
  public void remove(String stack, TaskState replica, EventListener listener) {
    String name =
        reader.containers(stack, replica.service()).stream()
            .filter(c -> c.id().equals(replica.containerId()))
            .map(Observed.Container::name)
            .findFirst()
            .orElse(replica.containerId());
    ops.stopAndRemove(replica.containerId(), name, true);
    forgetVanishedVersion(stack, replica.service());
    new Emitter(listener, clock, stack)
        .emit(
            new EventDetail.ResourceDeleted(
                EventDetail.Resource.CONTAINER, name, replica.containerId()),
            replica.service(),
            "container " + name + " removed");
  }

  /**
   * When the last container of the recorded spec is gone (the new version's replicas removed after
   * they failed), the service runs what its remaining containers run: the newest of them.
   */
  private void forgetVanishedVersion(String stack, String service) {
    ProjectState.ServiceRecord record = state.service(stack, service).orElse(null);
    List<Observed.Container> left = reader.containers(stack, service);
    if (record == null
        || left.isEmpty()
        || left.stream().anyMatch(c -> Objects.equals(c.hash(), record.hash()))) {
      return;
    }
    Observed.Container newest =
        left.stream().max(Comparator.comparingLong(Observed.Container::created)).orElseThrow();
    state.recordService(
        stack,
        service,
        new ProjectState.ServiceRecord(record.replicas(), newest.hash(), record.mode()));
  }
}
