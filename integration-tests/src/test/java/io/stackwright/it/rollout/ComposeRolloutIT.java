package io.stackwright.it.rollout;

/** {@link RollingUnderLoadContract} on a single engine: core replaces the containers one by one. */
class ComposeRolloutIT extends RollingUnderLoadContract {
  @Override
  String platform() {
    return "compose";
  }

  @Override
  String replicasDnsName() {
    return "web";
  }
}
