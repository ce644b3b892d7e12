package io.stackwright.it.rotate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * {@link RotationUnderLoadContract} on Swarm: each rotation is a new, hash-suffixed secret and a
 * start-first service update; the version the services' previous spec uses (Swarm's rollback)
 * stays, the one before is pruned.
 */
class SwarmRotationIT extends RotationUnderLoadContract {
  @Override
  String platform() {
    return "swarm";
  }

  @Override
  String replicasDnsName() {
    return "web";
  }

  @Override
  void assertVersionsAfterTwoRotations(List<String> secrets) {
    // the first version (the base name) is pruned; the second (kept for rollback) and the third
    assertThat(secrets).hasSize(2).noneMatch(s -> s.endsWith("_token"));
  }
}
