package io.stackwright.it.tenancy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.tenancy.QuotaExceededException;
import io.stackwright.core.Orchestrator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The second JVM of {@link TenantQuotaIT}: deploys {@code count} one-replica stacks of the quota
 * tenant at once, once the test writes a line to its stdin, and prints one line per stack on
 * stdout: {@code ADMITTED stack}, {@code REFUSED stack resource used requested quota}, then {@code
 * RESULT stack outcome} for the admitted ones. A test main, not library code: stdout is its
 * protocol.
 *
 * <p>Arguments: url user password prefix count.
 */
public final class TenancyWorker {
  private TenancyWorker() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2];
    String prefix = args[3];
    int count = Integer.parseInt(args[4]);
    try (Orchestrator orchestrator = Tenancy.orchestrator(url, user, password)) {
      // warm up (engine connection, admission, planning) so both JVMs race from the same start
      orchestrator.plan(Tenancy.oneReplica(prefix + "warm"));
      System.out.println("READY");
      System.out.flush();
      // the start signal: a line on stdin, written by the test when both JVMs are ready
      new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
      for (String line : deployAll(orchestrator, prefix, count)) {
        System.out.println(line);
      }
      System.out.println("DONE");
      System.out.flush();
    }
  }

  /** Deploys {@code count} stacks at once from as many threads; one line per outcome. */
  static List<String> deployAll(Orchestrator orchestrator, String prefix, int count)
      throws InterruptedException {
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Deployment> admitted = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String stack = prefix + i;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  Deployment d =
                      orchestrator
                          .tenant("swt-acme")
                          .stack(stack)
                          .deploy(
                              Tenancy.oneReplica(stack),
                              DeployOptions.waitingUpTo(Duration.ofMinutes(2)));
                  lines.add("ADMITTED " + stack);
                  admitted.add(d);
                } catch (QuotaExceededException e) {
                  lines.add(
                      "REFUSED "
                          + stack
                          + " "
                          + e.resource().id()
                          + " "
                          + e.used()
                          + " "
                          + e.requested()
                          + " "
                          + e.quota());
                } catch (RuntimeException | InterruptedException e) {
                  lines.add("ERROR " + stack + " " + e);
                }
              });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    for (Deployment d : List.copyOf(admitted)) {
      DeploymentResult r = d.await(Duration.ofMinutes(3));
      lines.add("RESULT " + r.stack() + " " + r.outcome());
    }
    return lines;
  }
}
