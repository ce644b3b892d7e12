package io.stackwright.it.scaling;

/** Autoscaling on a single engine. */
class ComposeAutoscalingIT extends AutoscalingScenarios {
  @Override
  String platform() {
    return "compose";
  }
}
