package io.stackwright.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.compose.ComposeLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code stackwright} command line: plan, deploy, status and remove Compose stacks on Swarm.
 * Exit codes: 0 success, 1 the operation failed, 2 invalid input or usage.
 */
@Command(
    name = "stackwright",
    mixinStandardHelpOptions = true,
    version = "stackwright 0.1.0-SNAPSHOT",
    description = "Deploys Compose stacks to Docker Swarm through the Engine API.",
    subcommands = {
      ConfigCommand.class,
      RoutesCommand.class,
      StackwrightCli.PlanCommand.class,
      StackwrightCli.DeployCommand.class,
      StackwrightCli.StatusCommand.class,
      StackwrightCli.RemoveCommand.class,
      WatchCommand.class,
      RolloutCommands.RollbackCommand.class,
      RolloutCommands.PromoteCommand.class,
      RolloutCommands.AbortCommand.class
    })
public final class StackwrightCli implements Runnable {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int INVALID = 2;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new StackwrightCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof InvalidSpecException invalid) {
            err.println("error: the stack is invalid:");
            for (SpecProblem problem : invalid.problems()) {
              err.println("  " + problem);
            }
            return INVALID;
          }
          if (e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            return INVALID;
          }
          err.println("error: " + e.getMessage());
          return FAILED;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Options shared by every subcommand. */
  static final class Common {
    @Option(
        names = {"-p", "--project-name"},
        description = "Stack (project) name; defaults to the Compose file's name or directory.")
    String name;

    @Option(
        names = "--platform",
        description =
            "Platform: swarm or compose (default: the best available; swarm when the engine is a Swarm manager).",
        paramLabel = "NAME")
    String platform;

    @Option(names = "--json", description = "Print a machine-readable result.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    Orchestrator orchestrator() {
      Orchestrator.Builder builder = Orchestrator.builder();
      if (platform != null) {
        builder.platform(platform);
      }
      return builder.build();
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    void print(Object machine, String human) {
      if (json) {
        try {
          out().println(JSON.writeValueAsString(machine));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new OrchestratorException("could not write JSON output", e);
        }
      } else {
        out().println(human);
      }
      out().flush();
    }
  }

  /** Options of the commands that read Compose files. */
  static final class Files {
    @Option(
        names = {"-f", "--file"},
        description = "Compose file (repeatable; later files override earlier ones).",
        required = true,
        paramLabel = "FILE")
    List<Path> files = new ArrayList<>();

    StackSpec load(String name) {
      ComposeLoader.Builder loader = ComposeLoader.builder();
      files.forEach(loader::file);
      if (name != null) {
        loader.projectName(name);
      }
      return loader.build().load();
    }
  }

  @Command(name = "plan", description = "Shows what a deploy would change. Writes nothing.")
  static final class PlanCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin Files files;

    @Override
    public Integer call() {
      StackSpec stack = files.load(common.name);
      try (Orchestrator orchestrator = common.orchestrator()) {
        Plan plan = orchestrator.plan(stack);
        common.print(planJson(plan), plan.toString());
        return OK;
      }
    }
  }

  @Command(name = "deploy", description = "Creates or updates a stack.")
  static final class DeployCommand implements Callable<Integer> {
    @Mixin Common common;
    @Mixin Files files;

    @Option(
        names = "--wait",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description = "Wait until every replica runs and is healthy (default: ${DEFAULT-VALUE}).")
    boolean wait;

    @Option(
        names = "--timeout",
        defaultValue = "PT5M",
        description = "How long to wait, as an ISO-8601 duration or seconds (default: 5 minutes).",
        converter = DurationConverter.class)
    Duration timeout;

    @Option(
        names = "--strategy",
        description = "Roll every service out with this strategy: rolling, blue-green or canary.",
        paramLabel = "STRATEGY")
    String strategy;

    @Override
    public Integer call() {
      StackSpec stack = RolloutCommands.withStrategy(files.load(common.name), strategy);
      try (Orchestrator orchestrator = common.orchestrator()) {
        DeployOptions options = new DeployOptions(wait, timeout);
        RolloutCommands.rememberLastHealthy(orchestrator, stack.name());
        Deployment deployment = orchestrator.deploy(stack, options);
        if (!common.json) {
          common.out().println(deployment.plan());
          deployment.onEvent(
              event -> {
                common.out().println("  " + event);
                common.out().flush();
              });
        }
        DeploymentResult result =
            RolloutCommands.awaitWithDecisions(orchestrator, deployment, timeout.plusMinutes(1));
        if (result.succeeded() && wait) {
          new RolloutCliState(stack.name()).saveHealthy(files.files);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stack", result.stack());
        json.put("outcome", result.outcome().name());
        json.put("message", result.message());
        json.put("elapsedMillis", result.elapsed().toMillis());
        json.put("serviceErrors", result.serviceErrors());
        json.put("plan", planJson(result.plan()));
        common.print(
            json,
            result.outcome() + " in " + result.elapsed().toMillis() + " ms: " + result.message());
        return result.succeeded() ? OK : FAILED;
      }
    }
  }

  @Command(name = "status", description = "Shows the services and replicas of a stack.")
  static final class StatusCommand implements Callable<Integer> {
    @Mixin Common common;

    @Mixin NameFromFiles nameFromFiles;

    @Override
    public Integer call() {
      String name = nameFromFiles.stackName(common);
      try (Orchestrator orchestrator = common.orchestrator()) {
        StackState state = orchestrator.status(name);
        common.print(state, describe(state));
        return state.isEmpty() ? FAILED : OK;
      }
    }

    private static String describe(StackState state) {
      if (state.isEmpty()) {
        return "stack " + state.stack() + " not found";
      }
      StringBuilder text = new StringBuilder();
      text.append(String.format("%-24s %-36s %-9s %s%n", "SERVICE", "IMAGE", "READY", "UPDATE"));
      for (ServiceState service : state.services()) {
        String desired =
            service.desiredReplicas() < 0 ? "global" : String.valueOf(service.desiredReplicas());
        text.append(
            String.format(
                "%-24s %-36s %-9s %s%n",
                service.name(),
                service.image(),
                service.readyReplicas() + "/" + desired,
                service.updateState() == null ? "-" : service.updateState()));
      }
      text.append("networks: ").append(state.networks());
      text.append("\nsecrets: ").append(state.secrets());
      text.append("\nconfigs: ").append(state.configs());
      return text.toString();
    }
  }

  @Command(name = "remove", aliases = "rm", description = "Removes a stack and all it created.")
  static final class RemoveCommand implements Callable<Integer> {
    @Mixin Common common;

    @Mixin NameFromFiles nameFromFiles;

    @Option(names = "--volumes", description = "Also remove the stack's named volumes.")
    boolean volumes;

    @Override
    public Integer call() {
      String name = nameFromFiles.stackName(common);
      try (Orchestrator orchestrator = common.orchestrator()) {
        orchestrator.remove(name, new RemoveOptions(volumes));
        common.print(Map.of("stack", name, "removed", true), "removed stack " + name);
        return OK;
      }
    }
  }

  /** For commands that need only the stack name: {@code -p}, or the name a Compose file gives. */
  static final class NameFromFiles {
    @Option(
        names = {"-f", "--file"},
        description = "Compose file, to take the stack name from.",
        paramLabel = "FILE")
    List<Path> files = new ArrayList<>();

    String stackName(Common common) {
      if (common.name != null) {
        return common.name;
      }
      if (files.isEmpty()) {
        throw new CommandLine.ParameterException(
            common.spec.commandLine(),
            "give the stack name with -p NAME (or a Compose file with -f)");
      }
      Files loader = new Files();
      loader.files = files;
      return loader.load(null).name();
    }
  }

  static Map<String, Object> planJson(Plan plan) {
    List<Map<String, Object>> changes = new ArrayList<>();
    for (Change change : plan.changes()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put(
          "action",
          change instanceof Change.Create
              ? "create"
              : change instanceof Change.Update ? "update" : "delete");
      entry.put("kind", change.kind().name().toLowerCase(java.util.Locale.ROOT));
      entry.put("key", change.key());
      if (change instanceof Change.Update update) {
        entry.put("fields", update.fields());
      }
      changes.add(entry);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("stack", plan.stack());
    json.put("empty", plan.isEmpty());
    json.put("changes", changes);
    return json;
  }

  /** Accepts {@code PT2M}, {@code 90s}, {@code 2m} or a number of seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(v));
    }
  }
}
