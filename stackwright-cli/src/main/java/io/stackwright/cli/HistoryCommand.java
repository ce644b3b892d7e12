package io.stackwright.cli;

import io.stackwright.api.store.AuditEntry;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackwright history -p STACK}: the stack's audit history from the store, oldest first:
 * every job that finished (what it changed, its outcome, duration, host process and principal) and
 * every drift detected, repaired or whose repairs stopped. A removed stack keeps its history.
 */
@Command(
    name = "history",
    description = "Shows the audit history of a stack: its jobs and drift, oldest first.")
final class HistoryCommand implements Callable<Integer> {
  @Mixin StackwrightCli.Common common;

  @Mixin StackwrightCli.NameFromFiles nameFromFiles;

  @Option(
      names = "--since",
      defaultValue = "7d",
      paramLabel = "AGE",
      description = "Entries from this long ago (30m, 12h, 7d; default 7d).")
  String since;

  @Override
  public Integer call() {
    String name = nameFromFiles.stackName(common);
    Duration age = age(since);
    try (Orchestrator orchestrator = common.orchestrator()) {
      Instant to = Instant.now().plusSeconds(1);
      List<AuditEntry> entries = orchestrator.stack(name).history(to.minus(age), to);
      List<Object> machine = new ArrayList<>();
      StringBuilder human =
          new StringBuilder(
              String.format(
                  "%-24s %-20s %-7s %-10s %-9s %-6s %s",
                  "AT", "WHAT", "JOB", "KIND", "REVISION", "MS", "OUTCOME / SUMMARY"));
      for (AuditEntry e : entries) {
        machine.add(json(e));
        human
            .append('\n')
            .append(
                String.format(
                    "%-24s %-20s %-7s %-10s %-9s %-6d %s%s",
                    e.at(),
                    e.kind().id(),
                    e.jobId() == 0 ? "-" : String.valueOf(e.jobId()),
                    e.jobKind() == null ? "-" : e.jobKind(),
                    e.revisionBefore() + "->" + e.revisionAfter(),
                    e.duration().toMillis(),
                    e.outcome(),
                    e.summary().isEmpty() ? "" : ": " + e.summary()));
      }
      if (entries.isEmpty()) {
        human.append("\n(no entries for ").append(name).append(" since ").append(since).append(')');
      }
      common.print(machine, human.toString());
      return StackwrightCli.OK;
    }
  }

  static Duration age(String text) {
    String v = text.trim();
    try {
      if (v.endsWith("d")) {
        return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "--since must be an age such as 30m, 12h or 7d, not " + text);
  }

  static Map<String, Object> json(AuditEntry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", e.id());
    out.put("at", e.at().toString());
    out.put("stack", e.stack());
    out.put("kind", e.kind().id());
    out.put("job", e.jobId());
    out.put("jobKind", e.jobKind());
    out.put("revisionBefore", e.revisionBefore());
    out.put("revisionAfter", e.revisionAfter());
    out.put("summary", e.summary());
    out.put("outcome", e.outcome());
    out.put("durationMillis", e.duration().toMillis());
    out.put("host", e.host());
    out.put("principal", e.principal());
    return out;
  }
}
