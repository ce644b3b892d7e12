package io.stackwright.cli;

import io.stackwright.api.StackSpec;
import io.stackwright.traefik.TraefikProvider;
import io.stackwright.traefik.TraefikRouter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stackwright routes}: prints the Traefik dynamic configuration of a stack's routing ({@code
 * x-stackwright.routing}), as the chosen provider reads it: the labels of each service ({@code
 * labels}, {@code swarm}, {@code docker}; weighted routes add the file provider's YAML), a
 * file-provider YAML document ({@code file}) or an HTTP-provider JSON document ({@code http}).
 * Touches no engine and writes nothing. Exit codes: 0 printed, 2 invalid input.
 */
@Command(
    name = "routes",
    mixinStandardHelpOptions = true,
    description = "Prints the Traefik dynamic configuration for a stack. Writes nothing.")
public final class RoutesCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin StackwrightCli.Files files;

  @Option(
      names = {"-p", "--project-name"},
      description = "Stack (project) name; defaults to the Compose file's name or directory.")
  String name;

  @Option(
      names = "--provider",
      defaultValue = "labels",
      description =
          "Traefik provider: labels (Swarm service labels), swarm, docker (container labels),"
              + " file or http (default: ${DEFAULT-VALUE}).",
      paramLabel = "PROVIDER")
  String provider;

  @Option(
      names = "--directory",
      defaultValue = "/etc/traefik/dynamic",
      description =
          "The file provider's directory, which label providers use for weighted services"
              + " (default: ${DEFAULT-VALUE}). Nothing is written there.",
      paramLabel = "DIR")
  Path directory;

  @Option(names = "--require-tls", description = "Refuse routes without TLS.")
  boolean requireTls;

  @Override
  public Integer call() {
    TraefikProvider chosen;
    try {
      chosen = TraefikProvider.named(provider);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    StackSpec stack = files.load(name);
    TraefikRouter router =
        TraefikRouter.builder(chosen).directory(directory).requireTls(requireTls).build();
    spec.commandLine().getOut().print(router.render(stack));
    spec.commandLine().getOut().flush();
    return StackwrightCli.OK;
  }
}
