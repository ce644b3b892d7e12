package io.stackwright.junit;

import io.stackwright.api.NotFoundException;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.core.Orchestrator;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A stack the extension brought up for a test: its name, the addresses of its services, and the
 * orchestrator that runs it (to scale, update or read its state in a test). Resolve it as a
 * parameter of a test, a constructor or a {@code @BeforeAll} method, or ask {@link
 * StackwrightExtension#stack()}.
 */
public final class RunningStack {
  private final StackSpec spec;
  private final Orchestrator orchestrator;
  private final String host;

  RunningStack(StackSpec spec, Orchestrator orchestrator, String host) {
    this.spec = spec;
    this.orchestrator = orchestrator;
    this.host = host;
  }

  /** The stack's name on the engine: the prefix and a random suffix. */
  public String name() {
    return spec.name();
  }

  /** The stack as deployed, with the host ports the extension chose for unpublished ones. */
  public StackSpec spec() {
    return spec;
  }

  public Orchestrator orchestrator() {
    return orchestrator;
  }

  /** What runs now. */
  public StackState status() {
    return orchestrator.status(spec.name());
  }

  /**
   * Where the test reaches {@code service}'s container port {@code targetPort}, published on the
   * engine's host.
   *
   * @throws NotFoundException when the service does not publish that port
   */
  public HostPort hostPort(String service, int targetPort) {
    ServiceSpec declared = spec.service(service);
    for (PortSpec port : declared.ports()) {
      if (port.target() == targetPort && port.published() != null && port.published() > 0) {
        String bind = port.hostIp();
        boolean specific = bind != null && !bind.equals("0.0.0.0") && !bind.equals("::");
        return new HostPort(specific ? bind : host, port.published());
      }
    }
    throw new NotFoundException(
        "service "
            + service
            + " of stack "
            + name()
            + " publishes no port for container port "
            + targetPort
            + "; it publishes "
            + declared.ports());
  }

  /** {@code http://host:port} of {@link #hostPort}. */
  public URI url(String service, int targetPort) {
    return hostPort(service, targetPort).uri("http");
  }

  /**
   * The addresses of {@code service}'s running replicas, as the platform gives them (container
   * addresses on the engine's networks); needs a platform with {@code REPLICA_ADDRESS}.
   */
  public List<String> replicaAddresses(String service) {
    spec.service(service);
    return status().service(service).map(s -> s.currentTasks()).orElse(List.of()).stream()
        .filter(t -> t.status() == TaskStatus.RUNNING)
        .map(this::address)
        .flatMap(Optional::stream)
        .toList();
  }

  private Optional<String> address(TaskState replica) {
    return orchestrator.platform().replicaAddress(spec.name(), replica);
  }

  @Override
  public String toString() {
    return "stack " + name() + " on " + orchestrator.platformName();
  }
}
