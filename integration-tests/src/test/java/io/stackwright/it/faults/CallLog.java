package io.stackwright.it.faults;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Every engine call a fault test makes (Orchestrator API, docker CLI, lab script), with how long it
 * took: a call that hangs past its deadline is a finding, so each one is timed.
 */
final class CallLog {
  record Call(String what, Duration took, boolean ok) {}

  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  void record(String what, Duration took, boolean ok) {
    calls.add(new Call(what, took, ok));
  }

  /** Times an API call; a failure is recorded and rethrown. */
  <T> T time(String what, Supplier<T> call) {
    long t0 = System.nanoTime();
    boolean ok = false;
    try {
      T value = call.get();
      ok = true;
      return value;
    } finally {
      record(what, Duration.ofNanos(System.nanoTime() - t0), ok);
    }
  }

  /** A command, killed at {@code deadline} (then recorded with its full wait and exit 124). */
  Result run(String what, List<String> command, Duration deadline) {
    long t0 = System.nanoTime();
    SwarmLab.ScriptResult result = SwarmLab.exec(command, deadline);
    record(what, Duration.ofNanos(System.nanoTime() - t0), result.exitCode() == 0);
    return new Result(result.exitCode(), result.output());
  }

  int mark() {
    return calls.size();
  }

  List<Call> since(int mark) {
    return List.copyOf(calls.subList(mark, calls.size()));
  }

  static Optional<Call> longest(List<Call> calls) {
    return calls.stream().max(Comparator.comparing(Call::took));
  }
}
