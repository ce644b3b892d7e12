package io.stackwright.swarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.FileReference;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceNetwork;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.SpecProblem;
import io.stackwright.api.StackSpec;
import io.stackwright.api.state.TaskStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

  @Test
  void swarmTaskStatesMapToTheApi() {
    assertThat(StatusReader.taskStatus("allocated")).isEqualTo(TaskStatus.NEW);
    assertThat(StatusReader.taskStatus("running")).isEqualTo(TaskStatus.RUNNING);
    assertThat(StatusReader.taskStatus("rejected")).isEqualTo(TaskStatus.REJECTED);
    assertThat(StatusReader.taskStatus("orphaned")).isEqualTo(TaskStatus.ORPHANED);
    for (TaskStatus status : TaskStatus.values()) {
      assertThat(StatusReader.taskStatus(status.name().toLowerCase(java.util.Locale.ROOT)))
          .isEqualTo(status);
    }
  }

  @Test
  void whatSwarmCannotDoIsReportedNotDropped() {
    StackSpec stack =
        StackSpec.builder("shop")
            .service(
                ServiceSpec.builder("web", "img")
                    .securityOpt("no-new-privileges")
                    .network(new ServiceNetwork("default", List.of(), "10.0.0.5"))
                    .port(new PortSpec(80, 8080, "tcp", PortSpec.PublishMode.HOST, "127.0.0.1"))
                    .port(PortSpec.of(81))
                    .endpointMode(ServiceSpec.EndpointMode.DNSRR)
                    .secret("a")
                    .secret(new FileReference("b", "a", null, null, null))
                    .healthcheck(
                        new HealthcheckSpec(
                            List.of("CMD", "true"), null, null, null, Duration.ofSeconds(1), null))
                    .resources(
                        new io.stackwright.api.Resources(
                            null,
                            null,
                            List.of(),
                            List.of(
                                new io.stackwright.api.DeviceRequest(
                                    List.of("gpu"), "nvidia", null, null, null))))
                    .build())
            .secret(
                io.stackwright.api.SecretSpec.of("a", io.stackwright.api.FileContent.secret("1")))
            .secret(
                io.stackwright.api.SecretSpec.of("b", io.stackwright.api.FileContent.secret("2")))
            .build();
    assertThat(SwarmValidation.problems(stack, "1.41"))
        .extracting(SpecProblem::path)
        .containsExactly(
            "services.web.security_opt",
            "services.web.networks.default.ipv4_address",
            "services.web.ports[0]",
            "services.web.ports[1]",
            "services.web.deploy.resources.reservations.devices",
            "services.web.secrets",
            "services.web.healthcheck.start_interval");
    assertThat(SwarmValidation.problems(stack, "1.44")).hasSize(6);
    assertThat(SwarmValidation.problems(stack, null)).hasSize(6);
    assertThat(SwarmValidation.compareVersions("1.41", "1.44")).isNegative();
    assertThat(SwarmValidation.compareVersions("1.44", "1.44")).isZero();
  }

  @Test
  void pathsOfChanges() {
    assertThat(TreeDiff.child("", "Labels")).isEqualTo("Labels");
    assertThat(TreeDiff.child("Labels", "com.docker.stack.image"))
        .isEqualTo("Labels[com.docker.stack.image]");
    assertThat(TreeDiff.isRedacted("TaskTemplate.ContainerSpec.Env")).isTrue();
    assertThat(TreeDiff.isRedacted("TaskTemplate.ContainerSpec.EnvFile")).isFalse();
  }

  @Test
  void whenTheEngineLastWroteAnObjectIsReadToTheNanosecondAndNeverFailsAPlan() throws Exception {
    var mapper = ServiceConverterTest.MAPPER;
    assertThat(
            LiveStack.updatedAt(
                mapper.readTree(
                    "{\"CreatedAt\": \"2026-11-30T08:00:00.5Z\","
                        + " \"UpdatedAt\": \"2026-11-30T09:15:02.123456789Z\"}")))
        .isEqualTo(java.time.Instant.parse("2026-11-30T09:15:02.123456789Z"));
    // an engine that sends only CreatedAt (or an offset, not Z) is read too
    assertThat(
            LiveStack.updatedAt(mapper.readTree("{\"CreatedAt\": \"2026-11-30T10:00:00+01:00\"}")))
        .isEqualTo(java.time.Instant.parse("2026-11-30T09:00:00Z"));
    assertThat(LiveStack.updatedAt(mapper.readTree("{\"UpdatedAt\": \"yesterday\"}"))).isNull();
    assertThat(LiveStack.updatedAt(mapper.readTree("{}"))).isNull();
  }

  @Test
  void anUpdateKeepsForceUpdateAndThePinnedImageWhenTheDeclaredImageIsUnchanged() throws Exception {
    var live =
        liveWeb(
            """
            {"Spec": {"Labels": {"com.docker.stack.image": "img:1"},
                      "TaskTemplate": {"ForceUpdate": 2,
                                       "ContainerSpec": {"Image": "img:1@sha256:abc"}}}}
            """);
    var spec = writtenOver(live, "img:1");
    assertThat(spec.getTaskTemplate().getForceUpdate()).isEqualTo(2);
    assertThat(spec.getTaskTemplate().getContainerSpec().getImage()).isEqualTo("img:1@sha256:abc");
    assertThat(writtenOver(live, "img:2").getTaskTemplate().getContainerSpec().getImage())
        .isEqualTo("img:2");
  }

  @Test
  void anUpdateWritesTheDeclaredImageOverOneSetOutOfBand() throws Exception {
    // docker service update --image img:other: the label still says img:1
    var live =
        liveWeb(
            """
            {"Spec": {"Labels": {"com.docker.stack.image": "img:1"},
                      "TaskTemplate": {"ContainerSpec": {"Image": "img:other"}}}}
            """);
    assertThat(writtenOver(live, "img:1").getTaskTemplate().getContainerSpec().getImage())
        .isEqualTo("img:1");
  }

  private static LiveStack.LiveService liveWeb(String json) throws Exception {
    return new LiveStack.LiveService(
        "id", "shop_web", 7, ServiceConverterTest.MAPPER.readTree(json));
  }

  /** The spec an update of {@code live} to a service of {@code image} writes. */
  private static com.github.dockerjava.api.model.ServiceSpec writtenOver(
      LiveStack.LiveService live, String image) {
    StackSpec stack =
        StackSpec.builder("shop").service(ServiceSpec.builder("web", image).build()).build();
    var spec = ServiceConverter.convert(stack, stack.service("web"), ServiceConverterTest.REFS);
    Applier.keepFromLive(spec, live, image);
    return spec;
  }

  @Test
  void theDeclaredImageIsRecognisedWithTheDigestTheEnginePinned() {
    assertThat(StackNames.isDeclaredImage("img:1", "img:1")).isTrue();
    assertThat(StackNames.isDeclaredImage("img:1@sha256:abc", "img:1")).isTrue();
    // the engine pins the familiar name with its tag
    assertThat(StackNames.isDeclaredImage("nginx:latest@sha256:abc", "nginx")).isTrue();
    assertThat(StackNames.isDeclaredImage("nginx:1.25@sha256:abc", "docker.io/library/nginx:1.25"))
        .isTrue();
    assertThat(StackNames.isDeclaredImage("me/app:latest@sha256:abc", "docker.io/me/app")).isTrue();
    assertThat(
            StackNames.isDeclaredImage(
                "localhost:5000/app:latest@sha256:abc", "localhost:5000/app"))
        .isTrue();

    assertThat(StackNames.isDeclaredImage("img:other", "img:1")).isFalse();
    assertThat(StackNames.isDeclaredImage("img:2@sha256:abc", "img:1")).isFalse();
    assertThat(StackNames.isDeclaredImage("img:1@sha256:def", "img:1@sha256:abc")).isFalse();
    assertThat(StackNames.isDeclaredImage("other/img:1@sha256:abc", "img:1")).isFalse();
  }
}
