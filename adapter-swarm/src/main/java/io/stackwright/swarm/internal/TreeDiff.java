package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.plan.FieldChange;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Lists the leaf paths where two normalized trees differ. Objects are walked key by key; arrays and
 * scalars are leaves ({@code TaskTemplate.ContainerSpec.Env} is one change, whatever changed in
 * it). Values that may hold secrets are replaced by {@link FieldChange#REDACTED}.
 */
public final class TreeDiff {

  /** Paths whose values are never shown: the environment and log driver options (tokens). */
  private static final List<String> REDACTED_PATHS =
      List.of("TaskTemplate.ContainerSpec.Env", "TaskTemplate.LogDriver.Options");

  private TreeDiff() {}

  /** The changes from {@code before} (live) to {@code after} (desired). */
  public static List<FieldChange> diff(JsonNode before, JsonNode after) {
    List<FieldChange> changes = new ArrayList<>();
    walk("", before, after, changes);
    return changes;
  }

  private static void walk(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
    boolean beforeMissing = before == null || before.isNull() || before.isMissingNode();
    boolean afterMissing = after == null || after.isNull() || after.isMissingNode();
    if (beforeMissing && afterMissing) {
      return;
    }
    if (!beforeMissing && !afterMissing && before.equals(after)) {
      return;
    }
    boolean beforeObject = !beforeMissing && before.isObject();
    boolean afterObject = !afterMissing && after.isObject();
    if ((beforeObject || beforeMissing) && (afterObject || afterMissing)) {
      TreeSet<String> keys = new TreeSet<>();
      if (beforeObject) {
        before.fieldNames().forEachRemaining(keys::add);
      }
      if (afterObject) {
        after.fieldNames().forEachRemaining(keys::add);
      }
      if (keys.isEmpty()) {
        // an empty object against nothing: {} carries meaning (Mode.Global)
        out.add(
            new FieldChange(
                path,
                render(beforeMissing ? null : before, false),
                render(afterMissing ? null : after, false)));
        return;
      }
      for (String key : keys) {
        walk(
            child(path, key),
            beforeObject ? before.get(key) : null,
            afterObject ? after.get(key) : null,
            out);
      }
      return;
    }
    boolean redact = isRedacted(path);
    out.add(
        new FieldChange(
            path,
            render(beforeMissing ? null : before, redact),
            render(afterMissing ? null : after, redact)));
  }

  static String child(String path, String key) {
    String segment = key.contains(".") ? "[" + key + "]" : key;
    if (path.isEmpty()) {
      return segment;
    }
    return segment.startsWith("[") ? path + segment : path + "." + segment;
  }

  static boolean isRedacted(String path) {
    for (String redacted : REDACTED_PATHS) {
      if (path.equals(redacted)
          || path.startsWith(redacted + ".")
          || path.startsWith(redacted + "[")) {
        return true;
      }
    }
    return false;
  }

  private static String render(JsonNode value, boolean redact) {
    if (value == null) {
      return null;
    }
    if (redact) {
      return FieldChange.REDACTED;
    }
    return value.isTextual() ? value.asText() : value.toString();
  }
}
