package io.stackwright.it.scaling;

/** Autoscaling on Swarm. */
class SwarmAutoscalingIT extends AutoscalingScenarios {
  @Override
  String platform() {
    return "swarm";
  }
}
