package io.stackwright.core.compose.internal;

import io.stackwright.api.health.HealthPolicy;

/** Reads {@code x-stackwright.health} into a {@link HealthPolicy}. */
final class HealthPolicyReader extends NodeReader {
  HealthPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  HealthPolicy read(Node node, String path) {
    if (!isNull(node)) {
      problem(node, path, "is not supported by this version of Stackwright");
    }
    return HealthPolicy.NONE;
  }
}
