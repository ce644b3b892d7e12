package io.stackwright.core.controller.internal;

import io.stackwright.api.DeployOptions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * A deploy or rotate job's payload: what the job deploys (the spec's hash, for a rotation also what
 * rotates), then on a line of its own the {@link DeployOptions} it was submitted with, so that a
 * process resuming the job deploys as the submitter asked (its timeout, whether it waits, whether a
 * failed first deploy keeps what it created), not with the defaults.
 *
 * <p>Payloads written before the options were stored have no second line; they resume with {@link
 * DeployOptions#defaults()}, as they did.
 */
final class DeployJobPayload {
  private static final String OPTIONS = "\noptions ";

  private DeployJobPayload() {}

  /** {@code head} followed by the options line. */
  static String of(String head, DeployOptions options) {
    return head
        + OPTIONS
        + "wait="
        + options.waitForConvergence()
        + " timeout="
        + options.timeout()
        + " keep-failed-first="
        + options.keepFailedFirstDeploy();
  }

  /** What the job deploys: the payload without its options line. */
  static String head(String payload) {
    int at = payload.indexOf(OPTIONS);
    return at < 0 ? payload : payload.substring(0, at);
  }

  /**
   * The options the job was submitted with.
   *
   * @throws IllegalArgumentException when the options line is not one {@link #of} writes
   */
  static DeployOptions options(String payload) {
    int at = payload.indexOf(OPTIONS);
    if (at < 0) {
      return DeployOptions.defaults();
    }
    Map<String, String> values = new HashMap<>();
    for (String pair : payload.substring(at + OPTIONS.length()).trim().split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    String wait = values.get("wait");
    String timeout = values.get("timeout");
    String keep = values.get("keep-failed-first");
    if (wait == null || timeout == null || keep == null) {
      throw new IllegalArgumentException(
          "the job's deploy options are not readable: " + payload.substring(at + 1));
    }
    try {
      return new DeployOptions(
          Boolean.parseBoolean(wait), Duration.parse(timeout), Boolean.parseBoolean(keep));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("the job's deploy timeout is not a duration: " + timeout);
    }
  }
}
