package io.stackwright.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The usage texts of every command, rendered by picocli when the distribution is built ({@code
 * lib/help/*.txt}) so that {@code stackwright --help} and {@code stackwright COMMAND --help} print
 * them without building picocli's model of the commands: picocli's own start (its converters, the
 * reflection over every command) costs more than the rest of such a process. Only the plain forms
 * are answered here ({@code -h}, {@code --help}, {@code help}, {@code help COMMAND}, {@code COMMAND
 * -h|--help}); anything else goes through picocli as usual.
 */
final class HelpTexts {
  private HelpTexts() {}

  /** Writes the usage texts of the top level ({@code stackwright.txt}) and of every command. */
  static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    CommandLine cli = new CommandLine(new StackwrightCli());
    for (Class<?> command : StackwrightCli.COMMANDS) {
      cli.addSubcommand(command);
    }
    cli.setUsageHelpAutoWidth(false);
    Files.writeString(
        dir.resolve("stackwright.txt"), cli.getUsageMessage(CommandLine.Help.Ansi.OFF));
    for (var entry : cli.getSubcommands().entrySet()) {
      Files.writeString(
          dir.resolve(entry.getKey() + ".txt"),
          entry.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF));
    }
  }

  /** The pre-rendered text {@code args} ask for, when the distribution has it. */
  static Optional<String> prerendered(String... args) {
    String home = System.getProperty("stackwright.home");
    if (home == null) {
      return Optional.empty();
    }
    String name = null;
    if (args.length == 1 && (isHelp(args[0]) || args[0].equals("help"))) {
      name = "stackwright";
    } else if (args.length == 2 && args[0].equals("help") && isWord(args[1])) {
      name = args[1];
    } else if (args.length == 2 && isHelp(args[1]) && isWord(args[0])) {
      name = args[0];
    }
    if (name == null) {
      return Optional.empty();
    }
    Path file = Path.of(home, "lib", "help", name + ".txt");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("-h") || arg.equals("--help");
  }

  private static boolean isWord(String arg) {
    return arg.matches("[a-z][a-z-]*");
  }
}
