package io.stackwright.swarm.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.state.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's container, reached through the engine this platform talks to: commands run in it, and
 * its replacement. Both need the container on this engine's node: Swarm has no API to run a command
 * in, or remove, a container of another node.
 */
public final class ReplicaAccess {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaAccess.class);

  /** Output kept from a command: enough for a probe's reason, never a flood in events. */
  static final int MAX_OUTPUT = 4096;

  private final Engine engine;
  private final Clock clock;

  public ReplicaAccess(Engine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  public ExecResult exec(TaskState replica, List<String> command, Duration timeout) {
    String container = containerOf(replica);
    String what =
        "running a command in task " + replica.id() + " (container " + shortId(container) + ")";
    ExecCreateCmdResponse created =
        engine.call(
            what,
            () ->
                engine
                    .docker()
                    .execCreateCmd(container)
                    .withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec());
    StringBuilder output = new StringBuilder();
    ResultCallback.Adapter<Frame> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Frame frame) {
            synchronized (output) {
              if (output.length() < MAX_OUTPUT) {
                output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
              }
            }
          }
        };
    boolean finished;
    try {
      engine.call(what, () -> engine.docker().execStartCmd(created.getId()).exec(callback));
      finished = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException(what + " was interrupted", false, e);
    } finally {
      try {
        callback.close();
      } catch (java.io.IOException e) {
        LOG.debug("Closing the exec stream failed", e);
      }
    }
    String text;
    synchronized (output) {
      text = output.length() > MAX_OUTPUT ? output.substring(0, MAX_OUTPUT) : output.toString();
    }
    if (!finished) {
      return new ExecResult(-1, text, true);
    }
    InspectExecResponse state =
        engine.call(what, () -> engine.docker().inspectExecCmd(created.getId()).exec());
    Long exitCode = state.getExitCodeLong();
    return new ExecResult(exitCode == null ? -1 : exitCode.intValue(), text, false);
  }

  /**
   * Removes the task's container (forced): the task fails, and Swarm schedules a new task for the
   * slot as the service's restart policy says. Stackwright does not touch the service spec, so no
   * other replica restarts.
   */
  public void replace(String stack, TaskState replica, EventListener events) {
    String container = containerOf(replica);
    engine.run(
        "removing container " + shortId(container) + " of task " + replica.id(),
        () -> engine.docker().removeContainerCmd(container).withForce(true).exec());
    LOG.info(
        "Replaced task {} of {}/{} by removing its container",
        replica.id(),
        stack,
        replica.service());
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            EventType.REPLICA_REPLACED,
            stack,
            replica.service(),
            "task "
                + replica.id()
                + " (slot "
                + replica.slot()
                + ") replaced: its container was removed",
            Map.of(
                "taskId", replica.id(),
                "containerId", container,
                "slot", Integer.toString(replica.slot()))));
  }

  private static String containerOf(TaskState replica) {
    if (replica.containerId() == null || replica.containerId().isBlank()) {
      throw new NotFoundException(
          "task " + replica.id() + " has no container yet (state " + replica.status() + ")");
    }
    return replica.containerId();
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
