package io.stackwright.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackwright.api.health.HealthPolicy;
import io.stackwright.api.health.ProbeCheck;
import io.stackwright.api.health.ProbeSpec;
import io.stackwright.api.health.ProbeTier;
import io.stackwright.api.health.RecoveryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthPolicyModelTest {

  @Test
  void probeDefaultsAreKubernetesDefaults() {
    ProbeSpec probe = ProbeSpec.http(8080, "/health").build();
    assertThat(probe.period()).isEqualTo(Duration.ofSeconds(10));
    assertThat(probe.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(probe.initialDelay()).isZero();
    assertThat(probe.failureThreshold()).isEqualTo(3);
    assertThat(probe.successThreshold()).isEqualTo(1);
    ProbeCheck.Http http = (ProbeCheck.Http) probe.check();
    assertThat(http.minStatus()).isEqualTo(200);
    assertThat(http.maxStatus()).isEqualTo(399);
    assertThat(http.method()).isEqualTo("GET");
  }

  @Test
  void policyKeepsProbesByTier() {
    HealthPolicy policy =
        HealthPolicy.builder()
            .startup(ProbeSpec.tcp(8080).failureThreshold(30))
            .liveness(ProbeSpec.exec("/server", "--probe"))
            .readiness(ProbeSpec.engine())
            .build();
    assertThat(policy.probe(ProbeTier.STARTUP).orElseThrow().check())
        .isEqualTo(new ProbeCheck.Tcp(8080));
    assertThat(policy.probe(ProbeTier.READINESS).orElseThrow().check().kind())
        .isEqualTo(ProbeCheck.Kind.ENGINE);
    assertThat(policy.isNone()).isFalse();
    assertThat(HealthPolicy.NONE.isNone()).isTrue();
    assertThat(policy.recovery()).isEqualTo(RecoveryPolicy.DEFAULT);
  }

  @Test
  void invalidSettingsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> ProbeSpec.http(0, "/").build()).hasMessageContaining("port");
    assertThatThrownBy(() -> ProbeSpec.http(80, "health").build())
        .hasMessageContaining("start with /");
    assertThatThrownBy(() -> ProbeSpec.http(80, "/").expectStatus(500, 200).build())
        .hasMessageContaining("status range");
    assertThatThrownBy(() -> ProbeSpec.http(80, "/").bodyMatches("(").build())
        .hasMessageContaining("regular expression");
    assertThatThrownBy(() -> ProbeSpec.tcp(80).failureThreshold(0).build())
        .hasMessageContaining("failure threshold");
    assertThatThrownBy(
            () -> HealthPolicy.builder().liveness(ProbeSpec.tcp(80).successThreshold(2)).build())
        .hasMessageContaining("liveness probe's success threshold must be 1");
    assertThatThrownBy(
            () ->
                RecoveryPolicy.builder()
                    .backoff(Duration.ofSeconds(5), Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("below the initial backoff");
    assertThatThrownBy(() -> ProbeSpec.exec().build()).hasMessageContaining("needs a command");
  }
}
