package io.stackwright.it.tenancy;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.tenancy.PolicyLevel;
import io.stackwright.api.tenancy.PolicyMode;
import io.stackwright.api.tenancy.Tenant;
import io.stackwright.api.tenancy.TenantQuota;
import io.stackwright.core.Orchestrator;
import java.time.Duration;

/** What both JVMs of the tenancy tests share: the tenants, the stacks, the orchestrator. */
final class Tenancy {
  private Tenancy() {}

  static final String IMAGE = "stackwright/workload:test";

  /** The tenant of the concurrent test: 4 replicas in all. */
  static Tenant quotaTenant() {
    return Tenant.builder("swt-acme")
        .policy(PolicyLevel.BASELINE, PolicyMode.ENFORCE)
        .quota(TenantQuota.builder().replicas(4).build())
        .host("*.acme.example")
        .hostPorts(new io.stackwright.api.tenancy.PortRange(1024, 65535))
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

  static Orchestrator orchestrator(String url, String user, String password) {
    return Orchestrator.builder()
        .platform("compose")
        .postgres(url, user, password)
        .tenant(quotaTenant())
        .tenant(otherTenant())
        .jobLease(Duration.ofSeconds(10))
        .build();
  }
}
