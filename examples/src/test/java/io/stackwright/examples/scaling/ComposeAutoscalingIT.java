package io.stackwright.examples.scaling;

/** Autoscaling on a single engine. */
class ComposeAutoscalingIT extends AutoscalingScenarios {
  @Override
  String platform() {
    return "compose";
  }
}
