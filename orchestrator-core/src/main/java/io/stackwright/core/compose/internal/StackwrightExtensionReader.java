package io.stackwright.core.compose.internal;

import io.stackwright.api.ServiceSpec;
import io.stackwright.core.compose.internal.Node.Entry;
import io.stackwright.core.compose.internal.Node.MapNode;
import java.util.Set;

/**
 * Reads a service's {@code x-stackwright} extension: Stackwright's own settings that the Compose
 * specification has no key for. Each section has its own reader; an unknown section is an error,
 * like any other invalid key, so that a typo never silently turns a policy off.
 */
final class StackwrightExtensionReader extends NodeReader {
  static final String KEY = "x-stackwright";
  static final Set<String> SECTIONS = Set.of("health", "autoscaling", "routing", "rollout");

  StackwrightExtensionReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  /** Sets the policies {@code node} declares on {@code service}. */
  void read(Node node, String path, ServiceSpec.Builder service) {
    MapNode map = mapping(node, path);
    if (map == null) {
      return;
    }
    for (Entry e : map.entries().values()) {
      if (!SECTIONS.contains(e.key())) {
        diagnostics.problem(
            e.keyLocation(),
            child(path, e.key()),
            "unknown section; x-stackwright takes "
                + String.join(", ", SECTIONS.stream().sorted().toList()));
      }
    }
    Node health = map.get("health");
    if (health != null) {
      service.health(new HealthPolicyReader(diagnostics).read(health, child(path, "health")));
    }
    Node scaling = map.get("autoscaling");
    if (scaling != null) {
      service.scaling(
          new ScalingPolicyReader(diagnostics).read(scaling, child(path, "autoscaling")));
    }
    Node routing = map.get("routing");
    if (routing != null) {
      service.routing(new RoutingPolicyReader(diagnostics).read(routing, child(path, "routing")));
    }
    Node rollout = map.get("rollout");
    if (rollout != null) {
      service.rollout(new RolloutPolicyReader(diagnostics).read(rollout, child(path, "rollout")));
    }
  }
}
