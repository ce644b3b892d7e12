package io.stackwright.api.health;

import java.util.Objects;

/**
 * The outcome of one probe.
 *
 * @param passed whether the check passed
 * @param detail a short reason for people (status code, error); never a secret value
 */
public record ProbeResult(boolean passed, String detail) {
  public ProbeResult {
    detail = Objects.requireNonNullElse(detail, "");
  }

  public static ProbeResult passed(String detail) {
    return new ProbeResult(true, detail);
  }

  public static ProbeResult failed(String detail) {
    return new ProbeResult(false, detail);
  }
}
