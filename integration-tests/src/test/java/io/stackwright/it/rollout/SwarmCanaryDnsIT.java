package io.stackwright.it.rollout;

import java.util.List;

/** {@link CanaryByReplicasDnsContract} on Swarm: the service's name and {@code tasks.<name>}. */
class SwarmCanaryDnsIT extends CanaryByReplicasDnsContract {
  @Override
  String platform() {
    return "swarm";
  }

  @Override
  List<String> dnsNames() {
    return List.of("web", "tasks.web");
  }
}
