package io.stackwright.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.ConfigSpec;
import io.stackwright.api.DependsOn;
import io.stackwright.api.FileContent;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.docker.internal.ContentDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ConfigHashTest {
  static final ContentDigest DIGEST =
      ContentDigest.withKey("a test key of 32 bytes, not a secret".getBytes());

  static ServiceSpec.Builder web() {
    return ServiceSpec.builder("web", "stackwright/workload:test")
        .env("A", "1")
        .env("B", "2")
        .label("tier", "front")
        .network("backend", "www")
        .secret("key")
        .config("conf", "/etc/app.conf")
        .stopGracePeriod(Duration.ofSeconds(3));
  }

  static StackSpec stack(ServiceSpec web, String secret) {
    return StackSpec.builder("shop")
        .network(NetworkSpec.of("backend"))
        .secret(SecretSpec.of("key", FileContent.secret(secret)))
        .config(ConfigSpec.of("conf", FileContent.plain("x=1")))
        .service(web)
        .service(ServiceSpec.builder("db", "postgres").network("backend").build())
        .build();
  }

  private static String hash(UnaryOperator<ServiceSpec.Builder> change) {
    ServiceSpec s = change.apply(web()).build();
    return ConfigHash.of(stack(s, "s3cret"), s, DIGEST);
  }

  @Test
  void theSameSpecGivesTheSameHash() {
    String first = hash(b -> b);
    assertThat(first).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(hash(b -> b)).isEqualTo(first);
    // insertion order of maps does not matter
    assertThat(hash(b -> b.environment(Map.of("B", "2", "A", "1")))).isEqualTo(first);
  }

  @Test
  void replicasAndDependsOnDoNotChangeTheHash() {
    String base = hash(b -> b);
    assertThat(hash(b -> b.replicas(5))).isEqualTo(base);
    assertThat(hash(b -> b.dependsOn("db", DependsOn.healthy()))).isEqualTo(base);
    assertThat(hash(b -> b.extension("x-note", List.of("anything")))).isEqualTo(base);
  }

  @Test
  void everythingElseDoes() {
    String base = hash(b -> b);
    assertThat(hash(b -> b.env("A", "2"))).isNotEqualTo(base);
    assertThat(hash(b -> b.label("tier", "back"))).isNotEqualTo(base);
    assertThat(hash(b -> b.image("stackwright/workload:v2"))).isNotEqualTo(base);
    assertThat(hash(b -> b.command("--flag"))).isNotEqualTo(base);
    assertThat(hash(b -> b.stopGracePeriod(Duration.ofSeconds(4)))).isNotEqualTo(base);
    assertThat(hash(b -> b.user("1000"))).isNotEqualTo(base);
    assertThat(hash(b -> b.readOnly(true))).isNotEqualTo(base);
  }

  @Test
  void anEmptyCommandDiffersFromNoCommand() {
    assertThat(hash(b -> b.command(List.of()))).isNotEqualTo(hash(b -> b));
  }

  @Test
  void secretContentIsFoldedInAsAKeyedDigestOnly() {
    ServiceSpec s = web().build();
    String one = ConfigHash.of(stack(s, "hunter2"), s, DIGEST);
    String two = ConfigHash.of(stack(s, "hunter3"), s, DIGEST);
    assertThat(one).isNotEqualTo(two);
    String json = ConfigHash.canonicalJson(stack(s, "hunter2"), s, DIGEST);
    assertThat(json)
        .doesNotContain("hunter2")
        // a bare SHA-256 would let whoever reads the label test guessed secrets offline
        .doesNotContain(FileContent.secret("hunter2").sha256())
        .contains(DIGEST.of(FileContent.secret("hunter2")))
        .contains("\"name\":\"shop_backend\"");
  }

  @Test
  void theSerializationIsCanonical() {
    ServiceSpec s = web().build();
    String json = ConfigHash.canonicalJson(stack(s, "x"), s, DIGEST);
    assertThat(json)
        .startsWith("{\"configs\":")
        .contains("\"environment\":{\"A\":\"1\",\"B\":\"2\"}")
        .contains("\"stop_grace_period\":\"PT3S\"")
        .doesNotContain("replicas")
        .doesNotContain("read_only"); // defaults are left out
  }

  @Test
  void hashesOfSpecsWithoutTheNewFieldsAreUnchanged() {
    // pinned before GenericResource, DeviceRequest, UNLESS_STOPPED and deployExtensions existed
    // (re-pinned when secret contents entered as a keyed digest, under the test key)
    assertThat(hash(b -> b))
        .isEqualTo("470e2b81ad7d47b3f3288dda1f537c26de1155b336e5beb5c09dca96d5c75362");
    assertThat(
            hash(
                b ->
                    b.resources(
                            new io.stackwright.api.Resources(
                                new io.stackwright.api.ResourceLimits(500_000_000, 1 << 20, 10),
                                new io.stackwright.api.ResourceLimits(0, 1 << 19, 0)))
                        .restartPolicy(
                            io.stackwright.api.RestartPolicy.of(
                                io.stackwright.api.RestartPolicy.Condition.ANY))))
        .isEqualTo("18e3e83856ac7ec233a6640190d14c87bb801564efdb007c172a08616fe848f7");
  }

  @Test
  void devicesAndUnlessStoppedChangeTheHashGenericResourcesAndDeployExtensionsDoNot() {
    String base = hash(b -> b);
    io.stackwright.api.DeviceRequest gpu =
        new io.stackwright.api.DeviceRequest(List.of("gpu"), "nvidia", 1, null, null);
    String withGpu =
        hash(
            b ->
                b.resources(new io.stackwright.api.Resources(null, null, List.of(), List.of(gpu))));
    assertThat(withGpu).isNotEqualTo(base);
    assertThat(
            hash(
                b ->
                    b.resources(
                        new io.stackwright.api.Resources(
                            null,
                            null,
                            List.of(),
                            List.of(
                                new io.stackwright.api.DeviceRequest(
                                    List.of("gpu"), "nvidia", 2, null, null))))))
        .isNotEqualTo(withGpu);
    assertThat(
            hash(
                b ->
                    b.resources(
                        new io.stackwright.api.Resources(
                            null,
                            null,
                            List.of(io.stackwright.api.GenericResource.discrete("GPU", 1)),
                            List.of()))))
        .isEqualTo(base);
    assertThat(hash(b -> b.deployExtension("x-team", "a"))).isEqualTo(base);
    String always =
        hash(
            b ->
                b.restartPolicy(
                    io.stackwright.api.RestartPolicy.of(
                        io.stackwright.api.RestartPolicy.Condition.ANY)));
    assertThat(
            hash(
                b ->
                    b.restartPolicy(
                        io.stackwright.api.RestartPolicy.of(
                            io.stackwright.api.RestartPolicy.Condition.UNLESS_STOPPED))))
        .isNotEqualTo(always);
  }

  @Test
  void aRenamedNetworkChangesTheHash() {
    ServiceSpec s = web().build();
    StackSpec renamed =
        stack(s, "x").toBuilder()
            .network(
                new NetworkSpec(
                    "backend", "other", null, Map.of(), false, false, false, List.of(), Map.of()))
            .build();
    assertThat(ConfigHash.of(renamed, s, DIGEST))
        .isNotEqualTo(ConfigHash.of(stack(s, "x"), s, DIGEST));
  }
}
