package io.stackwright.it.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.Deployment;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.tenancy.PolicyLevel;
import io.stackwright.api.tenancy.PolicyMode;
import io.stackwright.api.tenancy.QuotaExceededException;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.Tenant;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.core.Orchestrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tenancy tests share (both JVMs of {@link TenantQuotaIT}, and {@link SwarmTenancyIT}):
 * the tenants, the stacks, the PostgreSQL schema of a test, the orchestrator.
 */
final class Tenancy {
  private Tenancy() {}

  static final String IMAGE = "stackwright/workload:test";

  static final String POSTGRES_URL =
      System.getProperty(
          "stackwright.test.postgres.url",
          System.getenv()
              .getOrDefault(
                  "STACKWRIGHT_TEST_POSTGRES_URL",
                  "jdbc:postgresql://127.0.0.1:55432/stackwright"));
  static final String USER = "stackwright";
  static final String PASSWORD = "stackwright";

  /** The tenant of the quota tests: 4 replicas in all. */
  static Tenant quotaTenant() {
    return Tenant.builder("swt-acme")
        .policy(PolicyLevel.BASELINE, PolicyMode.ENFORCE)
        .quota(TenantQuota.builder().replicas(4).build())
        .host("*.acme.example")
        .hostPorts(new io.stackwright.api.tenancy.PortRange(1024, 65535))
        .build();
  }

  /** A tenant of its own for one test, with a quota of {@code replicas} replicas. */
  static Tenant replicasTenant(String name, long replicas) {
    return Tenant.builder(name)
        .policy(PolicyLevel.BASELINE, PolicyMode.ENFORCE)
        .quota(TenantQuota.builder().replicas(replicas).build())
        .build();
  }

  static Tenant otherTenant() {
    return Tenant.builder("swt-globex")
        .policy(PolicyLevel.BASELINE, PolicyMode.ENFORCE)
        .host("*.globex.example")
        .build();
  }

  static StackSpec oneReplica(String stack) {
    return StackSpec.builder(stack)
        .service(ServiceSpec.builder("web", IMAGE).replicas(1).build())
        .build();
  }

  /** A start-first rolling update of {@code parallelism} replicas at a time, no delay, no wait. */
  static UpdatePolicy startFirst(int parallelism) {
    return new UpdatePolicy(
        parallelism,
        Duration.ZERO,
        UpdatePolicy.FailureAction.ROLLBACK,
        Duration.ZERO,
        0,
        UpdatePolicy.Order.START_FIRST);
  }

  /** {@code spec} with its service {@code web} at this {@code VERSION}. */
  static StackSpec webVersion(StackSpec spec, String version) {
    return spec.toBuilder()
        .service(spec.service("web").toBuilder().env("VERSION", version).build())
        .build();
  }

  /** {@code spec} with its service {@code web} updated start-first, this many at a time. */
  static StackSpec webStartFirst(StackSpec spec, int parallelism) {
    return spec.toBuilder()
        .service(spec.service("web").toBuilder().updatePolicy(startFirst(parallelism)).build())
        .build();
  }

  /**
   * Asserts that {@code deploy} is refused up front by {@code tenant}'s replica quota, the typed
   * error naming tenant, stack, resource, quota, use and request.
   */
  static void assertRefusedForReplicas(
      ThrowingCallable deploy, String tenant, String stack, long quota, long used, long requested) {
    assertThatThrownBy(deploy)
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> {
              assertThat(e.tenant()).isEqualTo(tenant);
              assertThat(e.stack()).isEqualTo(stack);
              assertThat(e.resource()).isEqualTo(QuotaResource.REPLICAS);
              assertThat(e.quota()).isEqualTo(quota);
              assertThat(e.used()).isEqualTo(used);
              assertThat(e.requested()).isEqualTo(requested);
            })
        .hasMessageContaining(
            "tenant %s, replicas: quota %d, in use %d, requested %d by stack %s",
            tenant, quota, used, requested, stack);
  }

  /** Deploys {@code spec} as {@code tenant}'s and waits for it to succeed. */
  static void deployed(Orchestrator orchestrator, String tenant, StackSpec spec) {
    deployedAtOnce(orchestrator, List.of(Map.entry(tenant, spec)));
  }

  /**
   * Deploys every stack (tenant to spec) at once, each a job of its own stack, so they run side by
   * side; waits for all of them to succeed.
   */
  static void deployedAtOnce(Orchestrator orchestrator, List<Map.Entry<String, StackSpec>> stacks) {
    List<Deployment> deployments = new ArrayList<>();
    for (Map.Entry<String, StackSpec> stack : stacks) {
      deployments.add(
          orchestrator
              .tenant(stack.getKey())
              .stack(stack.getValue().name())
              .deploy(stack.getValue(), DeployOptions.waitingUpTo(Duration.ofMinutes(2))));
    }
    for (Deployment deployment : deployments) {
      DeploymentResult result = deployment.await(Duration.ofMinutes(3));
      assertThat(result.succeeded()).as(result.message()).isTrue();
    }
  }

  /**
   * Creates the PostgreSQL schema {@code schema} and returns the URL of the store in it; the test
   * is skipped when no PostgreSQL answers, except on CI (there it fails).
   */
  static String createSchema(String schema) {
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      String message =
          "no PostgreSQL answers at "
              + POSTGRES_URL
              + " ("
              + e.getMessage()
              + "); start one with `bash scripts/dev-postgres.sh`";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message, e);
      }
      Assumptions.abort(message);
    }
    return POSTGRES_URL + "?currentSchema=" + schema;
  }

  /** Drops what {@link #createSchema} made, if it did. */
  static void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      // the test was skipped before the schema existed
    }
  }

  /** The orchestrator of the single-engine tests (both JVMs of {@link TenantQuotaIT}). */
  static Orchestrator orchestrator(String url, String user, String password) {
    return orchestrator("compose", url, user, password);
  }

  /** The orchestrator of the tests on {@code platform}: the quota tenant, the other and more. */
  static Orchestrator orchestrator(
      String platform, String url, String user, String password, Tenant... more) {
    Orchestrator.Builder builder =
        Orchestrator.builder()
            .platform(platform)
            .postgres(url, user, password)
            .tenant(quotaTenant())
            .tenant(otherTenant())
            .jobLease(Duration.ofSeconds(10));
    for (Tenant tenant : more) {
      builder.tenant(tenant);
    }
    return builder.build();
  }
}
