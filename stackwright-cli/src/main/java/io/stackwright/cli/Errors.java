package io.stackwright.cli;

import io.stackwright.api.ConflictException;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NotFoundException;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.PlatformException;
import io.stackwright.api.SpecProblem;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine;

/**
 * How every command reports a failure: one sentence saying what failed and what to do, then the
 * engine's (or the library's) own message, and the exit code: 2 for invalid input or usage, 1 for
 * an operation that failed. Never a stack trace (run with {@code
 * -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} in {@code STACKWRIGHT_OPTS} for the library's
 * log).
 */
final class Errors {
  private Errors() {}

  static int report(Exception e, String command, PrintWriter err) {
    int code;
    if (e instanceof InvalidSpecException invalid) {
      err.println(
          "error: the stack is invalid ("
              + invalid.problems().size()
              + (invalid.problems().size() == 1 ? " problem" : " problems")
              + "); nothing was written: fix the files and run "
              + command
              + " again:");
      for (SpecProblem problem : invalid.problems()) {
        err.println("  " + problem);
      }
      code = StackwrightCli.INVALID;
    } else if (e instanceof IllegalArgumentException
        || e instanceof CommandLine.ParameterException) {
      err.println("error: " + e.getMessage());
      err.println("Run 'stackwright " + command + " --help' for the options.");
      code = StackwrightCli.INVALID;
    } else {
      err.println("error: " + command + " failed: " + advice(e));
      for (String message : messages(e)) {
        err.println("  " + message);
      }
      code = StackwrightCli.FAILED;
    }
    err.flush();
    return code;
  }

  /** What to do, by the kind of failure. */
  static String advice(Throwable e) {
    if (e instanceof NotFoundException) {
      return "it does not exist; check the name (stackwright status -p NAME).";
    }
    if (e instanceof ConflictException) {
      return "the stack changed meanwhile (another process wrote it); run the command again.";
    }
    if (e instanceof PlatformException platform) {
      return platform.retryable()
          ? "the engine did not answer; check that Docker runs (docker info) and try again."
          : "the engine refused it; its message says why.";
    }
    if (e instanceof OrchestratorException) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("no platform can be used") || message.contains("cannot be used here")) {
        return "no engine to deploy to; start Docker (docker info must answer), or choose another"
            + " with --platform.";
      }
      return "see the message below.";
    }
    return "an unexpected error; the message below says what.";
  }

  /** The exception's message and its causes' (the engine's own words are usually last). */
  static Set<String> messages(Throwable e) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        messages.add(t.getMessage().strip());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (messages.isEmpty()) {
      messages.add(e.getClass().getSimpleName());
    }
    return messages;
  }
}
