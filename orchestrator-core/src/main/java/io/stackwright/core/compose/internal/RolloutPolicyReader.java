package io.stackwright.core.compose.internal;

import io.stackwright.api.rollout.RolloutPolicy;

/** Reads {@code x-stackwright.rollout} into a {@link RolloutPolicy}. */
final class RolloutPolicyReader extends NodeReader {
  RolloutPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  RolloutPolicy read(Node node, String path) {
    if (!isNull(node)) {
      problem(node, path, "is not supported by this version of Stackwright");
    }
    return RolloutPolicy.NONE;
  }
}
