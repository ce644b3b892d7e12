package io.stackwright.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.state.TaskState;
import io.stackwright.compose.internal.ContainerMapper.CreateRequest;
import io.stackwright.docker.internal.Engine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container of a project, reached directly: commands run in it ({@code docker exec}) and its
 * replacement by a fresh copy (compose's recreate sequence, cloned from the container itself so no
 * spec is needed).
 */
public final class ReplicaAccess {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaAccess.class);

  /** How often a running exec is polled for its end. */
  static final Duration EXEC_POLL = Duration.ofMillis(25);

  private final Engine engine;
  private final ProjectReader reader;
  private final ContainerOps ops;
  private final Clock clock;

  public ReplicaAccess(Engine engine, ProjectReader reader, Clock clock) {
    this.engine = engine;
    this.reader = reader;
    this.ops = new ContainerOps(engine);
    this.clock = clock;
  }

  /**
   * Runs {@code command} detached and polls its end: a detached exec needs no open stream per
   * probe, and the exit code is all a probe needs. Its output is therefore not collected (empty). A
   * command still running at the timeout is left to end by itself (the engine cannot kill an exec)
   * and reported as timed out.
   */
  public ExecResult exec(TaskState replica, List<String> command, Duration timeout) {
    String container = containerOf(replica);
    ObjectNode create = JsonNodeFactory.instance.objectNode();
    create.put("AttachStdout", false).put("AttachStderr", false);
    create.set("Cmd", engine.mapper().valueToTree(command));
    String what = "running a command in container " + ComposeNames.shortId(container);
    JsonNode created = engine.post(what, "/containers/" + container + "/exec", create);
    String execId = created.path("Id").asText();
    ObjectNode start = JsonNodeFactory.instance.objectNode().put("Detach", true).put("Tty", false);
    engine.post(what, "/exec/" + execId + "/start", start);
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      JsonNode state = engine.get(what, "/exec/" + execId + "/json");
      if (!state.path("Running").asBoolean(false)) {
        return new ExecResult(state.path("ExitCode").asInt(-1), "", false);
      }
      if (!clock.instant().isBefore(deadline)) {
        return new ExecResult(-1, "", true);
      }
      try {
        Thread.sleep(EXEC_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PlatformException(what + " was interrupted", false, e);
      }
    }
  }

  /**
   * Recreates the container the way compose does (new one under a temporary name, old stopped and
   * removed, new renamed and started), copying the old container's configuration, number and
   * networks.
   */
  public void replace(String project, TaskState replica, EventListener listener) {
    String container = containerOf(replica);
    JsonNode inspect =
        reader
            .inspect(container)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "cannot replace replica "
                            + replica.service()
                            + "."
                            + replica.slot()
                            + " of stack "
                            + project
                            + ": its container is gone"));
    Map<String, String> labels =
        engine.mapper().convertValue(inspect.path("Config").path("Labels"), Map.class);
    int replicas = Integer.parseInt(labels.getOrDefault(ComposeNames.REPLICAS, "1"));
    String oldName = inspect.path("Name").asText().replaceFirst("^/", "");
    CreateRequest request = ContainerMapper.cloneOf(inspect, project, replica.slot(), replicas);
    String temporary = ComposeNames.temporary(container, request.name());
    String id = ops.create(request.named(temporary));
    ops.stopAndRemove(container, oldName, false);
    ops.rename(id, temporary, request.name());
    ops.start(id, request.name());
    LOG.info("Replaced container {} of {} by {}", oldName, project, ComposeNames.shortId(id));
    new Emitter(listener, clock, project)
        .emit(
            new EventDetail.ReplicaReplaced(
                replica.service(), container, id, replica.slot(), "replacement requested"),
            replica.service(),
            "container "
                + request.name()
                + " was recreated: "
                + ComposeNames.shortId(container)
                + " replaced by "
                + ComposeNames.shortId(id));
  }

  private static String containerOf(TaskState replica) {
    String container = replica.containerId() != null ? replica.containerId() : replica.id();
    if (container == null || container.isBlank()) {
      throw new NotFoundException("replica " + replica.id() + " has no container");
    }
    return container;
  }
}
