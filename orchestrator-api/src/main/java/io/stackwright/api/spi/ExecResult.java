package io.stackwright.api.spi;

/**
 * What a command run inside a replica returned.
 *
 * @param exitCode the command's exit code, or -1 when it timed out
 * @param output its standard output and error, cut to a few KiB
 * @param timedOut whether it was still running when the timeout passed
 */
public record ExecResult(int exitCode, String output, boolean timedOut) {
  public ExecResult {
    output = output == null ? "" : output;
  }

  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }
}
