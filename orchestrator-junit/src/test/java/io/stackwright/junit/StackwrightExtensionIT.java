package io.stackwright.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension against the real engine, on both platforms: the example classes below are run
 * through JUnit's test kit; each brings its stack up, checks that its services answer HTTP at the
 * addresses the handle gives, and the IT then asks docker itself that nothing of the stack is left.
 */
class StackwrightExtensionIT {
  static final Map<String, String> NAMES = new ConcurrentHashMap<>();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @BeforeAll
  static void workloadImageIsBuilt() throws Exception {
    assertThat(docker("image", "inspect", "--format", "{{.Id}}", "stackwright/workload:test"))
        .as("stackwright/workload:test is built (run test-images/build.sh)")
        .startsWith("sha256:");
  }

  static int get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /** What every example checks: web answers at its host port, each api replica at its address. */
  static void answers(RunningStack stack) throws Exception {
    assertThat(get(stack.url("web", 8080))).as("GET / at " + stack.url("web", 8080)).isEqualTo(200);
    List<String> api = stack.replicaAddresses("api");
    assertThat(api).hasSize(2).doesNotHaveDuplicates();
    for (String address : api) {
      assertThat(get(URI.create("http://" + address + ":8080/")))
          .as("api at " + address)
          .isEqualTo(200);
    }
  }

  // README: compose begin
  @StackwrightStack(file = "shop.yml", platform = "compose")
  static class ComposeExample {
    @Test
    void servicesAnswer(RunningStack stack) throws Exception {
      NAMES.put("compose", stack.name());
      answers(stack);
    }
  }

  // README: compose end

  @StackwrightStack(file = "shop.yml", platform = "compose", name = "failing")
  static class FailingComposeExample {
    @Test
    void fails(RunningStack stack) {
      NAMES.put("failing", stack.name());
      throw new AssertionError("this test fails on purpose");
    }
  }

  // README: swarm begin
  static StackSpec shop() {
    HealthcheckSpec probe =
        HealthcheckSpec.cmd("/server", "--probe")
            .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, 3);
    return StackSpec.builder("swarm-shop")
        .service(
            ServiceSpec.builder("web", "stackwright/workload:test")
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .port(new PortSpec(8080, null, "tcp", PortSpec.PublishMode.HOST, null))
                .healthcheck(probe)
                .build())
        .service(
            ServiceSpec.builder("api", "stackwright/workload:test")
                .replicas(2)
                .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                .healthcheck(probe)
                .build())
        .build();
  }

  static class SwarmExample {
    @RegisterExtension
    static final StackwrightExtension SHOP =
        StackwrightExtension.forStack(shop()).platform("swarm").build();

    @Test
    void servicesAnswer(RunningStack stack) throws Exception {
      NAMES.put("swarm", stack.name());
      answers(stack);
    }
  }

  // README: swarm end

  @Test
  @DisplayName("compose: up from a Compose file, healthy, answering, and gone afterwards")
  void compose() throws Exception {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(ComposeExample.class))
        .execute()
        .testEvents()
        .assertStatistics(s -> s.succeeded(1).failed(0));
    String name = NAMES.get("compose");
    assertThat(name).startsWith("composeexample-");
    assertNothingLeft("com.docker.compose.project", name);
  }

  @Test
  @DisplayName("compose: removed also when the test fails")
  void composeFailing() throws Exception {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(FailingComposeExample.class))
        .execute()
        .testEvents()
        .assertStatistics(s -> s.failed(1));
    String name = NAMES.get("failing");
    assertThat(name).startsWith("failing-");
    assertNothingLeft("com.docker.compose.project", name);
  }

  @Test
  @DisplayName("swarm: up from a StackSpec, healthy, answering, and gone afterwards")
  void swarm() throws Exception {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(SwarmExample.class))
        .execute()
        .testEvents()
        .assertStatistics(s -> s.succeeded(1).failed(0));
    String name = NAMES.get("swarm");
    assertThat(name).startsWith("swarm-shop-");
    assertThat(
            docker("service", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + name))
        .as("services of " + name)
        .isEmpty();
    assertNothingLeft("com.docker.stack.namespace", name);
  }

  private static void assertNothingLeft(String label, String name) throws Exception {
    String filter = "label=" + label + "=" + name;
    assertThat(docker("ps", "-a", "-q", "--filter", filter)).as("containers of " + name).isEmpty();
    assertThat(docker("network", "ls", "-q", "--filter", filter))
        .as("networks of " + name)
        .isEmpty();
    assertThat(docker("volume", "ls", "-q", "--filter", filter)).as("volumes of " + name).isEmpty();
  }

  static String docker(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }
}
