package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.Placement;
import io.stackwright.api.PortSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {

  @Test
  void aPlainStackHasNoProblemAndIgnoredPlacementIsNotOne() {
    StackSpec stack =
        StackSpec.builder("p")
            .service(
                ServiceSpec.builder("web", "img")
                    .replicas(3)
                    .port(PortSpec.of(8080))
                    .placement(
                        new Placement(
                            List.of("node.labels.zone==a", "node.role==manager"), List.of(), null))
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .build())
            .build();
    assertThat(Validation.problems(stack, false, "unix:///var/run/docker.sock")).isEmpty();
  }

  @Test
  void whatOneEngineCannotDoIsAProblem() {
    StackSpec stack =
        StackSpec.builder("p")
            .network(NetworkSpec.of("net"))
            .secret(SecretSpec.external("vault", "vault_key"))
            .service(
                ServiceSpec.builder("web", "img")
                    .replicas(2)
                    .port(PortSpec.host(8080, 80))
                    .secret("vault")
                    .network(new ServiceNetwork("net", List.of(), "10.0.0.5"))
                    .healthcheck(
                        new HealthcheckSpec(
                            List.of("CMD", "true"), null, null, null, Duration.ofSeconds(1), null))
                    .build())
            .service(ServiceSpec.builder("api", "img").port(PortSpec.host(8080, 81)).build())
            .build();
    List<String> problems =
        Validation.problems(stack, true, "tcp://10.1.1.1:2375").stream()
            .map(SpecProblem::toString)
            .toList();
    assertThat(problems)
        .anyMatch(p -> p.startsWith("secrets.vault: external secret 'vault_key' cannot be used"))
        .anyMatch(
            p ->
                p.startsWith(
                    "services.web.ports[0]: host port 8080 can be published by one container only"))
        .anyMatch(
            p ->
                p.startsWith(
                    "services.api.ports[0]: host port 0.0.0.0:8080/tcp is also published by service web"))
        .anyMatch(p -> p.contains("a fixed address needs a network with a configured subnet"))
        .anyMatch(
            p ->
                p.contains(
                    "healthcheck.start_interval requires healthcheck.start_period to be set"))
        .anyMatch(p -> p.contains("tcp://10.1.1.1:2375 is remote"));
  }
}
