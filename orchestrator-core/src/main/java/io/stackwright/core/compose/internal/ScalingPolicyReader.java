package io.stackwright.core.compose.internal;

import io.stackwright.api.scaling.ScalingPolicy;

/** Reads {@code x-stackwright.autoscaling} into a {@link ScalingPolicy}. */
final class ScalingPolicyReader extends NodeReader {
  ScalingPolicyReader(Diagnostics diagnostics) {
    super(diagnostics);
  }

  ScalingPolicy read(Node node, String path) {
    if (!isNull(node)) {
      problem(node, path, "is not supported by this version of Stackwright");
    }
    return ScalingPolicy.NONE;
  }
}
