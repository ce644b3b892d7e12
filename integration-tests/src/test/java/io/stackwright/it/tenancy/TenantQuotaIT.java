package io.stackwright.it.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.TenantUsage;
import io.stackwright.core.Orchestrator;
import io.stackwright.it.Shell;
import io.stackwright.loader.ComposeLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenancy against the real engine (single-engine platform, for speed: the platform does not matter
 * to admission) and the real PostgreSQL: quotas held across two JVMs, rollout surge refused up
 * front, reservations released by failures, isolation refused at admission with file:line:col.
 */
@DisplayName("tenants on the real engine and PostgreSQL")
class TenantQuotaIT {
  private static final String USER = Tenancy.USER;
  private static final String PASSWORD = Tenancy.PASSWORD;

  private final String run = UUID.randomUUID().toString().substring(0, 6);
  private String schema;
  private String url;
  private Orchestrator orchestrator;
  private final List<String> stacks = new ArrayList<>();
  private Process worker;

  @TempDir Path dir;

  @BeforeEach
  void database() {
    schema = "swt_" + run;
    url = Tenancy.createSchema(schema);
    orchestrator = Tenancy.orchestrator(url, USER, PASSWORD);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (worker != null && worker.isAlive()) {
      worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (orchestrator != null) {
      for (String stack : stacks) {
        if (!containers(stack).isEmpty() || !networks(stack).isEmpty()) {
          try {
            orchestrator.remove(stack, RemoveOptions.withVolumes());
          } catch (RuntimeException e) {
            for (String container : containers(stack)) {
              Shell.docker("rm", "-f", container);
            }
          }
        }
      }
      orchestrator.close();
    }
    if (schema != null) {
      Tenancy.dropSchema(schema);
    }
  }

  private String stack(String name) {
    String full = "swt-" + run + "-" + name;
    stacks.add(full);
    return full;
  }

  static List<String> containers(String stack) {
    return lines(
        Shell.docker(
                "ps",
                "-a",
                "--filter",
                "label=com.docker.compose.project=" + stack,
                "--format",
                "{{.Names}}")
            .out());
  }

  static List<String> networks(String stack) {
    return lines(
        Shell.docker(
                "network",
                "ls",
                "--filter",
                "label=com.docker.compose.project=" + stack,
                "--format",
                "{{.Name}}")
            .out());
  }

  private static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }

  @Test
  @DisplayName(
      "10 concurrent deploys from two JVMs past the tenant's quota: exactly the admissible 4"
          + " succeed, the 6 others fail before writing anything")
  void concurrentFromTwoJvms() throws Exception {
    String prefix = "swt-" + run + "-q";
    for (int i = 0; i < 5; i++) {
      stacks.add(prefix + "a" + i);
      stacks.add(prefix + "b" + i);
    }
    List<String> command = Shell.java("-Xmx192m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TenancyWorker.class.getName());
    command.addAll(List.of(url, USER, PASSWORD, prefix + "b", "5"));
    worker = new ProcessBuilder(command).redirectError(dir.resolve("worker.err").toFile()).start();
    BlockingQueue<String> fromWorker = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  fromWorker.add(line);
                }
              } catch (java.io.IOException e) {
                fromWorker.add("ERROR reading " + e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    String ready = fromWorker.poll(90, TimeUnit.SECONDS);
    assertThat(ready)
        .as("the worker JVM is ready (stderr: %s)", dir.resolve("worker.err"))
        .isEqualTo("READY");

    orchestrator.plan(Tenancy.oneReplica(prefix + "warm"));
    // both JVMs at once: the worker's 5 from the signal, this JVM's 5 from its own threads
    long started = System.nanoTime();
    try (Writer go = new java.io.OutputStreamWriter(worker.getOutputStream())) {
      go.write("go\n");
    }
    List<String> here = TenancyWorker.deployAll(orchestrator, prefix + "a", 5);
    List<String> there = new ArrayList<>();
    for (String line; !"DONE".equals(line = fromWorker.poll(4, TimeUnit.MINUTES)); ) {
      assertThat(line)
          .as("the worker's next line (stderr: %s)", dir.resolve("worker.err"))
          .isNotNull();
      there.add(line);
    }
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    long admittedThere = there.stream().filter(l -> l.startsWith("ADMITTED ")).count();
    List<String> all = new ArrayList<>(here);
    all.addAll(there);
    System.out.println(
        "tenancy: 10 deploys from 2 JVMs in "
            + elapsedMs
            + " ms, admitted here "
            + (4 - admittedThere)
            + ", there "
            + admittedThere
            + ": "
            + String.join("; ", all));

    List<String> admitted =
        all.stream().filter(l -> l.startsWith("ADMITTED ")).map(l -> l.split(" ")[1]).toList();
    List<String> refused = all.stream().filter(l -> l.startsWith("REFUSED ")).toList();
    assertThat(all).noneMatch(l -> l.startsWith("ERROR"));
    assertThat(admitted).hasSize(4);
    assertThat(refused).hasSize(6).allMatch(l -> l.endsWith(" 1 4") && l.contains(" replicas 4 "));
    assertThat(all.stream().filter(l -> l.startsWith("RESULT ")))
        .hasSize(4)
        .allMatch(l -> l.endsWith(" SUCCEEDED"));
    // the JVMs did not each admit their own share: it is one quota
    for (String line : refused) {
      String stack = line.split(" ")[1];
      assertThat(containers(stack)).as("containers of refused %s", stack).isEmpty();
      assertThat(networks(stack)).as("networks of refused %s", stack).isEmpty();
      assertThat(orchestrator.store().jobs().list(JobQuery.ofStack(stack, 10))).isEmpty();
      assertThat(orchestrator.store().desiredStates().current(stack)).isEmpty();
    }
    for (String stack : admitted) {
      assertThat(containers(stack)).as("containers of admitted %s", stack).hasSize(1);
      assertThat(
              Shell.docker(
                      "inspect",
                      "--format",
                      "{{index .Config.Labels \"io.stackwright.tenant\"}}",
                      containers(stack).get(0))
                  .out()
                  .strip())
          .isEqualTo("swt-acme");
    }
    TenantUsage usage = orchestrator.tenant("swt-acme").usage();
    assertThat(usage.used().get(QuotaResource.REPLICAS)).isEqualTo(4);
    assertThat(usage.reserved().isZero()).isTrue();
    assertThat(usage.stacks()).containsExactlyInAnyOrderElementsOf(admitted);
    assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @DisplayName(
      "a rolling update that would pass the quota mid-way (start-first surge) is refused up"
          + " front; the running version is untouched")
  void rollingSurgeRefusedUpFront() {
    String name = stack("roll");
    StackSpec v1 =
        StackSpec.builder(name)
            .service(
                ServiceSpec.builder("web", Tenancy.IMAGE)
                    .replicas(3)
                    .env("VERSION", "1")
                    .updatePolicy(Tenancy.startFirst(2))
                    .build())
            .build();
    // 4 replicas in all: 3 fit, 3 + a surge of 2 do not
    Tenancy.deployed(orchestrator, "swt-acme", v1);
    List<String> before = containers(name);
    StackSpec v2 = Tenancy.webVersion(v1, "2");
    Tenancy.assertRefusedForReplicas(
        () -> orchestrator.tenant("swt-acme").stack(name).deploy(v2), "swt-acme", name, 4, 3, 2);
    assertThat(containers(name)).containsExactlyInAnyOrderElementsOf(before);
    assertThat(orchestrator.stack(name).jobs()).hasSize(1);
    // a parallelism of 1 fits (3 + 1) and rolls
    Tenancy.deployed(orchestrator, "swt-acme", Tenancy.webStartFirst(v2, 1));
    assertThat(orchestrator.tenant("swt-acme").usage().total().get(QuotaResource.REPLICAS))
        .isEqualTo(3);
  }

  @Test
  @DisplayName("a failed deploy releases its reservation: the whole quota is free again")
  void failedDeployReleases() throws Exception {
    String broken = stack("broken");
    // the engine refuses to start a container whose host port is taken: a failure past admission
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"))) {
      StackSpec refused =
          StackSpec.builder(broken)
              .service(
                  ServiceSpec.builder("web", Tenancy.IMAGE)
                      .replicas(1)
                      .port(io.stackwright.api.PortSpec.host(taken.getLocalPort(), 8080))
                      .build())
              .build();
      DeploymentResult failed =
          orchestrator
              .tenant("swt-acme")
              .stack(broken)
              .deploy(refused, DeployOptions.waitingUpTo(Duration.ofSeconds(60)))
              .await(Duration.ofMinutes(3));
      assertThat(failed.succeeded()).isFalse();
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> orchestrator.tenant("swt-acme").usage().total().isZero());
    String next = stack("next");
    StackSpec four =
        StackSpec.builder(next)
            .service(ServiceSpec.builder("web", Tenancy.IMAGE).replicas(4).build())
            .build();
    Tenancy.deployed(orchestrator, "swt-acme", four);
  }

  @Test
  @DisplayName(
      "a cross-tenant network attach and a route host claim are refused at admission, at"
          + " file:line:col, and nothing is written")
  void isolation() throws Exception {
    String owner = stack("owned");
    Tenancy.deployed(orchestrator, "swt-acme", Tenancy.oneReplica(owner));
    assertThat(networks(owner)).contains(owner + "_default");
    assertThat(
            Shell.docker(
                    "network",
                    "inspect",
                    "--format",
                    "{{index .Labels \"io.stackwright.tenant\"}}",
                    owner + "_default")
                .out()
                .strip())
        .isEqualTo("swt-acme");

    String intruder = stack("intruder");
    Path file = dir.resolve("compose.yaml");
    Files.writeString(
        file,
        """
        services:
          web:
            image: stackwright/workload:test
            networks: [theirs]
            x-stackwright:
              routing:
                port: 8080
                routes:
                  main:
                    host: shop.acme.example
        networks:
          theirs:
            external: true
            name: %s_default
        """
            .formatted(owner));
    StackSpec spec = ComposeLoader.load(file, intruder);
    assertThatThrownBy(() -> orchestrator.tenant("swt-globex").stack(intruder).deploy(spec))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e -> {
              assertThat(e.problems())
                  .extracting(p -> p.line() + ":" + p.column() + " " + p.path())
                  .contains(
                      "12:3 networks.theirs",
                      "9:11 services.web.x-stackwright.routing.routes.main");
              assertThat(e.problems()).allMatch(p -> file.toString().equals(p.file()));
              assertThat(e.getMessage())
                  .contains("belongs to another tenant's stack")
                  .contains(
                      "claims host shop.acme.example, which is not granted to tenant swt-globex");
            });
    assertThat(containers(intruder)).isEmpty();
    assertThat(networks(intruder)).isEmpty();
    assertThat(orchestrator.stack(intruder).jobs()).isEmpty();
    assertThat(orchestrator.store().quotas().owner(intruder)).isEmpty();
  }
}
