package io.stackwright.cli;

import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import io.stackwright.core.Orchestrator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackwright ps}: the replicas of a stack, one line each, like {@code docker stack ps} and
 * {@code docker compose ps}: state, health, node, the ports its service publishes (from the Compose
 * file, when one is given) and whether it runs the current spec. Exit codes: 0 listed, 1 the stack
 * does not exist or the engine failed, 2 usage.
 */
@Command(
    name = "ps",
    description =
        "Lists the replicas of a stack: state, health, node, ports. Ports come from the Compose"
            + " file (-f). Exit 1 when the stack does not exist.")
final class PsCommand implements Callable<Integer> {
  @Mixin StackwrightCli.Common common;
  @Mixin StackwrightCli.NameFromFiles names;

  @Option(
      names = {"-a", "--all"},
      description = "Also list replicas that ended or were replaced (old versions).")
  boolean all;

  @Override
  public Integer call() {
    String name = names.stackName(common);
    Map<String, String> ports = new LinkedHashMap<>();
    if (!names.files.isEmpty()) {
      StackwrightCli.Files loader = new StackwrightCli.Files();
      loader.files = names.files;
      StackSpec stack = loader.load(common.name);
      for (ServiceSpec service : stack.services().values()) {
        List<String> published = new ArrayList<>();
        for (PortSpec port : service.ports()) {
          published.add(describe(port));
        }
        ports.put(service.name(), String.join(",", published));
      }
    }
    try (Orchestrator orchestrator = common.orchestrator()) {
      StackState state = orchestrator.status(name);
      if (state.isEmpty()) {
        throw new io.stackwright.api.NotFoundException("stack " + name + " not found");
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ServiceState service : state.services()) {
        List<TaskState> tasks = new ArrayList<>(service.tasks());
        tasks.sort(
            java.util.Comparator.comparingInt(TaskState::slot)
                .thenComparing(t -> !t.current())
                .thenComparing(t -> t.status().ordinal()));
        for (TaskState task : tasks) {
          boolean live = task.desiredStatus() == TaskStatus.RUNNING;
          if (!all && !live) {
            continue;
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put(
              "replica",
              service.name() + "." + (task.slot() > 0 ? task.slot() : shortId(task.nodeId())));
          row.put("service", service.name());
          row.put("id", task.id());
          row.put("state", task.status().name().toLowerCase(Locale.ROOT));
          row.put("desired", task.desiredStatus().name().toLowerCase(Locale.ROOT));
          row.put("health", task.health().name().toLowerCase(Locale.ROOT));
          row.put("node", task.nodeId() == null ? "" : task.nodeId());
          row.put("ports", ports.getOrDefault(service.name(), ""));
          row.put("current", task.current());
          row.put("error", task.error() == null ? "" : task.error());
          rows.add(row);
        }
      }
      common.print(Map.of("stack", name, "replicas", rows), table(rows));
      return StackwrightCli.OK;
    }
  }

  private static String table(List<Map<String, Object>> rows) {
    int width =
        Math.max(
            7, rows.stream().mapToInt(r -> r.get("replica").toString().length()).max().orElse(7));
    String format = "%-" + width + "s  %-9s %-10s %-14s %-18s %-8s %s%n";
    StringBuilder text =
        new StringBuilder(
            String.format(
                format, "REPLICA", "STATE", "HEALTH", "NODE", "PORTS", "VERSION", "ERROR"));
    for (Map<String, Object> row : rows) {
      text.append(
          String.format(
              format,
              row.get("replica"),
              row.get("state"),
              row.get("health"),
              shortId((String) row.get("node")),
              ((String) row.get("ports")).isEmpty() ? "-" : row.get("ports"),
              Boolean.TRUE.equals(row.get("current")) ? "current" : "old",
              row.get("error")));
    }
    return text.toString().stripTrailing();
  }

  private static String describe(PortSpec port) {
    return (port.published() == null ? "" : port.published() + ":")
        + port.target()
        + "/"
        + String.valueOf(port.protocol()).toLowerCase(Locale.ROOT);
  }

  private static String shortId(String id) {
    return id == null || id.isEmpty() ? "-" : id.substring(0, Math.min(12, id.length()));
  }
}
