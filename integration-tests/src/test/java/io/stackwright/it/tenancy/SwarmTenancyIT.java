package io.stackwright.it.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.FileContent;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.RemoveOptions;
import io.stackwright.api.RestartPolicy;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.store.JobQuery;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.TenantUsage;
import io.stackwright.core.Orchestrator;
import io.stackwright.core.jobs.JobHandle;
import io.stackwright.it.Shell;
import io.stackwright.testing.SecretGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tenancy on Swarm (platform {@code swarm}), against the real engine and the real PostgreSQL: the
 * tenant label on every Swarm object a tenant's stack makes, a rolling update's surge refused up
 * front without a write, a failed deploy's reservation released, and another tenant's network and
 * secret refused at admission. Stacks are named {@code swt<run>...}; one PostgreSQL schema and one
 * orchestrator for the class, a quota tenant of its own for each quota test.
 */
@DisplayName("tenants on Swarm, the real engine and PostgreSQL")
class SwarmTenancyIT {
  private static final String TOKEN = SecretGuard.secret("tenancy-token");

  private static final String ACME = "swt-acme";
  private static final String GLOBEX = "swt-globex";
  private static final String TENANT_LABEL = "io.stackwright.tenant";
  private static final String NAMESPACE_LABEL = "com.docker.stack.namespace";

  /** The Swarm objects a stack may own, by the docker command that lists and inspects them. */
  private static final List<String> KINDS = List.of("service", "network", "secret", "config");

  /** The quota tenants of the rollout and the failure tests, 3 replicas each, one per test. */
  private static final String ROLLS = "swt-rolls";

  private static final String FAILS = "swt-fails";

  private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
  private static String schema;
  private static Orchestrator orchestrator;
  private static final List<String> stacks = new CopyOnWriteArrayList<>();

  /** Tenant acme's stack, with a network, a secret and a config of its own. */
  private static StackSpec owned;

  /** The first version of the rollout test's stack: 2 replicas, start-first 2 at a time. */
  private static StackSpec rolling;

  /** The failure test's stack already running: one replica of its tenant's 3. */
  private static StackSpec base;

  // one store and one orchestrator for the class (a schema's migration is seconds on a loaded
  // machine); the tests keep apart by their stacks and tenants, and the stacks they start from are
  // deployed at once
  @BeforeAll
  static void start() {
    schema = "swt_" + RUN;
    orchestrator =
        Tenancy.orchestrator(
            "swarm",
            Tenancy.createSchema(schema),
            Tenancy.USER,
            Tenancy.PASSWORD,
            Tenancy.replicasTenant(ROLLS, 3),
            Tenancy.replicasTenant(FAILS, 3));
    owned = ownedByAcme();
    rolling =
        StackSpec.builder(stack("roll"))
            .service(web(2).env("VERSION", "1").updatePolicy(Tenancy.startFirst(2)))
            .build();
    base = Tenancy.oneReplica(stack("base"));
    Tenancy.deployedAtOnce(
        orchestrator,
        List.of(Map.entry(ACME, owned), Map.entry(ROLLS, rolling), Map.entry(FAILS, base)));
  }

  @AfterAll
  static void cleanUp() {
    if (orchestrator != null) {
      // every stack's remove at once, then what a failed one left by hand
      List<JobHandle> removals = new ArrayList<>();
      for (String stack : stacks) {
        if (!owned(stack).isEmpty()) {
          removals.add(orchestrator.stack(stack).remove(RemoveOptions.withVolumes()));
        }
      }
      for (JobHandle removal : removals) {
        try {
          removal.await(Duration.ofMinutes(2));
        } catch (RuntimeException e) {
          // removed by hand below
        }
      }
      for (String stack : stacks) {
        for (String kind : KINDS) {
          for (String name : owned(kind, stack)) {
            Shell.docker(kind, "rm", name);
          }
        }
      }
      orchestrator.close();
    }
    if (schema != null) {
      Tenancy.dropSchema(schema);
    }
  }

  private static String stack(String name) {
    String full = "swt" + RUN + name;
    stacks.add(full);
    return full;
  }

  /** The names of the Swarm objects of this kind the stack made (by its namespace label). */
  private static List<String> owned(String kind, String stack) {
    Shell.Result listed =
        Shell.docker(
            kind,
            "ls",
            "--filter",
            "label=" + NAMESPACE_LABEL + "=" + stack,
            "--format",
            "{{.Name}}");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    return listed.out().lines().filter(l -> !l.isBlank()).toList();
  }

  /** Every Swarm object the stack made, as {@code kind name}. */
  private static List<String> owned(String stack) {
    List<String> all = new ArrayList<>();
    for (String kind : KINDS) {
      owned(kind, stack).forEach(name -> all.add(kind + " " + name));
    }
    return all;
  }

  private static String inspect(String kind, String name, String format) {
    Shell.Result inspected = Shell.docker(kind, "inspect", "--format", format, name);
    assertThat(inspected.exitCode()).as(inspected.err()).isZero();
    return inspected.out().strip();
  }

  /** A service of one replica, DNS round-robin (no virtual IP to allocate: quicker on Swarm). */
  private static ServiceSpec.Builder web(int replicas) {
    return ServiceSpec.builder("web", Tenancy.IMAGE)
        .replicas(replicas)
        .endpointMode(ServiceSpec.EndpointMode.DNSRR);
  }

  /** Tenant acme's stack with a network, a secret and a config of its own, besides the default. */
  private static StackSpec ownedByAcme() {
    return StackSpec.builder(stack("own"))
        .service(
            web(1)
                .network(StackSpec.DEFAULT_NETWORK)
                .network("back")
                .secret("token")
                .config("settings", "/settings"))
        .network(NetworkSpec.of("back"))
        .secret(SecretSpec.of("token", FileContent.secret(TOKEN)))
        .config(ConfigSpec.of("settings", FileContent.plain("level=info\n")))
        .build();
  }

  @Test
  @DisplayName(
      "every service, network, secret and config a tenant's stack makes on Swarm carries the"
          + " tenant label, and so do its containers")
  void everyObjectIsLabelled() {
    String name = owned.name();
    assertThat(owned("service", name)).containsExactly(name + "_web");
    assertThat(owned("network", name)).containsExactlyInAnyOrder(name + "_default", name + "_back");
    assertThat(owned("secret", name)).hasSize(1);
    assertThat(owned("config", name)).hasSize(1);
    for (String kind : KINDS) {
      String labels = kind.equals("network") ? ".Labels" : ".Spec.Labels";
      for (String object : owned(kind, name)) {
        assertThat(inspect(kind, object, "{{index " + labels + " \"" + TENANT_LABEL + "\"}}"))
            .as("%s %s's label %s", kind, object, TENANT_LABEL)
            .isEqualTo(ACME);
      }
    }
    assertThat(
            inspect(
                "service",
                name + "_web",
                "{{index .Spec.TaskTemplate.ContainerSpec.Labels \"" + TENANT_LABEL + "\"}}"))
        .isEqualTo(ACME);
    Shell.Result containers =
        Shell.docker(
            "ps",
            "--filter",
            "label=com.docker.swarm.service.name=" + name + "_web",
            "--format",
            "{{.Label \"" + TENANT_LABEL + "\"}}");
    assertThat(containers.out().lines().toList()).containsExactly(ACME);
  }

  @Test
  @DisplayName(
      "a start-first update whose surge would pass the replica quota is refused up front and"
          + " writes nothing (same service version, same tasks); with parallelism 1 it fits and"
          + " rolls")
  void rollingSurgeRefusedUpFront() {
    StackSpec v1 = rolling;
    String name = v1.name();
    String service = name + "_web";
    // the class deployed v1, 2 replicas of the tenant's 3: a surge of 2 does not fit
    String version = inspect("service", service, "{{.Version.Index}}");
    List<String> tasks = tasks(service);
    assertThat(tasks).hasSize(2);

    StackSpec v2 = Tenancy.webVersion(v1, "2");
    Tenancy.assertRefusedForReplicas(
        () -> orchestrator.tenant(ROLLS).stack(name).deploy(v2), ROLLS, name, 3, 2, 2);
    assertThat(inspect("service", service, "{{.Version.Index}}")).isEqualTo(version);
    assertThat(tasks(service)).isEqualTo(tasks);
    assertThat(orchestrator.stack(name).jobs()).hasSize(1);

    // a parallelism of 1 fits (2 + 1) and rolls
    Tenancy.deployed(orchestrator, ROLLS, Tenancy.webStartFirst(v2, 1));
    assertThat(inspect("service", service, "{{json .Spec.TaskTemplate.ContainerSpec.Env}}"))
        .contains("VERSION=2");
    assertThat(running(service)).hasSize(2).doesNotContainAnyElementsOf(tasks);
    TenantUsage usage = orchestrator.tenant(ROLLS).usage();
    assertThat(usage.used().get(QuotaResource.REPLICAS)).isEqualTo(2);
    assertThat(usage.reserved().isZero()).isTrue();
  }

  /** The ids of every task of the service, past ones included, in the engine's order. */
  private static List<String> tasks(String service) {
    return Shell.docker("service", "ps", "-q", "--no-trunc", service).out().lines().toList();
  }

  private static List<String> running(String service) {
    return Shell.docker(
            "service", "ps", "-q", "--no-trunc", "--filter", "desired-state=running", service)
        .out()
        .lines()
        .toList();
  }

  @Test
  @DisplayName(
      "a deploy that fails on Swarm (its tasks exit at once) releases its reservation: the"
          + " tenant's use is what it was, and a deploy of the whole rest of the quota is admitted")
  void failedDeployReleases() {
    TenantUsage before = orchestrator.tenant(FAILS).usage();
    assertThat(before.used().get(QuotaResource.REPLICAS)).isEqualTo(1);
    assertThat(before.stacks()).containsExactly(base.name());

    // the rest of the quota, 2 replicas, whose containers exit at once and are not restarted;
    // their healthcheck keeps them from counting as ready in the moment they run (without one, a
    // task seen running before it exits counts: the deploy once succeeded)
    String broken = stack("broken");
    StackSpec exits =
        StackSpec.builder(broken)
            .service(
                web(2)
                    .entrypoint(List.of("/bin/sh", "-c", "exit 3"))
                    .healthcheck(
                        HealthcheckSpec.cmd("/server", "--probe")
                            .withTimings(Duration.ofMillis(500), Duration.ofSeconds(2), null, 3))
                    .restartPolicy(RestartPolicy.of(RestartPolicy.Condition.NONE)))
            .build();
    DeploymentResult failed =
        orchestrator
            .tenant(FAILS)
            .stack(broken)
            .deploy(exits, DeployOptions.waitingUpTo(Duration.ofSeconds(30)))
            .await(Duration.ofMinutes(1));
    assertThat(failed.succeeded()).as(failed.message()).isFalse();
    assertThat(failed.message()).contains("non-zero exit (3)");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              TenantUsage after = orchestrator.tenant(FAILS).usage();
              assertThat(after.used()).isEqualTo(before.used());
              assertThat(after.reserved()).isEqualTo(before.reserved());
            });

    String rest = stack("rest");
    Tenancy.deployed(orchestrator, FAILS, StackSpec.builder(rest).service(web(2)).build());
    assertThat(orchestrator.tenant(FAILS).usage().used().get(QuotaResource.REPLICAS)).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "another tenant's stack attaching to the tenant's network, or using its secret, is refused"
          + " before anything is written")
  void isolation() {
    String owner = owned.name();
    String secret = owned("secret", owner).get(0);

    String attaches = stack("net");
    StackSpec onTheirNetwork =
        StackSpec.builder(attaches)
            .service(web(1).network("theirs"))
            .network(NetworkSpec.external("theirs", owner + "_back"))
            .build();
    refusedAsGlobex(onTheirNetwork, "networks.theirs", owner + "_back");

    String reads = stack("sec");
    StackSpec withTheirSecret =
        StackSpec.builder(reads)
            .service(web(1).secret("theirs"))
            .secret(SecretSpec.external("theirs", secret))
            .build();
    refusedAsGlobex(withTheirSecret, "secrets.theirs", secret);

    for (String refused : List.of(attaches, reads)) {
      assertThat(owned(refused)).as("Swarm objects of refused %s", refused).isEmpty();
      assertThat(orchestrator.store().jobs().list(JobQuery.ofStack(refused, 10))).isEmpty();
      assertThat(orchestrator.store().desiredStates().current(refused)).isEmpty();
      assertThat(orchestrator.store().quotas().owner(refused)).isEmpty();
    }
    assertThat(orchestrator.tenant(GLOBEX).usage().stacks()).isEmpty();
  }

  /** Asserts that tenant globex's deploy of {@code spec} is refused at {@code path}: acme's. */
  private static void refusedAsGlobex(StackSpec spec, String path, String acmes) {
    assertThatThrownBy(() -> orchestrator.tenant(GLOBEX).stack(spec.name()).deploy(spec))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p -> {
                          assertThat(p.path()).isEqualTo(path);
                          assertThat(p.message())
                              .contains(acmes + " belongs to another tenant's stack");
                        }));
  }
}
