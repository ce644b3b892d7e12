package io.stackwright.cli;

import java.util.Locale;

/**
 * How a command shows progress: a live view redrawn in place on a terminal ({@code tty}), plain
 * lines otherwise ({@code plain}), or JSON lines ({@code json}, also what {@code --json} chooses).
 * {@code auto} picks {@code tty} when standard output is a terminal ({@link System#console()}, and
 * {@code TERM} is not {@code dumb}). Colour only on a terminal, never with {@code NO_COLOR} set.
 */
enum Output {
  tty,
  plain,
  json;

  /** The mode for {@code --progress} (or {@code auto} when not given) and {@code --json}. */
  static Output choose(String progress, boolean jsonFlag) {
    if (jsonFlag) {
      return Output.json;
    }
    String mode = progress == null ? "auto" : progress.toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "auto" -> isTerminal() ? Output.tty : Output.plain;
      case "tty" -> Output.tty;
      case "plain" -> Output.plain;
      case "json" -> Output.json;
      default ->
          throw new IllegalArgumentException(
              "--progress takes auto, tty, plain or json, not '" + progress + "'");
    };
  }

  static boolean isTerminal() {
    String term = System.getenv("TERM");
    return System.console() != null && !"dumb".equals(term);
  }

  /** Whether to colour: on a terminal, and never with NO_COLOR set (https://no-color.org). */
  boolean colour() {
    String noColor = System.getenv("NO_COLOR");
    return this == tty && (noColor == null || noColor.isEmpty());
  }
}
