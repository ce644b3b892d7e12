package io.stackwright.swarm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.stackwright.api.Placement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The nodes of the swarm a global service runs on: those that take tasks (status {@code ready},
 * availability {@code active}) and that its placement constraints allow, as the scheduler matches
 * them ({@code node.id}, {@code node.hostname}, {@code node.role}, {@code node.platform.os}, {@code
 * node.platform.arch}, {@code node.labels.*}, {@code engine.labels.*}; {@code ==} and {@code !=},
 * values compared without regard to case). A constraint on an attribute not listed here allows the
 * node: for a quota an over-count is the safe side. The node list is read at most once per {@code
 * ttl} (a quota check per deploy must not list the nodes each time).
 */
public final class NodePlacement {
  private final Supplier<JsonNode> nodes;
  private final Clock clock;
  private final Duration ttl;
  private volatile Snapshot snapshot;

  private record Snapshot(Instant at, List<JsonNode> nodes) {}

  /**
   * @param nodes reads the Engine API's {@code GET /nodes} (an array of nodes)
   */
  public NodePlacement(Supplier<JsonNode> nodes, Clock clock, Duration ttl) {
    this.nodes = nodes;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** How many nodes that take tasks {@code placement} allows. */
  public int count(Placement placement) {
    int count = 0;
    for (JsonNode node : current()) {
      if (takesTasks(node) && allows(node, placement.constraints())) {
        count++;
      }
    }
    return count;
  }

  private List<JsonNode> current() {
    Instant now = clock.instant();
    Snapshot seen = snapshot;
    if (seen == null || !now.isBefore(seen.at().plus(ttl))) {
      List<JsonNode> read = new ArrayList<>();
      nodes.get().forEach(read::add);
      seen = new Snapshot(now, List.copyOf(read));
      snapshot = seen;
    }
    return seen.nodes();
  }

  static boolean takesTasks(JsonNode node) {
    return "ready".equalsIgnoreCase(node.path("Status").path("State").asText())
        && "active".equalsIgnoreCase(node.path("Spec").path("Availability").asText());
  }

  /** Whether every constraint allows {@code node} (one the scheduler cannot read allows it). */
  static boolean allows(JsonNode node, List<String> constraints) {
    for (String constraint : constraints) {
      int ne = constraint.indexOf("!=");
      int eq = constraint.indexOf("==");
      boolean negated = ne >= 0 && (eq < 0 || ne < eq);
      int at = negated ? ne : eq;
      if (at < 0) {
        continue; // not a constraint the scheduler would take; the engine says so at deploy
      }
      String key = constraint.substring(0, at).trim();
      String expected = constraint.substring(at + 2).trim();
      Optional<Optional<String>> value = attribute(node, key);
      if (value.isEmpty()) {
        continue; // an attribute not modelled here: counted, never dropped
      }
      boolean matches = value.get().map(v -> v.equalsIgnoreCase(expected)).orElse(false);
      if (matches == negated) {
        return false;
      }
    }
    return true;
  }

  /**
   * The node's value of a constraint's attribute: empty when the attribute is not one modelled
   * here; an empty value inside when the node has no such label.
   */
  private static Optional<Optional<String>> attribute(JsonNode node, String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (lower.startsWith("node.labels.")) {
      return Optional.of(text(node.path("Spec").path("Labels").path(key.substring(12))));
    }
    if (lower.startsWith("engine.labels.")) {
      return Optional.of(
          text(node.path("Description").path("Engine").path("Labels").path(key.substring(14))));
    }
    JsonNode value =
        switch (lower) {
          case "node.id" -> node.path("ID");
          case "node.hostname" -> node.path("Description").path("Hostname");
          case "node.role" -> node.path("Spec").path("Role");
          case "node.platform.os" -> node.path("Description").path("Platform").path("OS");
          case "node.platform.arch" ->
              node.path("Description").path("Platform").path("Architecture");
          default -> null;
        };
    return value == null ? Optional.empty() : Optional.of(text(value));
  }

  private static Optional<String> text(JsonNode value) {
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
