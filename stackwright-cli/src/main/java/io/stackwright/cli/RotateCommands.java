package io.stackwright.cli;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.FileContent;
import io.stackwright.api.event.EventDetail;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.core.Orchestrator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code secret rotate} and {@code config rotate}: roll the services that use a secret or config
 * onto new content from a file, start-first, and wait until they run healthy. The file's path (not
 * its content) is what the shared store keeps, so a rotation another CLI process resumes reads the
 * file again. Exit codes: 0 rotated, 1 failed, 2 invalid input (an unknown name lists the known
 * ones; nothing is written).
 */
final class RotateCommands {
  private RotateCommands() {}

  /** {@code stackwright secret}: only its subcommand does something. */
  @Command(
      name = "secret",
      mixinStandardHelpOptions = true,
      description = "Secrets of a deployed stack.",
      subcommands = SecretRotateCommand.class)
  static final class SecretCommand implements Runnable {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "a subcommand is required: rotate");
    }
  }

  @Command(
      name = "rotate",
      description =
          "Rolls the services that use a secret onto the content of a file, start-first, without"
              + " downtime; the versions nothing uses any more are pruned.")
  static final class SecretRotateCommand extends Rotate {
    SecretRotateCommand() {
      super(EventDetail.Resource.SECRET);
    }
  }

  @Command(
      name = "rotate",
      description =
          "Rolls the services that use a config onto the content of a file, start-first, without"
              + " downtime; the versions nothing uses any more are pruned.")
  static final class ConfigRotateCommand extends Rotate {
    ConfigRotateCommand() {
      super(EventDetail.Resource.CONFIG);
    }
  }

  abstract static class Rotate implements Callable<Integer> {
    private final EventDetail.Resource kind;

    @Mixin StackwrightCli.Common common;

    @Parameters(index = "0", paramLabel = "NAME", description = "The key in the stack.")
    String key;

    @Option(
        names = "--file",
        required = true,
        paramLabel = "PATH",
        description = "The file holding the new content.")
    Path file;

    @Option(
        names = "--timeout",
        defaultValue = "PT5M",
        description = "How long to wait, as an ISO-8601 duration or seconds (default: 5 minutes).",
        converter = StackwrightCli.DurationConverter.class)
    Duration timeout;

    Rotate(EventDetail.Resource kind) {
      this.kind = kind;
    }

    @Override
    public Integer call() {
      if (common.name == null) {
        throw new IllegalArgumentException("give the stack name with -p STACK");
      }
      String what = kind == EventDetail.Resource.SECRET ? "secret" : "config";
      FileContent content = read(what);
      try (Orchestrator orchestrator = common.orchestrator()) {
        DeployOptions options = DeployOptions.waitingUpTo(timeout);
        Deployment deployment =
            kind == EventDetail.Resource.SECRET
                ? orchestrator.stack(common.name).rotateSecret(key, content, options)
                : orchestrator.stack(common.name).rotateConfig(key, content, options);
        DeploymentResult result = deployment.await(timeout.plusMinutes(1));
        List<String> services =
            deployment.events().stream()
                .map(OrchestratorEvent::detail)
                .filter(d -> d instanceof EventDetail.ContentRotated)
                .map(d -> ((EventDetail.ContentRotated) d).services())
                .findFirst()
                .orElse(List.of());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stack", result.stack());
        json.put(what, key);
        json.put("job", deployment.jobId().orElse(null));
        json.put("outcome", result.outcome().name());
        json.put("message", result.message());
        json.put("elapsedMillis", result.elapsed().toMillis());
        json.put("services", services);
        json.put("serviceErrors", result.serviceErrors());
        common.print(
            json,
            (result.succeeded() ? "ROTATED " : result.outcome().name() + " ")
                + what
                + " "
                + key
                + " of "
                + result.stack()
                + (services.isEmpty() ? "" : " (" + String.join(", ", services) + ")")
                + " in "
                + result.elapsed().toMillis()
                + " ms: "
                + result.message());
        return result.succeeded() ? StackwrightCli.OK : StackwrightCli.FAILED;
      }
    }

    /** The file's content, recorded as read from it (the store keeps the path, never the bytes). */
    private FileContent read(String what) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("--file " + file + ": no such file");
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--file " + file + " cannot be read: " + e.getClass().getSimpleName());
      }
      FileContent content =
          what.equals("secret") ? FileContent.secret(bytes) : FileContent.plain(bytes);
      return content.withOrigin(FileContent.Origin.file(file));
    }
  }
}
