package io.stackwright.core.compose.internal;

import io.stackwright.api.routing.RoutingPolicy;

/** Reads {@code x-stackwright.routing} into a {@link RoutingPolicy}. */
final class RoutingPolicyReader extends NodeReader {
  RoutingPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  RoutingPolicy read(Node node, String path) {
    if (!isNull(node)) {
      problem(node, path, "is not supported by this version of Stackwright");
    }
    return RoutingPolicy.NONE;
  }
}
