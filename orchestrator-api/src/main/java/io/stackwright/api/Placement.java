package io.stackwright.api;

import java.util.List;

/**
 * Where replicas may run.
 *
 * @param constraints scheduler constraints such as {@code node.role==manager}
 * @param spreadPreferences spread descriptors such as {@code node.labels.zone}
 * @param maxReplicasPerNode at most this many replicas per node, or {@code null}
 */
public record Placement(
    List<String> constraints, List<String> spreadPreferences, Integer maxReplicasPerNode) {
  public static final Placement ANYWHERE = new Placement(List.of(), List.of(), null);

  public Placement {
    constraints = Copies.list(constraints);
    spreadPreferences = Copies.list(spreadPreferences);
  }

  public boolean isEmpty() {
    return constraints.isEmpty() && spreadPreferences.isEmpty() && maxReplicasPerNode == null;
  }
}
