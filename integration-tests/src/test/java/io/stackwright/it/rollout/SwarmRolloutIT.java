package io.stackwright.it.rollout;

/** {@link RollingUnderLoadContract} on the Swarm: native rolling update, watched and verified. */
class SwarmRolloutIT extends RollingUnderLoadContract {
  @Override
  String platform() {
    return "swarm";
  }

  @Override
  String replicasDnsName() {
    return "tasks.web";
  }
}
