package io.stackwright.cli;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.core.Orchestrator;
import io.stackwright.loader.ComposeLoader;
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
    versionProvider = StackwrightCli.Version.class,
    description = "Deploys Compose stacks to Docker Swarm or one Docker engine.")
public final class StackwrightCli implements Runnable {
  // Exit codes, the same for every command: 0 done, 1 failed, 2 invalid input or usage.
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int INVALID = 2;

  /**
   * The subcommands. Only the one a command line names is built (picocli reads each command's
   * annotations and instantiates it, loading what its fields' types need); {@code --help}, {@code
   * help} and usage errors build them all.
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          ConfigCommand.class,
          RoutesCommand.class,
          PlanCommand.class,
          DiffCommand.class,
          DeployCommand.class,
          StatusCommand.class,
          RemoveCommand.class,
          WatchCommand.class,
          RolloutCommands.RollbackCommand.class,
          RolloutCommands.PromoteCommand.class,
          RolloutCommands.AbortCommand.class,
          PsCommand.class,
          LogsCommand.class,
          VersionCommand.class,
          CompletionCommand.class,
          JobsCommand.class,
          HistoryCommand.class,
          QuotaCommand.class,
          RotateCommands.SecretCommand.class,
          CommandLine.HelpCommand.class);

  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    var help = HelpTexts.prerendered(args);
    if (help.isPresent()) {
      System.out.print(help.get());
      System.out.flush();
      System.exit(OK);
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new StackwrightCli());
    Class<?> named = commandNamed(args);
    for (Class<?> command : named == null ? COMMANDS : List.of(named)) {
      cli.addSubcommand(command);
    }
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) ->
            Errors.report(e, commandLine.getCommandName(), commandLine.getErr()));
    return cli.execute(args);
  }

  /**
   * The subcommand the command line names, when it can be built alone: the first word that is not
   * an option (the top level's own options take no values); {@code null} for help, for no command
   * and for an unknown one, which need every command (to list them, or to suggest one).
   */
  static Class<?> commandNamed(String... args) {
    for (String arg : args) {
      if (arg.startsWith("-")) {
        continue;
      }
      for (Class<?> command : COMMANDS) {
        Command annotation = command.getAnnotation(Command.class);
        if (command == CommandLine.HelpCommand.class || command == CompletionCommand.class) {
          continue; // they need every command
        }
        if (annotation.name().equals(arg)
            || java.util.Arrays.asList(annotation.aliases()).contains(arg)) {
          return command;
        }
      }
      return null;
    }
    return null;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** {@code -V}: the CLI's version, as the build recorded it (stackwright version says more). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"stackwright " + VersionCommand.artifactVersion("stackwright-cli")};
    }
  }

  /** Options shared by every subcommand. */
  static final class Common {
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

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

    @Option(
        names = "--json",
        description =
            "Print JSON: the result as one object, or, for commands that report progress, one"
                + " object per line (each event, then the result).")
    boolean json;

    @Option(
        names = "--progress",
        paramLabel = "MODE",
        description =
            "How to show progress: auto (a live view on a terminal, plain lines otherwise), tty,"
                + " plain or json (default: auto).")
    String progress;

    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    Orchestrator orchestrator() {
      Orchestrator.Builder builder = Orchestrator.builder();
      String user = System.getProperty("user.name");
      if (user != null && !user.isBlank()) {
        builder.principal(user); // who ran the command, in the jobs and the audit history
      }
      if (platform != null) {
        builder.platform(platform);
      }
      return builder.build();
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Output output() {
      return Output.choose(progress, json);
    }

    /** One JSON object on one line. */
    void printLine(Object machine) {
      try {
        out().println(CliJson.lines().writeValueAsString(machine));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new OrchestratorException("could not write JSON output", e);
      }
      out().flush();
    }

    void print(Object machine, String human) {
      if (json) {
        try {
          out().println(CliJson.pretty().writeValueAsString(machine));
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
        Deployment deployment = orchestrator.deploy(stack, options);
        if (!wait && !common.json) {
          deployment.jobId().ifPresent(id -> common.out().println("job " + id));
        }
        DeploymentResult result;
        try (DeployProgress progress = DeployProgress.start(common, stack, deployment)) {
          result =
              RolloutCommands.awaitWithDecisions(orchestrator, deployment, timeout.plusMinutes(1));
          progress.finish(result);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "result");
        json.put("stack", result.stack());
        json.put("job", deployment.jobId().orElse(null));
        json.put("outcome", result.outcome().name());
        json.put("message", result.message());
        json.put("elapsedMillis", result.elapsed().toMillis());
        json.put("serviceErrors", result.serviceErrors());
        json.put("plan", planJson(result.plan()));
        if (common.json) {
          common.printLine(json);
        } else {
          common
              .out()
              .println(
                  result.outcome()
                      + " in "
                      + result.elapsed().toMillis()
                      + " ms: "
                      + result.message());
          common.out().flush();
        }
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
        if (update.changedAt() != null) {
          entry.put("changedAt", update.changedAt().toString());
        }
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
