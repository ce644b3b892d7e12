package io.stackwright.it.rollout;

/** {@link SideBySideUnderLoadContract} on the Swarm. */
class SwarmSideBySideIT extends SideBySideUnderLoadContract {
  @Override
  String platform() {
    return "swarm";
  }

  @Override
  String dnsName(String service) {
    return "tasks." + service;
  }
}
