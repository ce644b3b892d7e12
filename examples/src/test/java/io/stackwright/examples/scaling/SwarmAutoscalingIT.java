package io.stackwright.examples.scaling;

/** Autoscaling on Swarm. */
class SwarmAutoscalingIT extends AutoscalingScenarios {
  @Override
  String platform() {
    return "swarm";
  }
}
