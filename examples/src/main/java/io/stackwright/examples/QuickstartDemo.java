package io.stackwright.examples;

import io.stackwright.api.DeploymentResult;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.core.Orchestrator;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo {@code scripts/demo.sh} runs: deploys a Compose file with {@link Quickstart}, printing
 * each event as the stack converges, shows the result, and removes the stack unless {@code --keep}
 * is given.
 */
public final class QuickstartDemo {
  private QuickstartDemo() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: QuickstartDemo COMPOSE_FILE [--keep]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    boolean keep = List.of(args).contains("--keep");
    System.out.println("Deploying " + file + " as stack 'demo' to the local Swarm...");
    DeploymentResult result = Quickstart.deploy(file, event -> System.out.println("  " + event));
    System.out.println();
    System.out.println(
        result.outcome() + " in " + result.elapsed().toMillis() + " ms: " + result.message());
    try (Orchestrator orchestrator = Orchestrator.builder().platform("swarm").build()) {
      StackState state = orchestrator.status("demo");
      for (ServiceState service : state.services()) {
        System.out.printf(
            "  %-6s %d/%d replicas ready (%s)%n",
            service.name(), service.readyReplicas(), service.desiredReplicas(), service.image());
      }
      if (keep) {
        System.out.println("Left running. Inspect it with: docker stack ps demo");
        System.out.println(
            "Remove it with: java -jar stackwright-cli/target/stackwright-cli.jar remove -p demo");
      } else {
        orchestrator.remove("demo", RemoveOptions.keepVolumes());
        System.out.println("Removed stack 'demo' (pass --keep to leave it running).");
      }
    }
    System.exit(result.succeeded() ? 0 : 1);
  }
}
