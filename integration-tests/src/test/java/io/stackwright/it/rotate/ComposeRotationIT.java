package io.stackwright.it.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * {@link RotationUnderLoadContract} on a single engine: each rotation rewrites the secret's file
 * and core recreates the containers one at a time, start-first; no old version remains.
 */
class ComposeRotationIT extends RotationUnderLoadContract {
  @Override
  String platform() {
    return "compose";
  }

  @Override
  String replicasDnsName() {
    return "web";
  }

  @Override
  void assertVersionsAfterTwoRotations(List<String> secrets) {
    assertThat(secrets).hasSize(1).allMatch(s -> s.endsWith("_token"));
  }
}
