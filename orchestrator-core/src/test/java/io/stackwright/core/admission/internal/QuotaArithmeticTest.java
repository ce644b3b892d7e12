package io.stackwright.core.admission.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ResourceLimits;
import io.stackwright.api.Resources;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.UpdatePolicy;
import io.stackwright.api.VolumeSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.Plan;
import io.stackwright.api.plan.ResourceKind;
import io.stackwright.api.rollout.CanaryPolicy;
import io.stackwright.api.rollout.CanaryStep;
import io.stackwright.api.rollout.RolloutPolicy;
import io.stackwright.api.store.QuotaClaim;
import io.stackwright.api.tenancy.QuotaResource;
import io.stackwright.api.tenancy.ResourceAmounts;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.store.internal.QuotaLedger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuotaArithmeticTest {
  static final long HALF_CPU = 500_000_000L;
  static final long MIB64 = 64L << 20;

  static ServiceSpec.Builder web(int replicas) {
    return ServiceSpec.builder("web", "stackwright/workload:test")
        .replicas(replicas)
        .resources(
            new Resources(ResourceLimits.of(0.5, MIB64), ResourceLimits.of(0.25, MIB64 / 2)));
  }

  static StackSpec stack(ServiceSpec.Builder web) {
    return StackSpec.builder("shop")
        .service(web)
        .service(ServiceSpec.builder("db", "stackwright/workload:test").replicas(1))
        .volume(VolumeSpec.of("data"))
        .build();
  }

  static Plan updating(String service) {
    return new Plan(
        "shop", List.of(new Change.Update(ResourceKind.SERVICE, service, List.of(), 0)));
  }

  @Test
  @DisplayName("steady use: replicas times per-replica limits and reservations, services, volumes")
  void steady() {
    ResourceAmounts use = QuotaArithmetic.steady(stack(web(3)));
    assertThat(use.get(QuotaResource.REPLICAS)).isEqualTo(4);
    assertThat(use.get(QuotaResource.CPU_LIMITS)).isEqualTo(3 * HALF_CPU);
    assertThat(use.get(QuotaResource.CPU_RESERVATIONS)).isEqualTo(3 * HALF_CPU / 2);
    assertThat(use.get(QuotaResource.MEMORY_LIMITS)).isEqualTo(3 * MIB64);
    assertThat(use.get(QuotaResource.MEMORY_RESERVATIONS)).isEqualTo(3 * MIB64 / 2);
    assertThat(use.get(QuotaResource.SERVICES)).isEqualTo(2);
    assertThat(use.get(QuotaResource.VOLUMES)).isEqualTo(1);
    assertThat(use.get(QuotaResource.STACKS)).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "a global service counts a replica per node it may run on, as the platform says, and rolls"
          + " start-first over all of them")
  void globalServices() {
    StackSpec agents =
        StackSpec.builder("shop")
            .service(
                web(1)
                    .mode(ServiceSpec.Mode.GLOBAL)
                    .placement(
                        new io.stackwright.api.Placement(
                            List.of("node.role==worker"), List.of(), null))
                    .updatePolicy(startFirst(0)))
            .build();
    java.util.function.ToIntFunction<ServiceSpec> fiveWorkers =
        s -> s.placement().constraints().contains("node.role==worker") ? 5 : 7;

    ResourceAmounts use = QuotaArithmetic.steady(agents, fiveWorkers);
    assertThat(use.get(QuotaResource.REPLICAS)).isEqualTo(5);
    assertThat(use.get(QuotaResource.CPU_LIMITS)).isEqualTo(5 * HALF_CPU);
    assertThat(QuotaArithmetic.steady(agents).get(QuotaResource.REPLICAS))
        .as("one node")
        .isEqualTo(1);
    QuotaClaim claim =
        QuotaArithmetic.claim("acme", agents, updating("web"), Optional.of(agents), fiveWorkers);
    assertThat(claim.peak().get(QuotaResource.REPLICAS)).as("5 old + 5 new").isEqualTo(10);
  }

  @Test
  @DisplayName("a first deploy peaks at its steady use: nothing is replaced")
  void firstDeploy() {
    StackSpec next = stack(web(3).updatePolicy(startFirst(2)));
    Plan creates = new Plan("shop", List.of(new Change.Create(ResourceKind.SERVICE, "web")));
    QuotaClaim claim = QuotaArithmetic.claim("acme", next, creates, Optional.empty());
    assertThat(claim.peak()).isEqualTo(claim.steady());
  }

  static UpdatePolicy startFirst(int parallelism) {
    return new UpdatePolicy(
        parallelism,
        Duration.ZERO,
        UpdatePolicy.FailureAction.ROLLBACK,
        Duration.ZERO,
        0,
        UpdatePolicy.Order.START_FIRST);
  }

  @Test
  @DisplayName("start-first rolling surges by its parallelism; stop-first does not surge")
  void rollingSurge() {
    StackSpec old = stack(web(4));
    QuotaClaim startFirst =
        QuotaArithmetic.claim(
            "acme", stack(web(4).updatePolicy(startFirst(2))), updating("web"), Optional.of(old));
    assertThat(startFirst.steady().get(QuotaResource.REPLICAS)).isEqualTo(5);
    assertThat(startFirst.peak().get(QuotaResource.REPLICAS)).isEqualTo(7);
    assertThat(startFirst.peak().get(QuotaResource.CPU_LIMITS)).isEqualTo(6 * HALF_CPU);
    QuotaClaim allAtOnce =
        QuotaArithmetic.claim(
            "acme", stack(web(4).updatePolicy(startFirst(0))), updating("web"), Optional.of(old));
    assertThat(allAtOnce.peak().get(QuotaResource.REPLICAS)).isEqualTo(9);
    QuotaClaim stopFirst =
        QuotaArithmetic.claim("acme", stack(web(4)), updating("web"), Optional.of(old));
    assertThat(stopFirst.peak()).isEqualTo(stopFirst.steady());
  }

  @Test
  @DisplayName("scaling down while rolling: the old count is still running when the surge starts")
  void scaleDownWhileRolling() {
    QuotaClaim claim =
        QuotaArithmetic.claim(
            "acme",
            stack(web(2).updatePolicy(startFirst(1))),
            updating("web"),
            Optional.of(stack(web(6))));
    assertThat(claim.steady().get(QuotaResource.REPLICAS)).isEqualTo(3);
    assertThat(claim.peak().get(QuotaResource.REPLICAS)).isEqualTo(6 + 1 + 1);
  }

  @Test
  @DisplayName("blue-green runs a whole copy beside the old; canary its largest step")
  void sideBySide() {
    StackSpec old = stack(web(3));
    QuotaClaim blueGreen =
        QuotaArithmetic.claim(
            "acme",
            stack(web(3).rollout(RolloutPolicy.builder(RolloutPolicy.Strategy.BLUE_GREEN).build())),
            updating("web"),
            Optional.of(old));
    assertThat(blueGreen.peak().get(QuotaResource.REPLICAS)).isEqualTo(4 + 3);
    assertThat(blueGreen.peak().get(QuotaResource.MEMORY_LIMITS)).isEqualTo(6 * MIB64);
    QuotaClaim canary =
        QuotaArithmetic.claim(
            "acme",
            stack(
                web(3)
                    .rollout(
                        RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
                            .canary(
                                CanaryPolicy.builder()
                                    .step(CanaryStep.replicas(1, Duration.ofSeconds(5)))
                                    .step(CanaryStep.replicas(2, Duration.ofSeconds(5)))
                                    .build())
                            .build())),
            updating("web"),
            Optional.of(old));
    assertThat(canary.peak().get(QuotaResource.REPLICAS)).isEqualTo(4 + 2);
    QuotaClaim weighted =
        QuotaArithmetic.claim(
            "acme",
            stack(
                web(3)
                    .rollout(
                        RolloutPolicy.builder(RolloutPolicy.Strategy.CANARY)
                            .canary(
                                CanaryPolicy.builder()
                                    .step(CanaryStep.weight(10, Duration.ofSeconds(5)))
                                    .build())
                            .build())),
            updating("web"),
            Optional.of(old));
    assertThat(weighted.peak().get(QuotaResource.REPLICAS)).isEqualTo(4 + 3);
  }

  @Test
  @DisplayName(
      "the store's check: a stack is charged the larger of its use and its peak, tenants sum their"
          + " stacks")
  void ledger() {
    TenantQuota quota = TenantQuota.builder().replicas(10).build();
    Map<String, ResourceAmounts> steady =
        Map.of(
            "shop", new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 5L)),
            "blog", new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 3L)));
    // shop rolls 5 -> 5 with a surge of 2: 3 + 7 = 10 fits
    QuotaLedger.check(
        "shop",
        new QuotaClaim(
            "acme",
            new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 5L)),
            new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 7L))),
        quota,
        steady,
        List.of());
    // a surge of 3 does not: used 8 (3 + 5), requested 3 more, quota 10
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                QuotaLedger.check(
                    "shop",
                    new QuotaClaim(
                        "acme",
                        new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 5L)),
                        new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 8L))),
                    quota,
                    steady,
                    List.of()))
        .isInstanceOfSatisfying(
            io.stackwright.api.tenancy.QuotaExceededException.class,
            e -> {
              assertThat(e.used()).isEqualTo(8);
              assertThat(e.requested()).isEqualTo(3);
              assertThat(e.quota()).isEqualTo(10);
            })
        .hasMessage(
            "quota exceeded: tenant acme, replicas: quota 10, in use 8, requested 3 by stack shop"
                + " (1 too many); free some or raise the tenant's quota");
    // another live job's reservation of blog counts: blog is charged max(3, 4)
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                QuotaLedger.check(
                    "shop",
                    new QuotaClaim(
                        "acme",
                        new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 5L)),
                        new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 7L))),
                    quota,
                    steady,
                    List.of(
                        new QuotaLedger.Reservation(
                            9, "blog", new ResourceAmounts(Map.of(QuotaResource.REPLICAS, 4L))))))
        .hasMessageContaining("in use 9, requested 2");
  }
}
