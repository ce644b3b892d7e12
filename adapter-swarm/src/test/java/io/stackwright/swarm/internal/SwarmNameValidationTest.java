package io.stackwright.swarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import org.junit.jupiter.api.Test;

/** Swarm's service names are DNS name components: refused before anything is written. */
class SwarmNameValidationTest {
  @Test
  void aDottedOrOverlongServiceNameIsRefusedBeforeTheEngineSeesIt() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(ServiceSpec.builder("web.v1", "img"))
            .service(ServiceSpec.builder("a".repeat(60), "img"))
            .service(ServiceSpec.builder("api_2-x", "img"))
            .build();
    assertThat(SwarmValidation.problems(stack, null).stream().map(SpecProblem::toString))
        .containsExactly(
            "services.web.v1: Swarm service name 'shop_web.v1' must be at most 63 letters and"
                + " digits, separated by '-' or '_' (a DNS name component; no '.')",
            "services."
                + "a".repeat(60)
                + ": Swarm service name 'shop_"
                + "a".repeat(60)
                + "' must be at most 63 letters and digits, separated by '-' or '_' (a DNS name"
                + " component; no '.')");
  }
}
