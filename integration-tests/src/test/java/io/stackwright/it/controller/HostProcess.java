package io.stackwright.it.controller;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.core.Orchestrator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A second host application for {@link TwoHostsIT}, in a JVM of its own: one orchestrator on the
 * single engine, sharing the PostgreSQL store given as arguments. It reads commands from stdin and
 * answers on stdout:
 *
 * <ul>
 *   <li>{@code deploy <stack> <version> <startupDelayMs> [secretFile]}: submits a deploy (not
 *       waiting), answers {@code job <id> <version>}
 *   <li>{@code quit}: closes the orchestrator and exits
 * </ul>
 *
 * It prints {@code ready <owner>} once its orchestrator is built.
 */
public final class HostProcess {
  private HostProcess() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2];
    Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Orchestrator orchestrator =
        Orchestrator.builder()
            .platform("compose")
            .postgres(url, user, password)
            .jobLease(lease)
            .jobRetries(8, Duration.ofMillis(500), Duration.ofSeconds(3))
            .build()) {
      out.println("ready");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split(" ");
        if (words[0].equals("quit")) {
          break;
        }
        if (words[0].equals("deploy")) {
          Deployment d =
              orchestrator
                  .stack(words[1])
                  .deploy(
                      TwoHostsIT.spec(
                          words[1],
                          words[2],
                          Integer.parseInt(words[3]),
                          words.length > 4 ? java.nio.file.Path.of(words[4]) : null),
                      DeployOptions.waitingUpTo(Duration.ofMinutes(2)));
          out.println("job " + d.jobId().orElseThrow() + " " + words[2]);
        }
      }
    }
  }
}
