package io.stackwright.it.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.DeploymentResult.Outcome;
import io.stackwright.api.PortSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.Store;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.store.Job;
import io.stackwright.api.store.JobKind;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.store.JobState;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.StackHandle;
import io.stackwright.it.Shell;
import io.stackwright.store.Stores;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack controller against the real engine (single-engine platform): every write is a job,
 * {@code keep} follows the current desired state, {@code remove} and a failed first deploy leave
 * nothing, deploys of one stack are serialised, and a job outlives an engine outage.
 */
class StackControllerIT {
  private static final String IMAGE = "stackwright/workload:test";
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final DeployOptions OPTIONS = DeployOptions.waitingUpTo(Duration.ofMinutes(2));

  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> stacks = new ArrayList<>();
  private final Store store = Stores.inMemory();
  private Orchestrator orchestrator;

  private Orchestrator orchestrator() {
    if (orchestrator == null) {
      orchestrator =
          Orchestrator.builder()
              .platform("compose")
              .store(store)
              .listener(events::add)
              .jobRetries(8, Duration.ofMillis(500), Duration.ofSeconds(3))
              .build();
    }
    return orchestrator;
  }

  @AfterEach
  void cleanUp() {
    if (orchestrator != null) {
      for (String stack : stacks) {
        try {
          orchestrator.remove(stack, RemoveOptions.withVolumes());
        } catch (RuntimeException e) {
          // best effort: the test may have removed it
        }
      }
      orchestrator.close();
    }
    store.close();
  }

  private StackSpec stack(String name, String version) {
    if (!stacks.contains(name)) {
      stacks.add(name);
    }
    return StackSpec.builder(name)
        .service(ServiceSpec.builder("web", IMAGE).env("VERSION", version).build())
        .build();
  }

  private static List<String> containers(String stack) {
    return Shell.docker(
            "ps",
            "-a",
            "--filter",
            "label=com.docker.compose.project=" + stack,
            "--format",
            "{{.Names}}")
        .out()
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  private static List<String> networks(String stack) {
    return Shell.docker(
            "network",
            "ls",
            "--filter",
            "label=com.docker.compose.project=" + stack,
            "--format",
            "{{.Name}}")
        .out()
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  private static List<String> leases(String stack) {
    return Shell.docker(
            "ps",
            "-a",
            "--filter",
            "label=io.stackwright.lease",
            "--format",
            "{{.Label \"io.stackwright.lease\"}}")
        .out()
        .lines()
        .filter(l -> l.startsWith(stack + "/"))
        .toList();
  }

  private static String version(String container) {
    return Shell.docker("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", container)
        .out()
        .lines()
        .filter(l -> l.startsWith("VERSION="))
        .map(l -> l.substring("VERSION=".length()))
        .findFirst()
        .orElse("");
  }

  @Test
  void keepNoLongerUndoesANewerDeploy() {
    StackHandle shop = orchestrator().stack("ct-keep");
    assertThat(shop.deploy(stack("ct-keep", "1"), OPTIONS).await(WAIT).outcome())
        .isEqualTo(Outcome.SUCCEEDED);
    try (Subscription keep = orchestrator.keep(stack("ct-keep", "1"))) {
      DeploymentResult second = shop.deploy(stack("ct-keep", "2"), OPTIONS).await(WAIT);
      assertThat(second.outcome()).as(second.message()).isEqualTo(Outcome.SUCCEEDED);
      String running = containers("ct-keep").get(0);
      assertThat(version(running)).isEqualTo("2");

      assertThat(Shell.docker("rm", "-f", running).exitCode()).isZero();

      try {
        await("keep repairs the stack to the newest deploy")
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    containers("ct-keep").size() == 1
                        && orchestrator.plan(stack("ct-keep", "2")).isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "not repaired: containers "
                + containers("ct-keep")
                + ", plan "
                + orchestrator.plan(stack("ct-keep", "2"))
                + ", jobs "
                + shop.jobs()
                + ", events "
                + events.stream().filter(ev -> ev.stack().equals("ct-keep")).toList(),
            e);
      }
      assertThat(version(containers("ct-keep").get(0))).isEqualTo("2");
      assertThat(shop.jobs())
          .filteredOn(j -> j.kind() == JobKind.RECONCILE)
          .extracting(Job::state)
          .contains(JobState.SUCCEEDED);
    }
  }

  @Test
  void removeLeavesNoLeaseNoStateNoResource() {
    StackHandle stack = orchestrator().stack("ct-rm");
    assertThat(stack.deploy(stack("ct-rm", "1"), OPTIONS).await(WAIT).outcome())
        .isEqualTo(Outcome.SUCCEEDED);
    // what an autoscaler and a health monitor leave: a lease on the engine, state in the store
    assertThat(
            orchestrator
                .platform()
                .lease("ct-rm", "autoscaler", "another-host", Duration.ofMinutes(5))
                .holder())
        .isEqualTo("another-host");
    store.documents().put("health", "ct-rm", "{\"services\":{}}");
    assertThat(leases("ct-rm")).isNotEmpty();

    Job removed = stack.remove(RemoveOptions.withVolumes()).await(WAIT);

    assertThat(removed.state()).as(removed.error()).isEqualTo(JobState.SUCCEEDED);
    assertThat(containers("ct-rm")).isEmpty();
    assertThat(networks("ct-rm")).isEmpty();
    assertThat(leases("ct-rm")).isEmpty();
    assertThat(store.desiredStates().current("ct-rm")).isEmpty();
    assertThat(store.documents().get("health", "ct-rm")).isEmpty();
    assertThat(store.jobs().list(JobQuery.ofStack("ct-rm", 50)))
        .extracting(Job::kind)
        .containsExactly(JobKind.REMOVE);
  }

  @Test
  void aFailedFirstDeployLeavesNothing() throws Exception {
    // the engine refuses to start the container (its host port is taken) after the network and
    // the container were created: a failure only the engine can see, past validation
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
      StackSpec refused =
          StackSpec.builder("ct-fail")
              .service(
                  ServiceSpec.builder("web", IMAGE)
                      .port(PortSpec.host(taken.getLocalPort(), 8080))
                      .build())
              .build();
      failedFirstDeployLeavesNothing(refused);
    }
  }

  private void failedFirstDeployLeavesNothing(StackSpec refused) {
    stacks.add("ct-fail");
    Deployment deployment = orchestrator().stack("ct-fail").deploy(refused, OPTIONS);

    DeploymentResult result = deployment.await(WAIT);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.message()).contains("removed what the failed first deploy created");
    assertThat(containers("ct-fail")).isEmpty();
    assertThat(networks("ct-fail")).isEmpty();
    assertThat(store.desiredStates().current("ct-fail")).isEmpty();
    Job job = store.jobs().get(Long.parseLong(deployment.jobId().orElseThrow())).orElseThrow();
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.createdResources()).isNotEmpty();
  }

  @Test
  void twentyDeploysAtOnceEndSerialisedWithTheLastOneRunning() throws Exception {
    StackHandle handle = orchestrator().stack("ct-twenty");
    java.util.Map<Long, String> versionByJob = new java.util.concurrent.ConcurrentHashMap<>();
    List<Deployment> deployments = new CopyOnWriteArrayList<>();
    List<Thread> submitters = new ArrayList<>();
    for (int v = 1; v <= 20; v++) {
      String version = String.valueOf(v);
      StackSpec spec = stack("ct-twenty", version);
      submitters.add(
          new Thread(
              () -> {
                Deployment d = handle.deploy(spec, OPTIONS);
                versionByJob.put(Long.parseLong(d.jobId().orElseThrow()), version);
                deployments.add(d);
              }));
    }
    submitters.forEach(Thread::start);
    for (Thread t : submitters) {
      t.join();
    }
    for (Deployment d : deployments) {
      d.await(WAIT);
    }
    long last = versionByJob.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    Job lastJob = store.jobs().get(last).orElseThrow();
    assertThat(lastJob.state()).as(lastJob.error()).isEqualTo(JobState.SUCCEEDED);

    List<String> running = containers("ct-twenty");
    assertThat(running).hasSize(1); // no duplicate, no orphan
    assertThat(version(running.get(0))).isEqualTo(versionByJob.get(last));
    List<Job> jobs = store.jobs().list(JobQuery.ofStack("ct-twenty", 50));
    assertThat(jobs).hasSize(20).allMatch(Job::finished);
    assertThat(jobs)
        .filteredOn(j -> j.state() == JobState.CANCELLED)
        .allMatch(j -> j.error().startsWith("superseded by deploy"));
    assertThat(jobs)
        .filteredOn(j -> j.state() != JobState.CANCELLED)
        .allMatch(j -> j.state() == JobState.SUCCEEDED);
    // jobs ran one at a time: each started after the one before it finished
    List<Job> ran =
        jobs.stream()
            .filter(j -> j.startedAt() != null)
            .sorted(java.util.Comparator.comparing(Job::startedAt))
            .toList();
    for (int i = 1; i < ran.size(); i++) {
      assertThat(ran.get(i).startedAt()).isAfterOrEqualTo(ran.get(i - 1).finishedAt());
    }
  }

  @Test
  void aJobRetriesWhileTheEngineIsUnreachableAndThenSucceeds(@TempDir Path dir) throws Exception {
    try (SocketProxy proxy =
        new SocketProxy(dir.resolve("docker.sock"), Path.of("/var/run/docker.sock"))) {
      proxy.start();
      orchestrator =
          Orchestrator.builder()
              .platform("compose")
              .property(PlatformContext.DOCKER_HOST, proxy.dockerHost())
              .store(store)
              .listener(events::add)
              .jobRetries(10, Duration.ofMillis(500), Duration.ofSeconds(2))
              .build();
      StackHandle handle = orchestrator.stack("ct-proxy");
      assertThat(handle.deploy(stack("ct-proxy", "1"), OPTIONS).await(WAIT).outcome())
          .isEqualTo(Outcome.SUCCEEDED);

      proxy.stop();
      var scale = handle.scale("web", 2);
      await("the job fails an attempt and waits to retry")
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e ->
                              e.type() == EventType.JOB_RETRYING
                                  && e.subject().equals(String.valueOf(scale.id()))));
      proxy.start();

      Job done = scale.await(WAIT);
      assertThat(done.state()).as(done.error()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.attempts()).isGreaterThan(1);
      await().atMost(Duration.ofMinutes(1)).until(() -> containers("ct-proxy").size() == 2);
      // clean up while the engine is reachable through the proxy
      assertThat(handle.remove(RemoveOptions.withVolumes()).await(WAIT).state())
          .isEqualTo(JobState.SUCCEEDED);
      stacks.remove("ct-proxy");
    }
  }
}
