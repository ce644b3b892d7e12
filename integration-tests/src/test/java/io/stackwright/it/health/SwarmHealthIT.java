package io.stackwright.it.health;

import io.stackwright.api.ServiceSpec;

/** The health contract on Docker Swarm (tasks probed through their docker_gwbridge address). */
class SwarmHealthIT extends HealthMonitoringContract {
  @Override
  String platform() {
    return "swarm";
  }

  @Override
  ServiceSpec.Builder service(String name) {
    return ServiceSpec.builder(name, IMAGE)
        .replicas(1)
        .endpointMode(ServiceSpec.EndpointMode.DNSRR);
  }
}
