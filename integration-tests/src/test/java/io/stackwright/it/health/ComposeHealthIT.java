package io.stackwright.it.health;

import io.stackwright.api.ServiceSpec;
import java.time.Duration;

/** The health contract on a single engine (containers probed at their bridge address). */
class ComposeHealthIT extends HealthMonitoringContract {
  @Override
  String platform() {
    return "compose";
  }

  @Override
  ServiceSpec.Builder service(String name) {
    return ServiceSpec.builder(name, IMAGE).replicas(1).stopGracePeriod(Duration.ofSeconds(2));
  }
}
