package io.stackwright.core.admission.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.NetworkSpec;
import io.stackwright.api.ResourceLimits;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.spi.AdmissionCheck;
import io.stackwright.api.tenancy.AdmissionRequest;
import io.stackwright.api.tenancy.LimitRange;
import io.stackwright.api.tenancy.PolicyLevel;
import io.stackwright.api.tenancy.PolicyMode;
import io.stackwright.api.tenancy.Tenant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void stop() {
    never.countDown();
    executor.shutdownNow();
  }

  static StackSpec plain() {
    return StackSpec.builder("shop")
        .service(ServiceSpec.builder("web", "stackwright/workload:test"))
        .build();
  }

  Admission admission(AdmissionCheck... checks) {
    return new Admission(
        List.of(checks), Duration.ofMillis(300), executor, stack -> Optional.empty());
  }

  static AdmissionCheck check(
      String name, java.util.function.Function<AdmissionRequest, List<SpecProblem>> f) {
    return new AdmissionCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<SpecProblem> check(AdmissionRequest request) {
        return f.apply(request);
      }
    };
  }

  @Test
  @DisplayName("a host check's problems join the policy's, all in one result")
  void together() {
    Tenant tenant = Tenant.builder("acme").policy(PolicyLevel.BASELINE, PolicyMode.ENFORCE).build();
    StackSpec stack =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("web", "stackwright/workload:test").capAdd("SYS_ADMIN"))
            .build();
    Admission.Result result =
        admission(
                check(
                    "registry",
                    r -> List.of(SpecProblem.at("services.web.image", "not from our registry"))))
            .admit(stack, tenant);
    assertThat(result.problems())
        .extracting(SpecProblem::path)
        .containsExactly("services.web.cap_add[0]", "services.web.image");
  }

  @Test
  @DisplayName("a check that throws refuses, and says so (fail closed)")
  void throwsDenies() {
    Admission.Result result =
        admission(
                check(
                    "flaky",
                    r -> {
                      throw new IllegalStateException("backend down");
                    }))
            .admit(plain(), null);
    assertThat(result.problems())
        .singleElement()
        .extracting(SpecProblem::message)
        .isEqualTo(
            "admission check flaky failed (IllegalStateException: backend down); refused"
                + " (admission fails closed)");
  }

  @Test
  @DisplayName("a check that does not answer in time refuses (fail closed)")
  void timeoutDenies() {
    Admission.Result result =
        admission(
                check(
                    "slow",
                    r -> {
                      try {
                        never.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return List.of();
                    }))
            .admit(plain(), null);
    assertThat(result.problems())
        .singleElement()
        .extracting(SpecProblem::message)
        .isEqualTo(
            "admission check slow did not answer within 300 ms; refused (admission fails closed)");
  }

  @Test
  @DisplayName("warn and audit modes admit, keeping the violations apart")
  void modes() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("web", "stackwright/workload:test").capAdd("SYS_ADMIN"))
            .build();
    Admission.Result warn =
        admission()
            .admit(
                stack, Tenant.builder("a").policy(PolicyLevel.BASELINE, PolicyMode.WARN).build());
    assertThat(warn.problems()).isEmpty();
    assertThat(warn.warnings()).hasSize(1);
    Admission.Result audit =
        admission()
            .admit(
                stack, Tenant.builder("a").policy(PolicyLevel.BASELINE, PolicyMode.AUDIT).build());
    assertThat(audit.problems()).isEmpty();
    assertThat(audit.audits()).hasSize(1);
  }

  @Test
  @DisplayName(
      "defaults fill missing limits (so restricted's limit rule passes), bounds refuse, and every"
          + " resource carries the tenant label")
  void defaultsAndLabels() {
    Tenant tenant =
        Tenant.builder("acme")
            .policy(PolicyLevel.PRIVILEGED, PolicyMode.ENFORCE)
            .limits(
                new LimitRange(
                    ResourceLimits.of(0.5, 128L << 20),
                    ResourceLimits.of(0.1, 32L << 20),
                    ResourceLimits.of(0.1, 16L << 20),
                    ResourceLimits.of(1, 512L << 20)))
            .build();
    Admission.Result result = admission().admit(plain(), tenant);
    ServiceSpec web = result.stack().services().get("web");
    assertThat(web.resources().limits()).isEqualTo(ResourceLimits.of(0.5, 128L << 20));
    assertThat(web.resources().reservations()).isEqualTo(ResourceLimits.of(0.1, 32L << 20));
    assertThat(web.labels()).containsEntry(Admission.TENANT_LABEL, "acme");
    assertThat(web.deployLabels()).containsEntry(Admission.TENANT_LABEL, "acme");
    assertThat(result.problems()).isEmpty();
    StackSpec big =
        StackSpec.builder("shop")
            .service(
                ServiceSpec.builder("web", "stackwright/workload:test")
                    .resources(
                        new io.stackwright.api.Resources(
                            ResourceLimits.of(2, 8L << 20), ResourceLimits.NONE)))
            .build();
    assertThat(admission().admit(big, tenant).problems())
        .extracting(SpecProblem::message)
        .containsExactly(
            "CPU limit 2 cpu is above tenant acme's maximum of 1 cpu",
            "memory limit 8 MiB is below tenant acme's minimum of 16 MiB");
  }

  @Test
  @DisplayName(
      "the implicit default network a tenant's service joins is declared with the tenant label"
          + " (the platform would make it from no spec, unlabelled); one declared keeps its own"
          + " settings; a stack whose services all name other networks gets none")
  void defaultNetworkLabelled() {
    Tenant tenant =
        Tenant.builder("acme").policy(PolicyLevel.PRIVILEGED, PolicyMode.ENFORCE).build();
    NetworkSpec implicit = admission().admit(plain(), tenant).stack().networks().get("default");
    assertThat(implicit).isNotNull();
    assertThat(implicit.external()).isFalse();
    assertThat(implicit.name()).isNull();
    assertThat(implicit.driver()).isNull();
    assertThat(implicit.labels()).containsExactly(Map.entry(Admission.TENANT_LABEL, "acme"));

    StackSpec declared =
        plain().toBuilder()
            .network(
                new NetworkSpec(
                    "default",
                    null,
                    null,
                    Map.of(),
                    true,
                    false,
                    false,
                    List.of(),
                    Map.of("team", "shop")))
            .build();
    NetworkSpec own = admission().admit(declared, tenant).stack().networks().get("default");
    assertThat(own.attachable()).isTrue();
    assertThat(own.labels())
        .containsOnly(Map.entry("team", "shop"), Map.entry(Admission.TENANT_LABEL, "acme"));

    StackSpec elsewhere =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("web", "stackwright/workload:test").network("back"))
            .network(NetworkSpec.of("back"))
            .build();
    assertThat(admission().admit(elsewhere, tenant).stack().networks()).containsOnlyKeys("back");
    assertThat(admission().admit(plain(), null).stack().networks()).isEmpty();
  }
}
