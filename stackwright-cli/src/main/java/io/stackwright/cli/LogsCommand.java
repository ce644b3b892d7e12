package io.stackwright.cli;

import io.stackwright.api.LogLine;
import io.stackwright.api.LogOptions;
import io.stackwright.api.UnsupportedFeatureException;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Subscription;
import io.stackwright.core.Orchestrator;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stackwright logs}: the merged logs of every service of a stack, each line prefixed with
 * its replica ({@code web.1 | ...}), as {@code docker compose logs} prints a project's, and what
 * {@code docker stack logs} would be (moby#31458). Without {@code --follow} the lines are sorted by
 * time; with it they are printed as they come, until Ctrl-C. Exit codes: 0 done, 1 the stack does
 * not exist or the engine failed, 2 usage.
 */
@Command(
    name = "logs",
    description =
        "Prints the merged logs of every service of a stack, each line prefixed with its replica"
            + " (service.slot).")
final class LogsCommand implements Callable<Integer> {
  @Mixin StackwrightCli.Common common;
  @Mixin StackwrightCli.NameFromFiles names;

  @Option(
      names = {"-F", "--follow"},
      description = "Keep printing new lines until interrupted.")
  boolean follow;

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      description =
          "Only lines since this instant (2026-01-31T10:00:00Z) or this long ago (10m, 90s, PT1H).")
  String since;

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "N",
      defaultValue = "-1",
      description = "Only the last N lines of each replica (default: all).")
  int tail;

  @Option(
      names = {"-t", "--timestamps"},
      description = "Show each line's timestamp.")
  boolean timestamps;

  @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    String name = names.stackName(common);
    Instant from = since == null ? null : parseSince(since, Clock.systemUTC());
    if (tail < -1) {
      throw new CommandLine.ParameterException(
          common.spec.commandLine(), "--tail takes a number of lines (0 or more)");
    }
    LogOptions options = new LogOptions(follow, from, tail);
    PrintWriter out = common.out();
    try (Orchestrator orchestrator = common.orchestrator()) {
      if (!orchestrator.platform().capabilities().contains(Capability.LOGS)) {
        throw new UnsupportedFeatureException(
            "platform " + orchestrator.platformName() + " cannot read logs");
      }
      if (orchestrator.status(name).isEmpty()) {
        throw new io.stackwright.api.NotFoundException("stack " + name + " not found");
      }
      int width =
          Math.max(
              5,
              orchestrator.status(name).services().stream()
                      .mapToInt(s -> s.name().length())
                      .max()
                      .orElse(5)
                  + 3);
      if (!follow) {
        List<LogLine> lines = new ArrayList<>();
        orchestrator
            .platform()
            .logs(
                name,
                options,
                line -> {
                  synchronized (lines) {
                    lines.add(line);
                  }
                })
            .close();
        lines.sort(
            Comparator.comparing(l -> l.timestamp() == null ? Instant.EPOCH : l.timestamp()));
        for (LogLine line : lines) {
          if (wanted(line)) {
            print(out, line, width);
          }
        }
        out.flush();
        return StackwrightCli.OK;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(stopped::countDown, "stackwright-logs-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try (Subscription subscription =
          orchestrator
              .platform()
              .logs(
                  name,
                  options,
                  line -> {
                    if (wanted(line)) {
                      synchronized (out) {
                        print(out, line, width);
                        out.flush();
                      }
                    }
                  })) {
        stopped.await();
      }
      return StackwrightCli.OK;
    }
  }

  private boolean wanted(LogLine line) {
    return services.isEmpty() || services.contains(line.service());
  }

  private void print(PrintWriter out, LogLine line, int width) {
    if (common.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("replica", line.replica());
      json.put("service", line.service());
      json.put("stream", line.stream());
      json.put("at", line.timestamp() == null ? null : line.timestamp().toString());
      json.put("text", line.text());
      common.printLine(json);
      return;
    }
    StringBuilder text = new StringBuilder();
    text.append(String.format("%-" + width + "s | ", line.replica()));
    if (timestamps && line.timestamp() != null) {
      text.append(line.timestamp()).append(' ');
    }
    text.append(line.text());
    out.println(text);
  }

  /** An instant, or a duration before now ({@code 10m}, {@code 90s}, {@code PT1H}). */
  static Instant parseSince(String value, Clock clock) {
    try {
      return Instant.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      try {
        Duration ago = new StackwrightCli.DurationConverter().convert(value);
        return clock.instant().minus(ago);
      } catch (RuntimeException notDuration) {
        throw new IllegalArgumentException(
            "--since takes an instant (2026-01-31T10:00:00Z) or a duration (10m, 90s), not '"
                + value
                + "'");
      }
    }
  }
}
