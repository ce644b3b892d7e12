package io.stackwright.swarm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.HealthcheckSpec;
import io.stackwright.api.PortSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.FieldChange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SpecNormalizerTest {
  static final ObjectMapper MAPPER = ServiceConverterTest.MAPPER;

  /** What the engine (20.10) returns for a service the CLI or Stackwright created from WEB. */
  static final String LIVE =
      """
      {
        "Name": "shop_web",
        "Labels": {"com.docker.stack.image": "stackwright/workload:test",
                   "com.docker.stack.namespace": "shop"},
        "TaskTemplate": {
          "ContainerSpec": {
            "Image": "stackwright/workload:test@sha256:0123456789abcdef",
            "Labels": {"com.docker.stack.namespace": "shop"},
            "Env": ["B=2", "A=1"],
            "Privileges": {"CredentialSpec": null, "SELinuxContext": null, "NoNewPrivileges": false},
            "Healthcheck": {"Test": ["CMD", "/server", "--probe"], "Interval": 1000000000},
            "Secrets": [{"File": {"Name": "s1", "UID": "0", "GID": "0", "Mode": 292},
                         "SecretID": "y70n1zcr7ole61w9cig8mq17c", "SecretName": "shop_s1"}],
            "Isolation": "default"
          },
          "Resources": {},
          "Placement": {},
          "Networks": [{"Target": "rbolstbrztm75hjthjn2rslss", "Aliases": ["web"]}],
          "ForceUpdate": 3,
          "Runtime": "container"
        },
        "Mode": {"Replicated": {"Replicas": 2}},
        "UpdateConfig": {"Parallelism": 1, "FailureAction": "pause", "Monitor": 5000000000,
                         "MaxFailureRatio": 0, "Order": "stop-first"},
        "RollbackConfig": {"Parallelism": 1, "FailureAction": "pause", "Monitor": 5000000000,
                           "MaxFailureRatio": 0, "Order": "stop-first"},
        "EndpointSpec": {"Mode": "dnsrr"}
      }
      """;

  static final UnaryOperator<String> NETWORKS =
      id -> id.equals("rbolstbrztm75hjthjn2rslss") ? "shop_default" : id;

  static StackSpec stack(ServiceSpec.Builder web) {
    return StackSpec.builder("shop")
        .secret(io.stackwright.api.SecretSpec.of("s1", io.stackwright.api.FileContent.secret("x")))
        .service(web.build())
        .build();
  }

  static ServiceSpec.Builder web() {
    return ServiceSpec.builder("web", "stackwright/workload:test")
        .env("A", "1")
        .env("B", "2")
        .secret("s1")
        .replicas(2)
        .healthcheck(
            HealthcheckSpec.cmd("/server", "--probe")
                .withTimings(java.time.Duration.ofSeconds(1), null, null, null))
        .endpointMode(ServiceSpec.EndpointMode.DNSRR);
  }

  static List<FieldChange> diff(ServiceSpec.Builder desired, String live) {
    StackSpec stack = stack(desired);
    JsonNode desiredTree =
        MAPPER.valueToTree(
            ServiceConverter.convert(stack, stack.service("web"), ServiceConverterTest.REFS));
    try {
      JsonNode liveTree = MAPPER.readTree(live);
      return TreeDiff.diff(
          SpecNormalizer.service(liveTree, NETWORKS, true),
          SpecNormalizer.service(desiredTree, NETWORKS, false));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anEngineSpecWithDefaultsPinnedImageIdsAndForceUpdateEqualsTheDeclaredOne() {
    assertThat(diff(web(), LIVE)).isEmpty();
  }

  @Test
  void theEnvironmentIsOneRedactedChange() {
    List<FieldChange> changes = diff(web().env("A", "secret-value"), LIVE);
    assertThat(changes)
        .containsExactly(
            new FieldChange(
                "TaskTemplate.ContainerSpec.Env", FieldChange.REDACTED, FieldChange.REDACTED));
    assertThat(changes.toString()).doesNotContain("secret-value");
  }

  @Test
  void labelsAreComparedKeyByKeyAndDottedKeysAreBracketed() {
    assertThat(diff(web().deployLabel("team", "a").deployLabel("x.y", "1"), LIVE))
        .containsExactly(
            new FieldChange("Labels.team", null, "a"), new FieldChange("Labels[x.y]", null, "1"));
  }

  @Test
  void theDeclaredImageIsComparedWithTheLabelNotThePinnedDigest() {
    assertThat(diff(web().image("stackwright/workload:v2"), LIVE))
        .containsExactly(
            new FieldChange(
                "Labels[com.docker.stack.image]",
                "stackwright/workload:test",
                "stackwright/workload:v2"),
            new FieldChange(
                "TaskTemplate.ContainerSpec.Image",
                "stackwright/workload:test",
                "stackwright/workload:v2"));
  }

  @Test
  void anImageSetOutOfBandUnderTheUnchangedLabelIsAChange() {
    // docker service update --image writes the spec's image and leaves the label
    String live =
        LIVE.replace(
            "stackwright/workload:test@sha256:0123456789abcdef", "stackwright/workload:other");
    assertThat(diff(web(), live))
        .containsExactly(
            new FieldChange(
                "TaskTemplate.ContainerSpec.Image",
                "stackwright/workload:other",
                "stackwright/workload:test"));
  }

  @Test
  void replicasIncludingZeroAndTheModeAreCompared() {
    assertThat(diff(web().replicas(0), LIVE))
        .containsExactly(new FieldChange("Mode.Replicated.Replicas", "2", "0"));
    assertThat(diff(web().mode(ServiceSpec.Mode.GLOBAL).replicas(1), LIVE))
        .extracting(FieldChange::path)
        .containsExactly("Mode.Global", "Mode.Replicated.Replicas");
  }

  @Test
  void engineDefaultsEqualUnsetValues() {
    // the engine fills these when nothing is declared; declaring them is no change
    String live =
        LIVE.replace(
                "\"Runtime\": \"container\"",
                "\"Runtime\": \"container\", \"RestartPolicy\": {\"Condition\": \"any\", \"Delay\": 5000000000, \"MaxAttempts\": 0}")
            .replace(
                "\"Isolation\": \"default\"",
                "\"Isolation\": \"default\", \"StopGracePeriod\": 10000000000, \"DNSConfig\": {}");
    assertThat(diff(web(), live)).isEmpty();
    assertThat(
            diff(
                web()
                    .restartPolicy(
                        io.stackwright.api.RestartPolicy.of(
                            io.stackwright.api.RestartPolicy.Condition.ANY))
                    .updatePolicy(io.stackwright.api.UpdatePolicy.defaults())
                    .rollbackPolicy(io.stackwright.api.UpdatePolicy.defaults()),
                live))
        .isEmpty();
  }

  @Test
  void genericResourcesAsTheEngineReturnsThemAreNoChange() {
    // the engine keeps GenericResources as sent; the order of the list does not matter
    String live =
        LIVE.replace(
            "\"Resources\": {}",
            "\"Resources\": {\"Reservations\": {\"GenericResources\": ["
                + "{\"NamedResourceSpec\": {\"Kind\": \"GPU\", \"Value\": \"UUID1\"}},"
                + "{\"DiscreteResourceSpec\": {\"Kind\": \"SSD\", \"Value\": 2}}]}}");
    ServiceSpec.Builder desired =
        web()
            .resources(
                new io.stackwright.api.Resources(
                    null,
                    null,
                    List.of(
                        io.stackwright.api.GenericResource.discrete("SSD", 2),
                        io.stackwright.api.GenericResource.named("GPU", "UUID1")),
                    List.of()));
    assertThat(diff(desired, live)).isEmpty();
    assertThat(diff(web(), live))
        .extracting(FieldChange::path)
        .containsExactly("TaskTemplate.Resources.Reservations.GenericResources");
    assertThat(
            diff(
                web()
                    .resources(
                        new io.stackwright.api.Resources(
                            null,
                            null,
                            List.of(
                                io.stackwright.api.GenericResource.discrete("SSD", 3),
                                io.stackwright.api.GenericResource.named("GPU", "UUID1")),
                            List.of())),
                live))
        .isNotEmpty();
  }

  @Test
  void unlessStoppedIsTheEngineDefaultAny() {
    String live =
        LIVE.replace(
            "\"Runtime\": \"container\"",
            "\"Runtime\": \"container\", \"RestartPolicy\": {\"Condition\": \"any\", \"Delay\": 5000000000, \"MaxAttempts\": 0}");
    assertThat(
            diff(
                web()
                    .restartPolicy(
                        io.stackwright.api.RestartPolicy.of(
                            io.stackwright.api.RestartPolicy.Condition.UNLESS_STOPPED)),
                live))
        .isEmpty();
  }

  @Test
  void aDifferentDefaultIsAChange() {
    assertThat(diff(web().stopGracePeriod(java.time.Duration.ofSeconds(3)), LIVE))
        .containsExactly(
            new FieldChange(
                "TaskTemplate.ContainerSpec.StopGracePeriod", "10000000000", "3000000000"));
  }

  @Test
  void setLikeListsAreComparedRegardlessOfOrder() throws IOException {
    ObjectNode a = (ObjectNode) MAPPER.readTree(LIVE);
    ObjectNode b = a.deepCopy();
    ((ObjectNode) b.path("TaskTemplate").path("ContainerSpec"))
        .set("Env", MAPPER.readTree("[\"A=1\",\"B=2\"]"));
    assertThat(
            TreeDiff.diff(
                SpecNormalizer.service(a, NETWORKS, true),
                SpecNormalizer.service(b, NETWORKS, true)))
        .isEmpty();
  }

  @Test
  void portsGetTheirDefaultProtocolAndMode() {
    String live =
        LIVE.replace(
            "\"EndpointSpec\": {\"Mode\": \"dnsrr\"}",
            "\"EndpointSpec\": {\"Mode\": \"dnsrr\", \"Ports\": [{\"TargetPort\": 8080, \"PublishMode\": \"host\"}]}");
    assertThat(
            diff(
                web().port(new PortSpec(8080, null, "tcp", PortSpec.PublishMode.HOST, null)), live))
        .isEmpty();
  }

  @Test
  void logDriverOptionsAreRedacted() {
    assertThat(
            diff(
                web()
                    .logging(
                        new io.stackwright.api.LoggingSpec(
                            "splunk", Map.of("splunk-token", "t0k3n"))),
                LIVE))
        .containsExactly(
            new FieldChange("TaskTemplate.LogDriver.Name", null, "splunk"),
            new FieldChange(
                "TaskTemplate.LogDriver.Options.splunk-token", null, FieldChange.REDACTED));
  }

  @Test
  void aTaskRunsTheCurrentSpecUnlessItsTemplateDiffersIgnoringPlacement() throws IOException {
    JsonNode template = MAPPER.readTree(LIVE).path("TaskTemplate");
    ObjectNode task = template.deepCopy();
    ((ObjectNode) task.path("ContainerSpec")).remove("Isolation");
    task.putObject("Placement").putArray("Constraints").add("node.role==manager");
    assertThat(SpecNormalizer.taskTemplate(task)).isEqualTo(SpecNormalizer.taskTemplate(template));
    task.put("ForceUpdate", 4);
    assertThat(SpecNormalizer.taskTemplate(task))
        .isNotEqualTo(SpecNormalizer.taskTemplate(template));
  }

  @Test
  void numbersCompareByValueWhateverTheirJsonType() throws IOException {
    JsonNode asInt =
        MAPPER.readTree("{\"UpdateConfig\":{\"Parallelism\":2,\"MaxFailureRatio\":0.1}}");
    ObjectNode asLong = MAPPER.createObjectNode();
    asLong.putObject("UpdateConfig").put("Parallelism", 2L).put("MaxFailureRatio", 0.1f);
    assertThat(
            TreeDiff.diff(
                SpecNormalizer.service(asInt, UnaryOperator.identity(), false),
                SpecNormalizer.service(asLong, UnaryOperator.identity(), false)))
        .isEmpty();
  }
}
