package io.stackwright.cli;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
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

  /** Waits for {@code deployment} (decisions of other CLI processes arrive through the store). */
  static DeploymentResult awaitWithDecisions(
      Orchestrator orchestrator, Deployment deployment, Duration timeout) {
    // promote and abort reach the rollout's job through the store; nothing to poll here
    return deployment.await(timeout);
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
      long job;
      try (var orchestrator = common.orchestrator()) {
        // through the store, to the process running the rollout; recorded as a job of its own
        job = orchestrator.promote(stack).id();
      }
      common.print(
          Map.of("stack", stack, "decision", "promote", "job", job),
          "asked to promote " + stack + " (job " + job + ")");
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
      long job;
      try (var orchestrator = common.orchestrator()) {
        // through the store, to the process running the rollout; recorded as a job of its own
        job = orchestrator.abort(stack).id();
      }
      common.print(
          Map.of("stack", stack, "decision", "abort", "job", job),
          "asked to abort " + stack + " (job " + job + ")");
      return StackwrightCli.OK;
    }
  }

  @Command(
      name = "rollback",
      description =
          "Deploys again the stack's newest revision that deployed successfully, as it was"
              + " accepted then (its variables are not interpolated again).")
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
      try (Orchestrator orchestrator = common.orchestrator()) {
        // the revision comes from the store the CLI processes share, resolved as it was deployed
        DeploymentResult result =
            orchestrator
                .rollback(common.name, DeployOptions.waitingUpTo(timeout))
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
