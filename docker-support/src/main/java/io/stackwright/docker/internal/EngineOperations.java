package io.stackwright.docker.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A bounded name for an Engine API request, for metrics: the kind of object and what is done to it
 * ({@code service.update}, {@code container.start}, {@code network.inspect}), never an id or a
 * name, so that the number of distinct names stays small whatever the engine holds.
 */
public final class EngineOperations {
  private static final Pattern VERSION = Pattern.compile("/v\\d+(\\.\\d+)?(?=/)");

  private static final Map<String, String> RESOURCES =
      Map.ofEntries(
          Map.entry("containers", "container"),
          Map.entry("services", "service"),
          Map.entry("tasks", "task"),
          Map.entry("networks", "network"),
          Map.entry("volumes", "volume"),
          Map.entry("secrets", "secret"),
          Map.entry("configs", "config"),
          Map.entry("images", "image"),
          Map.entry("nodes", "node"),
          Map.entry("exec", "exec"),
          Map.entry("plugins", "plugin"),
          Map.entry("swarm", "swarm"),
          Map.entry("system", "system"));

  /** Endpoints that are one operation by themselves. */
  private static final Map<String, String> SINGLE =
      Map.of(
          "info", "engine.info",
          "version", "engine.version",
          "_ping", "engine.ping",
          "events", "engine.events",
          "auth", "engine.auth",
          "build", "image.build",
          "session", "engine.session");

  /** The actions the Engine API has after an object; anything else is {@code other}. */
  private static final Set<String> ACTIONS =
      Set.of(
          "json",
          "create",
          "prune",
          "start",
          "stop",
          "restart",
          "kill",
          "wait",
          "rename",
          "update",
          "exec",
          "logs",
          "stats",
          "top",
          "attach",
          "resize",
          "pause",
          "unpause",
          "archive",
          "changes",
          "export",
          "connect",
          "disconnect",
          "tag",
          "history",
          "push",
          "init",
          "join",
          "leave",
          "unlock",
          "unlockkey",
          "df",
          "load",
          "get",
          "search",
          "upgrade",
          "enable",
          "disable",
          "pull",
          "set",
          "privileges",
          "distribution");

  private EngineOperations() {}

  /** The operation of {@code method path} (the path may carry a query and an API version). */
  public static String name(String method, String path) {
    String m = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
    String p = path == null ? "" : path;
    int query = p.indexOf('?');
    if (query >= 0) {
      p = p.substring(0, query);
    }
    p = VERSION.matcher(p).replaceFirst("");
    List<String> segments =
        java.util.Arrays.stream(p.split("/")).filter(s -> !s.isEmpty()).toList();
    if (segments.isEmpty()) {
      return "engine.other";
    }
    String first = segments.get(0);
    if (SINGLE.containsKey(first) && segments.size() == 1) {
      return SINGLE.get(first);
    }
    String resource = RESOURCES.get(first);
    if (resource == null) {
      return "engine.other";
    }
    if (segments.size() == 1) {
      return resource
          + switch (m) {
            case "GET" -> resource.equals("swarm") ? ".inspect" : ".list";
            case "DELETE" -> ".remove";
            default -> ".other";
          };
    }
    if (m.equals("DELETE")) {
      return resource + ".remove";
    }
    String last = segments.get(segments.size() - 1);
    if (segments.size() == 2) {
      return switch (last) {
        case "json" -> resource + ".list";
        case "create", "prune", "init", "join", "leave", "unlock", "unlockkey", "df", "load" ->
            resource + "." + last;
        default -> resource + (m.equals("GET") ? ".inspect" : ".other");
      };
    }
    if (last.equals("json")) {
      return resource + ".inspect";
    }
    return resource + "." + (ACTIONS.contains(last) ? last : "other");
  }
}
