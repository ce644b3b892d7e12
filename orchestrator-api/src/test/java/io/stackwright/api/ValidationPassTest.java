package io.stackwright.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One validation pass: every problem of a stack in one InvalidSpecException, saying where. */
class ValidationPassTest {

  private static List<String> problems(Runnable build) {
    InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, build::run);
    assertThat(e).as("an InvalidSpecException").isNotNull();
    return e.problems().stream().map(SpecProblem::toString).toList();
  }

  @Nested
  @DisplayName("image references follow the engine's reference grammar")
  class Images {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "stackwright/workload:test",
          "busybox",
          "library/busybox:1.36",
          "localhost:5000/team/app:v1.2-rc_3",
          "registry.example.com/a/b/c",
          "registry.example.com:443/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          "app:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          "my-app__x.y",
          "[::1]:5000/app:1",
          "Registry.Example.com/app"
        })
    void validReferencesAreAccepted(String image) {
      assertThat(ServiceSpec.builder("web", image).build().image()).isEqualTo(image);
    }

    @Test
    void aSpaceInTheTagIsReportedBeforeTheEngineSeesIt() {
      assertThat(problems(() -> ServiceSpec.builder("web", "stackwright/workload: test").build()))
          .containsExactly(
              "services.web.image: image 'stackwright/workload: test' is not a valid reference: it"
                  + " contains white space; expected "
                  + SpecChecks.REFERENCE_FORM);
    }

    @Test
    void upperCaseRepositoryTagAndDigestProblemsSayWhatIsWrong() {
      assertThat(problems(() -> ServiceSpec.builder("a", "Stackwright/Workload").build()))
          .singleElement()
          .asString()
          .endsWith("the repository name must be lower case");
      assertThat(problems(() -> ServiceSpec.builder("a", "app:-dev").build()))
          .singleElement()
          .asString()
          .contains("the tag '-dev' must be 1 to 128");
      assertThat(problems(() -> ServiceSpec.builder("a", "app:" + "t".repeat(129)).build()))
          .singleElement()
          .asString()
          .contains("must be 1 to 128");
      assertThat(problems(() -> ServiceSpec.builder("a", "app@sha256:abc").build()))
          .singleElement()
          .asString()
          .contains("the digest 'sha256:abc' must be algorithm:hex with at least 32 hex digits");
      assertThat(problems(() -> ServiceSpec.builder("a", "app//x").build()))
          .singleElement()
          .asString()
          .contains("is not a valid reference");
      assertThat(problems(() -> ServiceSpec.builder("a", " ").build()))
          .containsExactly("services.a.image: an image is required");
    }
  }

  @Nested
  @DisplayName("a service reports all its problems at once")
  class Services {
    @Test
    void everyProblemOfOneServiceIsListed() {
      assertThat(
              problems(
                  () ->
                      ServiceSpec.builder("-web", "Bad Image")
                          .replicas(-1)
                          .stopGracePeriod(Duration.ofSeconds(-1))
                          .port(PortSpec.host(8080, 80))
                          .port(PortSpec.host(8080, 81))
                          .build()))
          .hasSize(5)
          .anySatisfy(p -> assertThat(p).startsWith("services.-web: service name '-web' must be"))
          .anySatisfy(p -> assertThat(p).startsWith("services.-web.image: image 'Bad Image'"))
          .anySatisfy(p -> assertThat(p).startsWith("services.-web.deploy.replicas: cannot be"))
          .anySatisfy(p -> assertThat(p).startsWith("services.-web.stop_grace_period: cannot be"))
          .anySatisfy(
              p ->
                  assertThat(p)
                      .isEqualTo(
                          "services.-web.ports[1]: publishes 8080/tcp again (already published by"
                              + " ports[0])"));
    }

    @Test
    void aPortReportsEveryProblemWithItsField() {
      assertThat(
              problems(
                  () -> new PortSpec(0, 70000, "icmp", PortSpec.PublishMode.HOST, "1.2.3:8080")))
          .containsExactly(
              "target: must be 1-65535, was 0",
              "published: must be 0-65535 (0 or unset: the engine picks one), was 70000",
              "protocol: must be tcp, udp or sctp, was 'icmp'",
              "host_ip: must be an IPv4 or IPv6 address, was '1.2.3:8080'");
      assertThat(new PortSpec(80, 0, "udp", null, "::1").published()).isZero();
    }
  }

  @Nested
  @DisplayName("healthcheck durations are checked against the engine's limits")
  class Healthchecks {
    private HealthcheckSpec timings(Duration interval, Duration timeout, Duration startPeriod) {
      return new HealthcheckSpec(
          List.of("CMD", "true"), interval, timeout, startPeriod, null, null);
    }

    @Test
    void anIntervalOfZeroIsNotSilentlyThirtySeconds() {
      assertThat(problems(() -> timings(Duration.ZERO, null, null)))
          .containsExactly(
              "healthcheck.interval: 0 would silently become the engine's default of 30s; allowed:"
                  + " at least 1ms (leave it unset for the engine's default, 30s)");
    }

    @Test
    void belowOneMillisecondTheEngineRefusesAndEveryFieldIsReported() {
      assertThat(
              problems(
                  () ->
                      new HealthcheckSpec(
                          List.of("CMD", "true"),
                          Duration.ofNanos(1),
                          Duration.ofMillis(-5),
                          Duration.ofNanos(999_999),
                          Duration.ZERO,
                          0)))
          .containsExactly(
              "healthcheck.interval: the engine refuses PT0.000000001S; allowed: at least 1ms"
                  + " (leave it unset for the engine's default, 30s)",
              "healthcheck.timeout: cannot be negative (PT-0.005S); allowed: at least 1ms (leave"
                  + " it unset for the engine's default, 30s)",
              "healthcheck.start_period: the engine refuses PT0.000999999S; allowed: 0 or at"
                  + " least 1ms (unset or 0 is the engine's default, 0s)",
              "healthcheck.start_interval: 0 would silently become the engine's default of 5s;"
                  + " allowed: at least 1ms (leave it unset for the engine's default, 5s)",
              "healthcheck.retries: 0 would silently become the engine's default of 3; allowed: at"
                  + " least 1 (leave it unset for the engine's default, 3)");
    }

    @Test
    void aStartPeriodOfZeroMeansWhatItSaysAndOneMillisecondIsTheFloor() {
      HealthcheckSpec ok = timings(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO);
      assertThat(ok.startPeriod()).isZero();
    }

    @Test
    void theTestMustHaveDockersForm() {
      assertThat(
              problems(
                  () -> new HealthcheckSpec(List.of("curl", "x"), null, null, null, null, null)))
          .containsExactly("healthcheck.test: must start with CMD, CMD-SHELL or NONE, not 'curl'");
    }
  }

  @Nested
  @DisplayName("a stack reports everything together")
  class Stacks {
    @Test
    void aDuplicateServiceNameNoLongerReplacesTheFirst() {
      assertThat(
              problems(
                  () ->
                      StackSpec.builder("shop")
                          .service(ServiceSpec.builder("web", "img:1").build())
                          .service(ServiceSpec.builder("web", "img:2").build())
                          .build()))
          .containsExactly(
              "services.web: service 'web' is defined twice; service names must be unique");
    }

    @Test
    void servicesBuiltWithTheStackReportTheirProblemsWithTheStacks() {
      assertThat(
              problems(
                  () ->
                      StackSpec.builder("Shop")
                          .service(ServiceSpec.builder("web", "img: 1").replicas(-2))
                          .service(
                              ServiceSpec.builder("api", "img")
                                  .network("backend")
                                  .dependsOn("web", DependsOn.started()))
                          .service(ServiceSpec.builder("db", "UPPER"))
                          .network(NetworkSpec.of("front"))
                          .network(NetworkSpec.of("front"))
                          .volume(new VolumeSpec("data", "x", null, Map.of(), false, Map.of()))
                          .secret(
                              new SecretSpec(
                                  "key", "-bad-", false, FileContent.secret("s"), Map.of()))
                          .build()))
          .containsExactlyInAnyOrder(
              "networks.front: network 'front' is defined twice; network keys must be unique",
              "services.web.image: image 'img: 1' is not a valid reference: it contains white"
                  + " space; expected "
                  + SpecChecks.REFERENCE_FORM,
              "services.web.deploy.replicas: cannot be negative (-2); allowed: 0 or more",
              "services.db.image: image 'UPPER' is not a valid reference: the repository name must"
                  + " be lower case",
              "name: stack name 'Shop' must be lower-case letters, digits, '_' or '-', starting"
                  + " with a letter or digit",
              "volumes.data.name: volume name 'x' must be at least 2 letters, digits, '_', '.' or"
                  + " '-', starting with a letter or digit",
              "secrets.key.name: secret name '-bad-' must be 1 to 64 letters, digits, '_', '.' or"
                  + " '-', starting and ending with a letter or digit",
              "services.api.networks[0]: network 'backend' is not declared; declared: [front]");
    }

    @Test
    void aDerivedCopyStillReplacesItsOwnServices() {
      StackSpec stack =
          StackSpec.builder("shop").service(ServiceSpec.builder("web", "img:1")).build();
      StackSpec changed =
          stack.toBuilder().service(stack.service("web").toBuilder().image("img:2")).build();
      assertThat(changed.service("web").image()).isEqualTo("img:2");
      assertThatThrownBy(
              () ->
                  stack.toBuilder()
                      .service(ServiceSpec.builder("web", "img:2"))
                      .service(ServiceSpec.builder("web", "img:3"))
                      .build())
          .isInstanceOf(InvalidSpecException.class)
          .hasMessageContaining("service 'web' is defined twice");
    }
  }
}
