package io.stackwright.swarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.ResourceKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swarm writes services in depends_on order, whatever order the stack declares them in. */
class DependencyOrderTest {
  @Test
  void dependenciesComeBeforeTheirDependants() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(
                ServiceSpec.builder("web", "img")
                    .dependsOn("api", DependsOn.healthy())
                    .dependsOn("cache", DependsOn.started()))
            .service(ServiceSpec.builder("api", "img").dependsOn("db", DependsOn.healthy()))
            .service(ServiceSpec.builder("cache", "img"))
            .service(ServiceSpec.builder("db", "img"))
            .build();
    List<Change> plan =
        List.of(
            new Change.Create(ResourceKind.SERVICE, "web"),
            new Change.Update(ResourceKind.SERVICE, "api", List.of(), 3),
            new Change.Create(ResourceKind.SERVICE, "cache"),
            new Change.Create(ResourceKind.SERVICE, "db"));

    assertThat(DependencyGate.order(stack, plan).stream().map(Change::key))
        .containsExactly("db", "api", "cache", "web");
  }

  @Test
  void aDependencyTheStackAlreadyRunsIsNotReordered() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("web", "img").dependsOn("db", DependsOn.healthy()))
            .service(ServiceSpec.builder("db", "img"))
            .build();
    assertThat(
            DependencyGate.order(stack, List.of(new Change.Create(ResourceKind.SERVICE, "web")))
                .stream()
                .map(Change::key))
        .containsExactly("web");
  }
}
