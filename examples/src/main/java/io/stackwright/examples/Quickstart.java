package io.stackwright.examples;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventListener;
import io.stackwright.core.Orchestrator;
import io.stackwright.loader.ComposeLoader;
import java.nio.file.Path;
import java.time.Duration;

/** The quickstart shown in README.md, kept here so that it always compiles. */
public final class Quickstart {
  private Quickstart() {}

  // quickstart-begin
  /** Deploys a Compose file to the local Swarm and waits until every replica is healthy. */
  public static DeploymentResult deploy(Path composeFile, EventListener progress) {
    try (Orchestrator orchestrator = Orchestrator.builder().platform("swarm").build()) {
      StackSpec stack = ComposeLoader.load(composeFile, "demo");
      Deployment deployment =
          orchestrator.deploy(stack, DeployOptions.waitingUpTo(Duration.ofMinutes(3)));
      deployment.onEvent(progress);
      return deployment.await(Duration.ofMinutes(4));
    }
  }
  // quickstart-end
}
