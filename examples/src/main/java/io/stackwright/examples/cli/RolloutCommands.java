package io.stackwright.examples.cli;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.compose.ComposeLoader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The rollout commands: {@code rollback}, {@code promote}, {@code abort}. */
final class RolloutCommands {
  private RolloutCommands() {}

  /** {@code deploy --strategy}: every service rolls out with this strategy. */
  static StackSpec withStrategy(StackSpec stack, String strategyId) {
    if (strategyId == null) {
      return stack;
    }
    RolloutPolicy.Strategy strategy = RolloutPolicy.Strategy.fromId(strategyId);
    StackSpec.Builder changed = stack.toBuilder();
    for (ServiceSpec service : stack.services().values()) {
      RolloutPolicy declared = service.rollout();
      if (!declared.isNone() && declared.strategy() == strategy) {
        continue;
      }
      if (strategy == RolloutPolicy.Strategy.CANARY) {
        throw new IllegalArgumentException(
            "service "
                + service.name()
                + " declares no canary steps; add x-stackwright.rollout.canary to use --strategy"
                + " canary");
      }
      RolloutPolicy policy =
          RolloutPolicy.builder(strategy)
              .autoRollback(declared.isNone() || declared.autoRollback())
              .verifyFor(declared.verifyFor())
              .build();
      changed.service(service.toBuilder().rollout(policy).build());
    }
    return changed.build();
  }

  /**
   * Loads the files of the stack's last successful deployment, so a failed rollout returns there.
   */
  static void rememberLastHealthy(Orchestrator orchestrator, String stack) {
    new RolloutCliState(stack)
        .healthy()
        .ifPresent(h -> orchestrator.rememberHealthy(load(stack, h)));
  }

  private static StackSpec load(String stack, RolloutCliState.Healthy healthy) {
    ComposeLoader.Builder loader =
        ComposeLoader.builder().projectName(stack).workingDir(healthy.workingDir());
    healthy.files().forEach(loader::file);
    return loader.build().load();
  }

  /**
   * Waits for {@code deployment}, passing on the decisions {@code promote} and {@code abort} that
   * other CLI processes leave for it.
   */
  static DeploymentResult awaitWithDecisions(
      Orchestrator orchestrator, Deployment deployment, Duration timeout) {
    RolloutCliState state = new RolloutCliState(deployment.stack());
    state.running();
    try {
      CompletableFuture<DeploymentResult> result = deployment.result();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          return result.get(500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (System.nanoTime() > deadline) {
            return deployment.await(Duration.ofMillis(1));
          }
          state
              .takeDecision()
              .ifPresent(
                  decision -> {
                    if (decision.equals("promote")) {
                      orchestrator.promote(deployment.stack());
                    } else {
                      orchestrator.abort(deployment.stack());
                    }
                  });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return deployment.await(Duration.ofMillis(1));
        } catch (java.util.concurrent.ExecutionException e) {
          return deployment.await(Duration.ofMillis(1));
        }
      }
    } finally {
      state.finished();
    }
  }

  @Command(
      name = "promote",
      description = "Makes the new version of a running canary or blue-green rollout live now.")
  static final class PromoteCommand implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;
    @Mixin StackwrightCli.NameFromFiles names;

    @Override
    public Integer call() {
      String stack = names.stackName(common);
      new RolloutCliState(stack).decide("promote");
      common.print(Map.of("stack", stack, "decision", "promote"), "asked to promote " + stack);
      return StackwrightCli.OK;
    }
  }

  @Command(
      name = "abort",
      description = "Stops a running rollout and returns the stack to its last healthy revision.")
  static final class AbortCommand implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;
    @Mixin StackwrightCli.NameFromFiles names;

    @Override
    public Integer call() {
      String stack = names.stackName(common);
      new RolloutCliState(stack).decide("abort");
      common.print(Map.of("stack", stack, "decision", "abort"), "asked to abort " + stack);
      return StackwrightCli.OK;
    }
  }

  @Command(
      name = "rollback",
      description =
          "Deploys again the Compose files of the stack's last deployment that succeeded.")
  static final class RollbackCommand implements Callable<Integer> {
    @Mixin StackwrightCli.Common common;

    @Option(
        names = "--timeout",
        defaultValue = "PT5M",
        description = "How long to wait, as an ISO-8601 duration or seconds (default: 5 minutes).",
        converter = StackwrightCli.DurationConverter.class)
    Duration timeout;

    @Override
    public Integer call() {
      if (common.name == null) {
        throw new IllegalArgumentException("give the stack name with -p NAME");
      }
      RolloutCliState.Healthy healthy =
          new RolloutCliState(common.name)
              .healthy()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no successful deployment of "
                              + common.name
                              + " was made with this CLI (state in $STACKWRIGHT_STATE_DIR)"));
      StackSpec stack = load(common.name, healthy);
      try (Orchestrator orchestrator = common.orchestrator()) {
        DeploymentResult result =
            orchestrator
                .deploy(stack, DeployOptions.waitingUpTo(timeout))
                .await(timeout.plusMinutes(1));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stack", result.stack());
        json.put("outcome", result.outcome().name());
        json.put("message", result.message());
        json.put("plan", StackwrightCli.planJson(result.plan()));
        common.print(
            json,
            (result.succeeded() ? "ROLLED BACK" : result.outcome().name())
                + " to the last successful deployment: "
                + result.message());
        return result.succeeded() ? StackwrightCli.OK : StackwrightCli.FAILED;
      }
    }
  }
}
