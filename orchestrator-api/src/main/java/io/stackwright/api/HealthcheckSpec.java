package io.stackwright.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The container's own healthcheck (Docker's HEALTHCHECK). A {@code null} duration or retries means
 * the image's or engine's default. Durations are checked against the engine's limits: at least 1
 * ms, and 0 only where it means what it says (a start period of 0 is no start period; an interval
 * of 0 would silently be the engine's 30 s, so it is refused).
 *
 * @param test the command, in Docker's form ({@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]} or
 *     {@code ["NONE"]})
 */
public record HealthcheckSpec(
    List<String> test,
    Duration interval,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    Integer retries) {

  public HealthcheckSpec {
    test = Copies.list(test);
    List<SpecProblem> problems = new ArrayList<>();
    if (test.isEmpty()) {
      problems.add(
          SpecProblem.at(
              "healthcheck.test", "a healthcheck needs a test (use disabled() to turn it off)"));
    } else if (!TEST_FORMS.contains(test.get(0))) {
      problems.add(
          SpecProblem.at(
              "healthcheck.test",
              "must start with CMD, CMD-SHELL or NONE, not '" + test.get(0) + "'"));
    } else if (test.get(0).equals("NONE") && test.size() > 1) {
      problems.add(SpecProblem.at("healthcheck.test", "NONE takes no arguments"));
    } else if (!test.get(0).equals("NONE") && test.size() < 2) {
      problems.add(SpecProblem.at("healthcheck.test", test.get(0) + " needs a command"));
    }
    check("healthcheck.interval", SpecChecks.healthcheckDuration(interval, "30s", false), problems);
    check("healthcheck.timeout", SpecChecks.healthcheckDuration(timeout, "30s", false), problems);
    check(
        "healthcheck.start_period",
        SpecChecks.healthcheckDuration(startPeriod, "0s", true),
        problems);
    check(
        "healthcheck.start_interval",
        SpecChecks.healthcheckDuration(startInterval, "5s", false),
        problems);
    if (retries != null && retries < 1) {
      problems.add(
          SpecProblem.at(
              "healthcheck.retries",
              (retries == 0
                      ? "0 would silently become the engine's default of 3"
                      : "cannot be negative (" + retries + ")")
                  + "; allowed: at least 1 (leave it unset for the engine's default, 3)"));
    }
    SpecChecks.throwIfAny(problems);
  }

  private static final Set<String> TEST_FORMS = Set.of("CMD", "CMD-SHELL", "NONE");

  private static void check(String path, String problem, List<SpecProblem> problems) {
    if (problem != null) {
      problems.add(SpecProblem.at(path, problem));
    }
  }

  public static HealthcheckSpec cmd(String... command) {
    List<String> test = new java.util.ArrayList<>();
    test.add("CMD");
    test.addAll(List.of(command));
    return new HealthcheckSpec(test, null, null, null, null, null);
  }

  /** Turns off a healthcheck the image declares. */
  public static HealthcheckSpec disabled() {
    return new HealthcheckSpec(List.of("NONE"), null, null, null, null, null);
  }

  public boolean isDisabled() {
    return test.size() == 1 && "NONE".equals(test.get(0));
  }

  public HealthcheckSpec withTimings(
      Duration interval, Duration timeout, Duration startPeriod, Integer retries) {
    return new HealthcheckSpec(test, interval, timeout, startPeriod, startInterval, retries);
  }
}
