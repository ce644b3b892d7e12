package io.stackwright.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stackwright.api.ConflictException;
import io.stackwright.api.FileContent;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.OrchestratorException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.spi.Capability;
import io.stackwright.api.spi.Platform;
import io.stackwright.api.spi.PlatformContext;
import io.stackwright.api.spi.ResourceUsage;
import io.stackwright.api.spi.Subscription;
import io.stackwright.api.state.ServiceState;
import io.stackwright.api.state.StackState;
import io.stackwright.api.state.TaskState;
import io.stackwright.api.state.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link Platform}, as an abstract JUnit 5 suite run against a real engine. Every
 * adapter subclasses it, third parties' too:
 *
 * <pre>{@code
 * class MyPlatformCompatibilityIT extends PlatformCompatibilityKit {
 *   protected Platform createPlatform(PlatformContext context) {
 *     return new MyPlatformProvider().create(context);
 *   }
 * }
 * }</pre>
 *
 * <p>The stacks use {@link #image()}, an HTTP server on port 8080 whose {@code /server --probe}
 * command exits 0 when it is healthy (Stackwright's test workload; override to use another).
 * Optional behaviour is checked only where the platform declares the {@link Capability}.
 */
public abstract class PlatformCompatibilityKit {

  /** The platform under test, created afresh for each test. */
  protected Platform platform;

  /** A stack name unique to the test; everything of it is removed after the test. */
  protected String stack;

  private ExecutorService executor;

  protected abstract Platform createPlatform(PlatformContext context);

  /** The image every test service runs. */
  protected String image() {
    return "stackwright/workload:test";
  }

  /** How long a stack may take to converge. */
  protected Duration convergenceTimeout() {
    return Duration.ofMinutes(2);
  }

  /**
   * A service as the kit deploys it. Override to adapt to the platform's environment (the default
   * uses DNS round-robin endpoints, which work where Swarm's virtual IPs do not).
   */
  /** The port on which {@link #image()} answers HTTP GET / with status 200. */
  protected int httpPort() {
    return 8080;
  }

  protected ServiceSpec.Builder service(String name) {
    return ServiceSpec.builder(name, image())
        .endpointMode(ServiceSpec.EndpointMode.DNSRR)
        .healthcheck(
            HealthcheckSpec.cmd("/server", "--probe")
                .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, 3));
  }

  @BeforeEach
  void createPlatformUnderTest() {
    executor = Executors.newCachedThreadPool();
    platform = createPlatform(new PlatformContext(Clock.systemUTC(), executor, Map.of()));
    stack = "tck" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void removeEverything() throws Exception {
    try {
      platform.remove(stack, RemoveOptions.withVolumes(), event -> {});
    } finally {
      platform.close();
      executor.shutdownNow();
    }
  }

  /** Two services on one network: {@code web} (2 replicas) and {@code api} (1). */
  protected StackSpec twoServices() {
    return StackSpec.builder(stack)
        .network(NetworkSpec.of("backend"))
        .service(service("web").replicas(2).network("backend").env("ROLE", "web").build())
        .service(service("api").replicas(1).network("backend").env("ROLE", "api").build())
        .build();
  }

  /** Plans and applies {@code spec}, then waits until it has converged. */
  protected Plan deploy(StackSpec spec) {
    Plan plan = platform.plan(spec);
    platform.apply(spec, plan, event -> {});
    awaitConverged(spec);
    return plan;
  }

  /** Waits until every service runs its declared replicas of the current spec, all ready. */
  protected void awaitConverged(StackSpec spec) {
    await("stack " + spec.name() + " converges")
        .atMost(convergenceTimeout())
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              StackState state = platform.status(spec.name());
              for (ServiceSpec service : spec.services().values()) {
                ServiceState observed =
                    state
                        .service(service.name())
                        .orElseThrow(() -> new AssertionError(service.name() + " is missing"));
                assertThat(observed.readyReplicas())
                    .as(service.name() + " ready replicas")
                    .isEqualTo(service.replicas());
                assertThat(observed.currentTasks())
                    .as(service.name() + " current replicas")
                    .hasSize(service.replicas());
                assertThat(
                        observed.tasks().stream()
                            .filter(t -> !t.current() && t.status() == TaskStatus.RUNNING))
                    .as(service.name() + " replicas of an older spec still running")
                    .isEmpty();
              }
            });
  }

  /** Per service: its version and the ids of its running replicas; equal means nothing moved. */
  protected Map<String, String> fingerprint(String stackName) {
    Map<String, String> prints = new TreeMap<>();
    for (ServiceState service : platform.status(stackName).services()) {
      prints.put(
          service.name(),
          "v"
              + service.version()
              + " "
              + service.currentTasks().stream()
                  .map(TaskState::id)
                  .sorted()
                  .collect(Collectors.joining(",")));
    }
    return prints;
  }

  @Nested
  @DisplayName("deploy")
  class Deploy {

    @Test
    @DisplayName("plans creates for a new stack, applies them, and the stack converges")
    void deploysAndConverges() {
      StackSpec spec = twoServices();

      Plan plan = platform.plan(spec);
      assertThat(plan.changesOf(ResourceKind.SERVICE))
          .extracting(Change::key)
          .containsExactlyInAnyOrder("web", "api");
      assertThat(plan.changes()).allMatch(change -> change instanceof Change.Create);

      platform.apply(spec, plan, event -> {});
      awaitConverged(spec);

      StackState state = platform.status(stack);
      assertThat(state.services())
          .extracting(ServiceState::name)
          .containsExactlyInAnyOrder("web", "api");
      assertThat(state.service("web").orElseThrow().image()).isEqualTo(image());
      assertThat(platform.stacks()).contains(stack);
    }

    @Test
    @DisplayName("reports each write as an event, and replica changes through watch")
    void emitsEvents() {
      StackSpec spec = twoServices();
      List<OrchestratorEvent> applied = new CopyOnWriteArrayList<>();
      List<OrchestratorEvent> watched = new CopyOnWriteArrayList<>();

      Plan plan = platform.plan(spec);
      try (Subscription subscription = platform.watch(stack, watched::add)) {
        platform.apply(spec, plan, applied::add);
        awaitConverged(spec);
        await("replica events")
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    watched.stream()
                        .anyMatch(
                            e ->
                                e.type() == EventType.TASK_STATE_CHANGED
                                    && stack.equals(e.stack())));
      }

      // At least one event per created resource; a platform may report finer steps as well
      // (the containers of a service, say).
      List<String> created =
          applied.stream()
              .filter(e -> e.type() == EventType.RESOURCE_CREATED)
              .map(OrchestratorEvent::subject)
              .toList();
      for (Change change : plan.changes()) {
        assertThat(created).as("creation of " + change.key() + " reported").contains(change.key());
      }
      assertThat(applied).allMatch(e -> stack.equals(e.stack()));
    }
  }

  @Nested
  @DisplayName("redeploy")
  class Redeploy {

    @Test
    @DisplayName("an unchanged stack plans nothing, and applying that plan writes nothing")
    void unchangedIsANoOp() {
      StackSpec spec = twoServices();
      deploy(spec);
      Map<String, String> before = fingerprint(stack);

      Plan again = platform.plan(twoServices());
      assertThat(again.isEmpty()).as(again.toString()).isTrue();
      List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
      platform.apply(spec, again, events::add);

      assertThat(events).isEmpty();
      assertThat(fingerprint(stack)).isEqualTo(before);
    }

    @Test
    @DisplayName("a change to one service updates that service alone")
    void updatesOnlyWhatChanged() {
      StackSpec spec = twoServices();
      deploy(spec);
      Map<String, String> before = fingerprint(stack);

      StackSpec changed =
          spec.toBuilder()
              .service(spec.service("api").toBuilder().env("ROLE", "api-v2").build())
              .build();
      Plan plan = platform.plan(changed);

      assertThat(plan.changes()).hasSize(1);
      assertThat(plan.changes().get(0)).isInstanceOf(Change.Update.class);
      assertThat(plan.changes().get(0).key()).isEqualTo("api");
      assertThat(((Change.Update) plan.changes().get(0)).fields()).isNotEmpty();

      platform.apply(changed, plan, event -> {});
      awaitConverged(changed);
      Map<String, String> after = fingerprint(stack);
      assertThat(after.get("web")).isEqualTo(before.get("web"));
      assertThat(after.get("api")).isNotEqualTo(before.get("api"));
      assertThat(platform.plan(changed).isEmpty()).isTrue();
    }

    @Test
    @DisplayName("a service no longer declared is deleted")
    void deletesWhatIsNoLongerDeclared() {
      StackSpec spec = twoServices();
      deploy(spec);
      StackSpec smaller =
          StackSpec.builder(stack)
              .network(NetworkSpec.of("backend"))
              .service(spec.service("web"))
              .build();

      Plan plan = platform.plan(smaller);
      assertThat(plan.changesOf(ResourceKind.SERVICE))
          .singleElement()
          .isEqualTo(new Change.Delete(ResourceKind.SERVICE, "api"));

      platform.apply(smaller, plan, event -> {});
      await()
          .atMost(convergenceTimeout())
          .until(() -> platform.status(stack).service("api").isEmpty());
      awaitConverged(smaller);
    }
  }

  @Nested
  @DisplayName("scale")
  class Scale {

    @Test
    @DisplayName("sets the replicas of one service, up and down")
    void scalesUpAndDown() {
      StackSpec spec = twoServices();
      deploy(spec);
      String apiBefore = fingerprint(stack).get("api");

      platform.scale(stack, "web", 3);
      awaitConverged(
          spec.toBuilder().service(spec.service("web").toBuilder().replicas(3).build()).build());
      platform.scale(stack, "web", 1);
      awaitConverged(
          spec.toBuilder().service(spec.service("web").toBuilder().replicas(1).build()).build());

      assertThat(fingerprint(stack).get("api")).isEqualTo(apiBefore);
    }
  }

  @Nested
  @DisplayName("remove")
  class Remove {

    @Test
    @DisplayName("leaves nothing of the stack behind, and is idempotent")
    void leavesNothing() {
      deploy(twoServices());

      platform.remove(stack, RemoveOptions.withVolumes(), event -> {});

      assertThat(platform.status(stack).isEmpty()).as(platform.status(stack).toString()).isTrue();
      assertThat(platform.stacks()).doesNotContain(stack);
      platform.remove(stack, RemoveOptions.withVolumes(), event -> {});
    }

    @Test
    @DisplayName("of a stack that never existed is not an error")
    void missingStack() {
      platform.remove(stack, RemoveOptions.keepVolumes(), event -> {});
      assertThat(platform.status(stack).isEmpty()).isTrue();
    }
  }

  @Nested
  @DisplayName("bad input")
  class BadInput {

    @Test
    @DisplayName("a stack the platform cannot run fails before anything is written")
    void rejectedBeforeWrites() {
      StackSpec spec =
          StackSpec.builder(stack)
              .network(NetworkSpec.external("outside", "tck-no-such-network-" + stack))
              .service(service("web").network("outside").build())
              .service(service("api").build())
              .build();

      assertThatThrownBy(
              () -> {
                Plan plan = platform.plan(spec);
                platform.apply(spec, plan, event -> {});
              })
          .isInstanceOf(OrchestratorException.class)
          .hasMessageContaining("tck-no-such-network-" + stack);
      assertThat(platform.status(stack).isEmpty()).as(platform.status(stack).toString()).isTrue();
    }
  }

  @Nested
  @DisplayName("optional capabilities")
  class Optional {

    @Test
    @DisplayName("SECRETS: a service that uses a secret converges")
    void secrets() {
      Assumptions.assumeTrue(platform.capabilities().contains(Capability.SECRETS));
      StackSpec spec =
          StackSpec.builder(stack)
              .secret(SecretSpec.of("token", FileContent.secret("tck-secret-value")))
              .service(service("web").secret("token").build())
              .build();

      deploy(spec);

      assertThat(platform.plan(spec).isEmpty()).isTrue();
    }

    @Test
    @DisplayName("OPTIMISTIC_CONCURRENCY: a plan made stale by another writer is a conflict")
    void staleplanConflicts() {
      Assumptions.assumeTrue(platform.capabilities().contains(Capability.OPTIMISTIC_CONCURRENCY));
      StackSpec spec = twoServices();
      deploy(spec);
      StackSpec changed =
          spec.toBuilder()
              .service(spec.service("web").toBuilder().env("ROLE", "web-v2").build())
              .build();
      Plan stale = platform.plan(changed);

      platform.scale(stack, "web", 3);

      assertThatThrownBy(() -> platform.apply(changed, stale, event -> {}))
          .isInstanceOf(ConflictException.class);
    }

    @Test
    @DisplayName("REPLICA_ADDRESS: every running replica answers at the address the platform gives")
    void replicaAddresses() throws Exception {
      Assumptions.assumeTrue(platform.capabilities().contains(Capability.REPLICA_ADDRESS));
      StackSpec spec = twoServices();
      deploy(spec);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      List<TaskState> running =
          platform.status(stack).services().stream()
              .flatMap(s -> s.currentTasks().stream())
              .filter(t -> t.status() == TaskStatus.RUNNING)
              .toList();
      assertThat(running).hasSize(3);
      java.util.Set<String> answers = new java.util.HashSet<>();
      for (TaskState task : running) {
        String address =
            platform
                .replicaAddress(stack, task)
                .orElseThrow(() -> new AssertionError("no address for " + task.id()));
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + address + ":" + httpPort() + "/"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET / at " + address).isEqualTo(200);
        answers.add(address);
      }
      assertThat(answers).as("one address per replica").hasSize(3);
    }

    @Test
    @DisplayName("RESOURCE_USAGE: a replica's CPU counter grows while it works; memory is read")
    void resourceUsage() throws Exception {
      Assumptions.assumeTrue(platform.capabilities().contains(Capability.RESOURCE_USAGE));
      StackSpec spec = twoServices();
      deploy(spec);
      TaskState task =
          platform.status(stack).services().stream()
              .flatMap(s -> s.currentTasks().stream())
              .filter(t -> t.status() == TaskStatus.RUNNING)
              .findFirst()
              .orElseThrow();
      ResourceUsage before = platform.usage(stack, task);
      assertThat(before.cpuNanos()).isPositive();
      assertThat(before.memoryBytes()).isPositive();
      if (platform.capabilities().contains(Capability.REPLICA_ADDRESS)) {
        String address = platform.replicaAddress(stack, task).orElseThrow();
        HttpResponse<String> answer =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://" + address + ":" + httpPort() + "/work?cpu-ms=300"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        ResourceUsage after = platform.usage(stack, task);
        assertThat(after.cpuNanos() - before.cpuNanos())
            .as("CPU time of 300 ms of work")
            .isGreaterThan(200_000_000L);
        assertThat(after.readAt()).isAfterOrEqualTo(before.readAt());
      }
    }

    @Test
    @DisplayName("LEASE: one holder at a time; a released or expired lease passes to another")
    void leases() throws Exception {
      Assumptions.assumeTrue(platform.capabilities().contains(Capability.LEASE));
      deploy(twoServices());
      Duration ttl = Duration.ofSeconds(3);
      try {
        assertThat(platform.lease(stack, "tck", "a", ttl).holder()).isEqualTo("a");
        assertThat(platform.lease(stack, "tck", "b", ttl).holder()).isEqualTo("a");
        assertThat(platform.lease(stack, "tck", "a", ttl).holder()).as("renewed").isEqualTo("a");
        platform.releaseLease(stack, "tck", "b");
        assertThat(platform.lease(stack, "tck", "b", ttl).holder())
            .as("b cannot release a's")
            .isEqualTo("a");
        platform.releaseLease(stack, "tck", "a");
        assertThat(platform.lease(stack, "tck", "b", ttl).holder()).as("released").isEqualTo("b");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> platform.lease(stack, "tck", "c", ttl).holder().equals("c"));
        // Racing for an expired lease: exactly one of several contenders wins.
        Thread.sleep(ttl.toMillis() + 500);
        List<String> contenders = List.of("d", "e", "f", "g");
        List<java.util.concurrent.Callable<String>> attempts =
            contenders.stream()
                .<java.util.concurrent.Callable<String>>map(
                    h -> () -> platform.lease(stack, "tck", h, Duration.ofSeconds(30)).holder())
                .toList();
        ExecutorService racers = Executors.newFixedThreadPool(contenders.size());
        try {
          List<String> seen = new java.util.ArrayList<>();
          for (java.util.concurrent.Future<String> f : racers.invokeAll(attempts)) {
            seen.add(f.get());
          }
          assertThat(new java.util.HashSet<>(seen))
              .as("every contender sees the same winner: " + seen)
              .hasSize(1);
          assertThat(contenders).contains(seen.get(0));
        } finally {
          racers.shutdownNow();
        }
      } finally {
        for (String h : List.of("a", "b", "c", "d", "e", "f", "g")) {
          platform.releaseLease(stack, "tck", h);
        }
      }
    }

    @Test
    @DisplayName(
        "REPLICA_CONTROL: a replica of a new spec starts beside the old ones, an old one is removed,"
            + " and applying the new spec then adopts the new replicas")
    void replicaControl() {
      Assumptions.assumeTrue(platform.capabilities().contains(Capability.REPLICA_CONTROL));
      StackSpec v1 =
          StackSpec.builder(stack)
              .service(service("web").replicas(1).env("ROLE", "v1").build())
              .build();
      deploy(v1);
      TaskState old = platform.status(stack).service("web").orElseThrow().currentTasks().get(0);
      StackSpec v2 =
          v1.toBuilder().service(v1.service("web").toBuilder().env("ROLE", "v2").build()).build();

      TaskState fresh = platform.startReplica(v2, "web", event -> {});
      await("the new replica is ready beside the old one")
          .atMost(convergenceTimeout())
          .until(
              () ->
                  platform.status(stack).service("web").orElseThrow().tasks().stream()
                      .anyMatch(t -> t.id().equals(fresh.id()) && t.isReady()));
      assertThat(platform.status(stack).service("web").orElseThrow().runningReplicas())
          .isEqualTo(2);
      platform.removeReplica(stack, old, event -> {});
      platform.apply(v2, platform.plan(v2), event -> {});

      awaitConverged(v2);
      assertThat(platform.status(stack).service("web").orElseThrow().currentTasks())
          .extracting(TaskState::id)
          .containsExactly(fresh.id());
    }
  }
}
