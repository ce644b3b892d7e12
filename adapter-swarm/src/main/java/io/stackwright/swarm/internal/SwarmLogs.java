package io.stackwright.swarm.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogSwarmObjectCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Task;
import io.stackwright.api.LogLine;
import io.stackwright.api.LogOptions;
import io.stackwright.api.PlatformException;
import io.stackwright.api.spi.Subscription;
import io.stackwright.docker.internal.Engine;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The logs of a stack's services, task by task through the Engine API ({@code GET
 * /tasks/{id}/logs}, which a manager gathers from the task's node), each line named by its task's
 * slot ({@code web.1}): the {@code docker stack logs} the docker CLI never had (moby#31458). Task
 * logs rather than service logs because docker-java does not pass the service logs' {@code details}
 * flag, without which a line does not say its task. {@code --follow} follows the tasks that should
 * run when it starts.
 */
public final class SwarmLogs {
  private final Engine engine;

  public SwarmLogs(Engine engine) {
    this.engine = engine;
  }

  public Subscription read(String stack, LogOptions options, Consumer<LogLine> lines) {
    List<Service> services =
        engine.call(
            "listing the services of stack " + stack,
            () ->
                engine
                    .docker()
                    .listServicesCmd()
                    .withLabelFilter(Map.of(StackNames.NAMESPACE, stack))
                    .exec());
    Map<String, String> keys = new java.util.HashMap<>();
    for (Service service : services) {
      keys.put(service.getId(), StackNames.descope(stack, service.getSpec().getName()));
    }
    List<Task> tasks =
        services.isEmpty()
            ? List.of()
            : engine.call(
                "listing the tasks of stack " + stack,
                () ->
                    engine
                        .docker()
                        .listTasksCmd()
                        .withServiceFilter(keys.keySet().toArray(String[]::new))
                        .exec());
    List<Closeable> streams = new ArrayList<>();
    List<ResultCallback.Adapter<Frame>> callbacks = new ArrayList<>();
    for (Task task : tasks) {
      String key = keys.get(task.getServiceId());
      if (key == null
          || (options.follow()
              && !"running".equalsIgnoreCase(String.valueOf(task.getDesiredState())))) {
        continue;
      }
      String replica =
          key
              + "."
              + (task.getSlot() != null && task.getSlot() > 0
                  ? String.valueOf(task.getSlot())
                  : String.valueOf(task.getNodeId()));
      LogSwarmObjectCmd command =
          (options.follow() ? engine.streaming() : engine.docker())
              .logTaskCmd(task.getId())
              .withStdout(true)
              .withStderr(true)
              .withTimestamps(true)
              .withFollow(options.follow());
      if (options.tail() >= 0) {
        command.withTail(options.tail());
      }
      if (options.since() != null) {
        command.withSince((int) options.since().getEpochSecond());
      }
      ResultCallback.Adapter<Frame> callback =
          new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              String payload = new String(frame.getPayload(), StandardCharsets.UTF_8);
              for (String raw : payload.split("\n", -1)) {
                if (!raw.isEmpty()) {
                  lines.accept(parse(key, replica, raw, frame.getStreamType()));
                }
              }
            }
          };
      try {
        command.exec(callback);
      } catch (RuntimeException e) {
        throw new PlatformException(
            "reading the logs of task " + replica + " failed: " + e.getMessage(), true, e);
      }
      callbacks.add(callback);
      streams.add(callback);
    }
    if (!options.follow()) {
      for (ResultCallback.Adapter<Frame> callback : callbacks) {
        try {
          callback.awaitCompletion(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return () -> {
      for (Closeable stream : streams) {
        try {
          stream.close();
        } catch (IOException e) {
          // closing a finished stream
        }
      }
    };
  }

  /** {@code timestamp message}. */
  private static LogLine parse(String service, String replica, String raw, StreamType type) {
    String rest = raw;
    Instant timestamp = null;
    int space = rest.indexOf(' ');
    if (space > 0) {
      try {
        timestamp = Instant.parse(rest.substring(0, space));
        rest = rest.substring(space + 1);
      } catch (DateTimeParseException e) {
        // no timestamp
      }
    }
    String stream = type == StreamType.STDERR ? "stderr" : "stdout";
    return new LogLine(service, replica, stream, timestamp, rest);
  }
}
