package io.stackwright.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.DeployOptions;
import io.stackwright.api.DeploymentResult;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.event.EventType;
import io.stackwright.api.event.OrchestratorEvent;
import io.stackwright.api.spi.AdmissionCheck;
import io.stackwright.api.tenancy.AdmissionRequest;
import io.stackwright.api.tenancy.LimitRange;
import io.stackwright.api.tenancy.PolicyLevel;
import io.stackwright.api.tenancy.PolicyMode;
import io.stackwright.api.tenancy.QuotaExceededException;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.Tenant;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.testing.InMemoryPlatform;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tenancy through the orchestrator: admission, quota reservation and release, labels, events. */
class OrchestratorTenancyTest {
  private final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
  private final InMemoryPlatform platform = InMemoryPlatform.create();

  static final Tenant ACME =
      Tenant.builder("acme")
          .policy(PolicyLevel.BASELINE, PolicyMode.ENFORCE)
          .quota(TenantQuota.builder().replicas(4).cpuLimits(1).build())
          .limits(
              new LimitRange(ResourceLimits.of(0.25, 64L << 20), ResourceLimits.NONE, null, null))
          .build();

  private Orchestrator orchestrator(AdmissionCheck... checks) {
    Orchestrator.Builder b =
        Orchestrator.builder()
            .platform(platform)
            .inMemoryStore()
            .tenant(ACME)
            .listener(events::add);
    for (AdmissionCheck c : checks) {
      b.admissionCheck(c);
    }
    return b.build();
  }

  static StackSpec stack(String name, int replicas) {
    return StackSpec.builder(name)
        .service(ServiceSpec.builder("web", "stackwright/workload:test").replicas(replicas))
        .build();
  }

  @Test
  @DisplayName(
      "defaults fill the limits that count against the CPU quota; past it a deploy is refused and"
          + " nothing is written")
  void quota() {
    try (Orchestrator o = orchestrator()) {
      DeploymentResult first =
          o.tenant("acme").stack("shop").deploy(stack("shop", 3)).await(Duration.ofSeconds(10));
      assertThat(first.succeeded()).isTrue();
      StackSpec applied = platform.applied("shop").orElseThrow();
      assertThat(applied.service("web").labels()).containsEntry("io.stackwright.tenant", "acme");
      assertThat(applied.service("web").resources().limits().nanoCpus()).isEqualTo(250_000_000L);
      assertThat(o.tenant("acme").usage().used().get(QuotaResource.CPU_LIMITS))
          .isEqualTo(750_000_000L);

      assertThatThrownBy(() -> o.tenant("acme").stack("blog").deploy(stack("blog", 2)))
          .isInstanceOf(QuotaExceededException.class)
          .hasMessageContaining("tenant acme")
          .hasMessageContaining("cpu-limits: quota 1 cpu, in use 0.75 cpu, requested 0.5 cpu");
      assertThat(platform.applied("blog")).isEmpty();
      assertThat(o.stack("blog").jobs()).isEmpty();
      assertThat(o.stack("blog").desired()).isEmpty();
      assertThat(events).extracting(OrchestratorEvent::type).contains(EventType.QUOTA_EXCEEDED);
    }
  }

  @Test
  @DisplayName("a stack of a tenant deployed without naming it is still admitted as the tenant's")
  void ownerApplies() {
    try (Orchestrator o = orchestrator()) {
      o.tenant("acme").stack("shop").deploy(stack("shop", 1)).await(Duration.ofSeconds(10));
      assertThatThrownBy(() -> o.deploy(stack("shop", 9)))
          .isInstanceOf(QuotaExceededException.class);
      assertThatThrownBy(
              () ->
                  o.deploy(
                      StackSpec.builder("shop")
                          .service(
                              ServiceSpec.builder("web", "stackwright/workload:test")
                                  .capAdd("SYS_ADMIN"))
                          .build()))
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("baseline/capabilities");
    }
  }

  @Test
  @DisplayName("policy and host-check problems come in one InvalidSpecException, before any write")
  void onePass() {
    AdmissionCheck registry =
        new AdmissionCheck() {
          @Override
          public String name() {
            return "registry";
          }

          @Override
          public List<SpecProblem> check(AdmissionRequest request) {
            return List.of(SpecProblem.at("services.web.image", "not from registry.acme"));
          }
        };
    try (Orchestrator o = orchestrator(registry)) {
      StackSpec bad =
          StackSpec.builder("shop")
              .service(ServiceSpec.builder("web", "stackwright/workload:test").capAdd("SYS_ADMIN"))
              .build();
      assertThatThrownBy(() -> o.tenant("acme").stack("shop").deploy(bad))
          .isInstanceOfSatisfying(
              InvalidSpecException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(SpecProblem::path)
                      .containsExactly("services.web.cap_add[0]", "services.web.image"));
      assertThat(platform.applied("shop")).isEmpty();
      assertThat(o.stack("shop").jobs()).isEmpty();
      assertThat(events).extracting(OrchestratorEvent::type).contains(EventType.ADMISSION_DENIED);
    }
  }

  @Test
  @DisplayName("scaling a tenant's stack counts against its quota")
  void scale() {
    try (Orchestrator o = orchestrator()) {
      o.tenant("acme").stack("shop").deploy(stack("shop", 2)).await(Duration.ofSeconds(10));
      assertThatThrownBy(() -> o.stack("shop").scale("web", 5))
          .isInstanceOf(QuotaExceededException.class)
          .hasMessageContaining("cpu-limits: quota 1 cpu, in use 0.5 cpu, requested 0.75 cpu");
      o.stack("shop").scale("web", 4).await(Duration.ofSeconds(10));
      assertThat(o.tenant("acme").usage().used().get(QuotaResource.REPLICAS)).isEqualTo(4);
    }
  }

  @Test
  @DisplayName("an unknown tenant is an error naming the configured ones")
  void unknownTenant() {
    try (Orchestrator o = orchestrator()) {
      assertThatThrownBy(() -> o.tenant("globex"))
          .hasMessageContaining("tenant globex is not configured")
          .hasMessageContaining("[acme]");
    }
  }

  @Test
  @DisplayName("reservations are released when the deploy job ends")
  void released() {
    try (Orchestrator o = orchestrator()) {
      o.tenant("acme")
          .stack("shop")
          .deploy(stack("shop", 2), DeployOptions.noWait())
          .await(Duration.ofSeconds(10));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> o.tenant("acme").usage().reserved().isZero());
      assertThat(events)
          .extracting(OrchestratorEvent::type)
          .contains(EventType.QUOTA_RESERVED, EventType.QUOTA_RELEASED);
    }
  }

  @Test
  @DisplayName("usage and quota are gauges per tenant and resource")
  void gauges() {
    io.stackwright.core.metrics.InMemoryMetrics metrics =
        new io.stackwright.core.metrics.InMemoryMetrics();
    try (Orchestrator o =
        Orchestrator.builder()
            .platform(platform)
            .inMemoryStore()
            .tenant(ACME)
            .metrics(metrics)
            .build()) {
      o.tenant("acme").stack("shop").deploy(stack("shop", 2)).await(Duration.ofSeconds(10));
      java.util.Map<String, String> replicas =
          java.util.Map.of("tenant", "acme", "resource", "replicas");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> metrics.gauge("stackwright.quota.used", replicas) == 2.0);
      assertThat(metrics.gauge("stackwright.quota.hard", replicas)).isEqualTo(4.0);
    }
  }
}
