package io.stackwright.cli;

import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.core.Orchestrator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code stackwright diff}: the typed differences between the Compose files and what runs (the
 * long-requested {@code docker stack deploy --dry-run}). Exit code 0 when equal, 1 when they
 * differ, 2 on invalid input. Values that may hold secrets read {@code (redacted)}. A resource that
 * differs shows when the engine says it last changed, where it tells. Writes nothing.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = false,
    description = {
      "Shows the typed differences between the files and what runs. Writes nothing.",
      "Exit code: 0 equal, 1 different, 2 invalid input."
    })
final class DiffCommand implements Callable<Integer> {
  /** Exit code when what runs differs from the files. */
  static final int DIFFERENT = 1;

  @Mixin StackwrightCli.Common common;
  @Mixin StackwrightCli.Files files;

  @Override
  public Integer call() {
    StackSpec stack = files.load(common.name);
    try (Orchestrator orchestrator = common.orchestrator()) {
      Plan plan = orchestrator.plan(stack);
      common.print(json(plan), text(plan));
      return plan.isEmpty() ? StackwrightCli.OK : DIFFERENT;
    }
  }

  static Map<String, Object> json(Plan plan) {
    List<Map<String, Object>> changes = new ArrayList<>();
    for (Change change : plan.changes()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("kind", change.kind().name().toLowerCase(Locale.ROOT));
      entry.put("resource", change.key());
      if (change instanceof Change.Create) {
        entry.put("change", "missing");
      } else if (change instanceof Change.Delete) {
        entry.put("change", "extra");
      } else if (change instanceof Change.Update update) {
        entry.put("change", "differs");
        if (update.changedAt() != null) {
          entry.put("changedAt", update.changedAt().toString());
        }
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldChange f : update.fields()) {
          Map<String, Object> field = new LinkedHashMap<>();
          field.put("path", f.path());
          field.put("live", f.before());
          field.put("file", f.after());
          fields.add(field);
        }
        entry.put("fields", fields);
      }
      changes.add(entry);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stack", plan.stack());
    out.put("equal", plan.isEmpty());
    out.put("changes", changes);
    return out;
  }

  static String text(Plan plan) {
    if (plan.isEmpty()) {
      return "stack " + plan.stack() + ": what runs is as the files declare";
    }
    StringBuilder out =
        new StringBuilder(
            "stack "
                + plan.stack()
                + ": "
                + plan.changes().size()
                + (plan.changes().size() == 1 ? " difference" : " differences"));
    for (Change change : plan.changes()) {
      String what = change.kind().name().toLowerCase(Locale.ROOT) + " " + change.key();
      if (change instanceof Change.Create) {
        out.append("\n+ ").append(what).append(": declared, not running");
      } else if (change instanceof Change.Delete) {
        out.append("\n- ").append(what).append(": running, not declared");
      } else if (change instanceof Change.Update update) {
        out.append("\n~ ").append(what);
        if (update.changedAt() != null) {
          out.append(" (live changed ").append(update.changedAt()).append(")");
        }
        for (FieldChange f : update.fields()) {
          out.append("\n    ")
              .append(f.path())
              .append(": ")
              .append(f.before())
              .append(" (live) -> ")
              .append(f.after())
              .append(" (file)");
        }
      }
    }
    return out.toString();
  }
}
