package io.stackwright.swarm.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.EventListener;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.ExecResult;
import io.stackwright.api.state.TaskState;
import io.stackwright.docker.internal.ContainerStates;
import io.stackwright.docker.internal.Engine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** How long a replacement waits for Swarm's new task (restart delay, 5 s by default, first). */
  static final Duration SUCCESSOR_WAIT = Duration.ofSeconds(30);

  /**
   * Tasks replaced on request, whose REPLICA_REPLACED the request reports: a watcher does not
   * report them again. Process-wide (a watcher and a replacement may come from two platform
   * instances on one engine); task ids are unique per swarm, and the set is bounded.
   */
  private static final Set<String> REPLACED =
      java.util.Collections.newSetFromMap(
          java.util.Collections.synchronizedMap(
              new java.util.LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > 1000;
                }
              }));

  static boolean replacedByRequest(String taskId) {
    return REPLACED.contains(taskId);
  }

  private final Engine engine;
  private final Clock clock;

  public ReplicaAccess(Engine engine, Clock clock) {
    this.engine = engine;
    this.clock = clock;
  }

  public ExecResult exec(TaskState replica, List<String> command, Duration timeout) {
    String container = containerOf(replica);
    String what =
        "running a command in task "
            + replica.id()
            + " (container "
            + ContainerStates.shortId(container)
            + ")";
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
      // The attached output is a stream: bounded by this exec's own timeout, not the response
      // deadline.
      engine.call(what, () -> engine.streaming().execStartCmd(created.getId()).exec(callback));
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
    REPLACED.add(replica.id());
    engine.run(
        "removing container " + ContainerStates.shortId(container) + " of task " + replica.id(),
        () -> engine.docker().removeContainerCmd(container).withForce(true).exec());
    LOG.info(
        "Replaced task {} of {}/{} by removing its container",
        replica.id(),
        stack,
        replica.service());
    String fresh = awaitSuccessor(stack, replica);
    events.onEvent(
        new OrchestratorEvent(
            clock.instant(),
            stack,
            replica.service(),
            "task "
                + replica.id()
                + " (slot "
                + replica.slot()
                + ") was replaced"
                + (fresh == null ? "" : " by task " + fresh)
                + ": its container was removed",
            new EventDetail.ReplicaReplaced(
                replica.service(), replica.id(), fresh, replica.slot(), "replacement requested")));
  }

  /**
   * The task Swarm schedules for the slot after the container was removed (its restart delay passes
   * first), so the event names both replicas as on the single engine; null when none shows within
   * {@link #SUCCESSOR_WAIT}.
   */
  private String awaitSuccessor(String stack, TaskState replica) {
    String service = StackNames.scope(stack, replica.service());
    long deadline = System.nanoTime() + SUCCESSOR_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        for (com.github.dockerjava.api.model.Task task :
            engine.call(
                "listing the tasks of " + service,
                () -> engine.docker().listTasksCmd().withServiceFilter(service).exec())) {
          if (task.getSlot() != null
              && task.getSlot() == replica.slot()
              && !replica.id().equals(task.getId())
              && task.getDesiredState() == com.github.dockerjava.api.model.TaskState.RUNNING) {
            return task.getId();
          }
        }
        TimeUnit.MILLISECONDS.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (RuntimeException e) {
        LOG.debug("Looking for the successor of task {}: {}", replica.id(), e.toString());
        return null;
      }
    }
    LOG.warn("No task took slot {} of {} within {}", replica.slot(), service, SUCCESSOR_WAIT);
    return null;
  }

  private static String containerOf(TaskState replica) {
    if (replica.containerId() == null || replica.containerId().isBlank()) {
      throw new NotFoundException(
          "task " + replica.id() + " has no container yet (state " + replica.status() + ")");
    }
    return replica.containerId();
  }
}
