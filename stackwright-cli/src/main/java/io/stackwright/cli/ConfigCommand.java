package io.stackwright.cli;

import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.SpecProblem;
import io.stackwright.loader.ComposeLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stackwright config}: like {@code docker compose config}, prints the normalized model of
 * the Compose files (fully interpolated and merged, with the Compose specification's key names) as
 * YAML or JSON. Touches no engine. Exit codes: 0 valid, 2 invalid input (every problem is listed on
 * standard error, with file, line, column and key path). {@code config rotate} rotates a deployed
 * stack's config ({@link RotateCommands}).
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    subcommands = RotateCommands.ConfigRotateCommand.class,
    description =
        "Validates the Compose files and prints the resolved model, like docker compose config.")
public final class ConfigCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int INVALID = 2;

  private static final List<String> DEFAULT_FILES =
      List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");

  /** What {@code --format} accepts. */
  enum Format {
    yaml,
    json
  }

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      description =
          "Compose file (repeatable; later files override earlier ones). Default: compose.yaml in"
              + " the current directory.",
      paramLabel = "FILE")
  List<Path> files = new ArrayList<>();

  @Option(
      names = {"-p", "--project-name"},
      description = "Project (stack) name; defaults to the top-level name or the directory.")
  String projectName;

  @Option(
      names = "--profile",
      description = "Activates a profile (repeatable).",
      paramLabel = "PROFILE")
  List<String> profiles = new ArrayList<>();

  @Option(
      names = "--env-file",
      description =
          "Reads variables from this file instead of .env (repeatable; a later one wins).",
      paramLabel = "FILE")
  List<Path> envFiles = new ArrayList<>();

  @Option(
      names = "--project-directory",
      description = "The working directory; defaults to the first file's directory.",
      paramLabel = "DIR")
  Path projectDirectory;

  @Option(
      names = "--format",
      defaultValue = "yaml",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.yaml;

  @Parameters(
      arity = "0..*",
      paramLabel = "SERVICE",
      description = "Only these services (and the services they depend on).")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> chosen = files.isEmpty() ? defaultFile() : files;
    if (chosen.isEmpty()) {
      err.println("error: no Compose file: give one with -f, or create compose.yaml here");
      err.flush();
      return INVALID;
    }
    ComposeLoader.Builder builder = ComposeLoader.builder();
    chosen.forEach(builder::file);
    envFiles.forEach(builder::envFile);
    builder.profiles(profiles.toArray(String[]::new));
    builder.services(services.toArray(String[]::new));
    if (projectName != null) {
      builder.projectName(projectName);
    }
    if (projectDirectory != null) {
      builder.workingDir(projectDirectory);
    }
    try {
      String text =
          builder
              .build()
              .render(
                  format == Format.json ? ComposeLoader.Format.JSON : ComposeLoader.Format.YAML);
      out.print(text);
      out.flush();
      return OK;
    } catch (InvalidSpecException e) {
      err.println(
          "error: the Compose project is invalid ("
              + e.problems().size()
              + (e.problems().size() == 1 ? " problem):" : " problems):"));
      for (SpecProblem problem : e.problems()) {
        err.println("  " + problem);
      }
      err.flush();
      return INVALID;
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return FAILED;
    }
  }

  private static List<Path> defaultFile() {
    for (String name : DEFAULT_FILES) {
      Path path = Path.of(name);
      if (Files.isRegularFile(path)) {
        return List.of(path);
      }
    }
    return List.of();
  }
}
