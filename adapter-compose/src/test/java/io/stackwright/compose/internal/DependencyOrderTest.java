package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.DependsOn;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyOrderTest {

  private static ServiceSpec.Builder s(String name) {
    return ServiceSpec.builder(name, "img");
  }

  @Test
  void leavesComeFirstAndIndependentServicesShareALevel() {
    StackSpec stack =
        StackSpec.builder("p")
            .service(s("web").dependsOn("api", DependsOn.started()).build())
            .service(
                s("api")
                    .dependsOn("db", DependsOn.healthy())
                    .dependsOn("cache", DependsOn.started())
                    .build())
            .service(s("db").build())
            .service(s("cache").build())
            .service(s("worker").dependsOn("db", DependsOn.healthy()).build())
            .build();
    assertThat(DependencyOrder.levels(stack))
        .containsExactly(List.of("db", "cache"), List.of("api", "worker"), List.of("web"));
    assertThat(DependencyOrder.order(stack)).containsExactly("db", "cache", "api", "worker", "web");
  }

  @Test
  void withoutDependenciesTheDeclarationOrderIsKept() {
    StackSpec stack =
        StackSpec.builder("p").service(s("b").build()).service(s("a").build()).build();
    assertThat(DependencyOrder.levels(stack)).containsExactly(List.of("b", "a"));
  }

  @Test
  void restartDependentsAndOneShots() {
    StackSpec stack =
        StackSpec.builder("p")
            .service(s("db").build())
            .service(s("migrate").build())
            .service(s("batch").mode(ServiceSpec.Mode.REPLICATED_JOB).build())
            .service(
                s("web")
                    .dependsOn("db", new DependsOn(DependsOn.Condition.SERVICE_HEALTHY, true, true))
                    .dependsOn(
                        "migrate",
                        new DependsOn(
                            DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY, true, false))
                    .build())
            .build();
    assertThat(DependencyOrder.restartDependents(stack, "db")).containsExactly("web");
    assertThat(DependencyOrder.restartDependents(stack, "migrate")).isEmpty();
    assertThat(DependencyOrder.isOneShot(stack, stack.service("migrate"))).isTrue();
    assertThat(DependencyOrder.isOneShot(stack, stack.service("batch"))).isTrue();
    assertThat(DependencyOrder.isOneShot(stack, stack.service("db"))).isFalse();
  }
}
