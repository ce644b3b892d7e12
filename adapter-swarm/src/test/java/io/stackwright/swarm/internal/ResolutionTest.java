package io.stackwright.swarm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackwright.api.ConfigSpec;
import io.stackwright.api.FileContent;
import io.stackwright.api.InvalidSpecException;
import io.stackwright.api.NetworkSpec;
import io.stackwright.api.SecretSpec;
import io.stackwright.api.ServiceSpec;
import io.stackwright.api.StackSpec;
import io.stackwright.api.plan.Change;
import io.stackwright.api.plan.FieldChange;
import io.stackwright.api.plan.Plan;
import io.stackwright.docker.internal.ContentDigest;
import io.stackwright.swarm.internal.LiveStack.LiveFile;
import io.stackwright.swarm.internal.LiveStack.LiveNetwork;
import io.stackwright.swarm.internal.LiveStack.LiveService;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Planning against a live state built in memory: no engine. */
class ResolutionTest {

  static StackSpec stack(String secret, String config) {
    return StackSpec.builder("shop")
        .network(NetworkSpec.of("backend"))
        .network(NetworkSpec.of("spare"))
        .secret(SecretSpec.of("s", FileContent.secret(secret)))
        .config(ConfigSpec.of("c", FileContent.plain(config)))
        .service(
            ServiceSpec.builder("web", "img")
                .network("backend")
                .secret("s")
                .config("c", "/c")
                .build())
        .service(ServiceSpec.builder("worker", "img").build())
        .build();
  }

  static Map<String, String> labels(String... keyValues) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(StackNames.NAMESPACE, "shop");
    for (int i = 0; i < keyValues.length; i += 2) {
      labels.put(keyValues[i], keyValues[i + 1]);
    }
    return labels;
  }

  /** The {@code UpdatedAt} every live service has here, as the engine writes it (nanoseconds). */
  static final String SERVICE_UPDATED_AT = "2026-11-30T09:15:02.123456789Z";

  /** When the engine wrote an object at {@code version} of its index (a second per version). */
  static java.time.Instant written(long version) {
    return java.time.Instant.parse("2026-11-30T08:00:00Z").plusSeconds(version);
  }

  /** The engine's view after {@code stack} was deployed with these secret and config names. */
  static final class Live {
    final List<LiveService> services = new ArrayList<>();
    final List<LiveNetwork> networks = new ArrayList<>();
    final List<LiveFile> secrets = new ArrayList<>();
    final List<LiveFile> configs = new ArrayList<>();

    Live deployed(StackSpec stack, String secretName, String configName) {
      networks.add(new LiveNetwork("n1", "shop_backend", "swarm", labels()));
      networks.add(new LiveNetwork("n2", "shop_default", "swarm", labels()));
      for (ServiceSpec s : stack.services().values()) {
        service(stack, s.name(), secretName, configName, null);
      }
      return this;
    }

    Live service(
        StackSpec stack, String key, String secretName, String configName, JsonNode previous) {
      var spec =
          ServiceConverter.convert(
              stack,
              stack.service(key),
              new ServiceConverter.FileRefs() {
                @Override
                public String secretName(String k) {
                  return secretName;
                }

                @Override
                public String secretId(String name) {
                  return "id-" + name;
                }

                @Override
                public String configName(String k) {
                  return configName;
                }

                @Override
                public String configId(String name) {
                  return "id-" + name;
                }
              });
      ObjectNode tree = ServiceConverterTest.MAPPER.createObjectNode();
      tree.put("ID", "id-" + key);
      tree.putObject("Version").put("Index", 10);
      tree.put("UpdatedAt", SERVICE_UPDATED_AT);
      tree.set("Spec", ServiceConverterTest.MAPPER.valueToTree(spec));
      if (previous != null) {
        tree.set("PreviousSpec", previous);
      }
      // the engine stores network ids
      for (JsonNode n : tree.path("Spec").path("TaskTemplate").path("Networks")) {
        String target = n.path("Target").asText();
        ((ObjectNode) n).put("Target", target.equals("shop_backend") ? "n1" : "n2");
      }
      services.add(new LiveService("id-" + key, "shop_" + key, 10, tree));
      return this;
    }

    Live secret(String name, Map<String, String> labels) {
      return secret(name, labels, 5);
    }

    /** A secret the engine wrote at {@code version} of its index (later writes, higher). */
    Live secret(String name, Map<String, String> labels, long version) {
      secrets.add(new LiveFile("id-" + name, name, version, labels, null, written(version)));
      return this;
    }

    Live config(String name, Map<String, String> labels, String content) {
      configs.add(
          new LiveFile(
              "id-" + name,
              name,
              5,
              labels,
              Base64.getEncoder()
                  .encodeToString(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
              written(5)));
      return this;
    }

    Resolution resolve(StackSpec stack) {
      return resolve(stack, 1);
    }

    Resolution resolve(StackSpec stack, int versionsKept) {
      return Resolution.resolve(
          stack,
          new LiveStack("shop", services, networks, secrets, configs),
          ServiceConverterTest.MAPPER,
          DIGEST,
          versionsKept);
    }
  }

  static final ContentDigest DIGEST =
      ContentDigest.withKey("a test key of 32 bytes, not a secret".getBytes());

  static String hash(String content) {
    return DIGEST.of(FileContent.plain(content));
  }

  static String hex(String content) {
    return ContentDigest.hex(hash(content));
  }

  static List<String> summary(Plan plan) {
    return plan.changes().stream()
        .map(c -> c.getClass().getSimpleName() + " " + c.kind() + " " + c.key())
        .toList();
  }

  @Test
  void aNewStackIsCreatedNetworksFirstAndOnlyUsedNetworks() {
    Plan plan = new Live().resolve(stack("pw", "a=1")).plan();
    assertThat(summary(plan))
        .containsExactly(
            "Create NETWORK backend",
            "Create NETWORK default",
            "Create SECRET s",
            "Create CONFIG c",
            "Create SERVICE web",
            "Create SERVICE worker");
  }

  @Test
  void aDeployedStackPlansEmpty() {
    StackSpec stack = stack("pw", "a=1");
    Live live =
        new Live()
            .deployed(stack, "shop_s", "shop_c")
            .secret("shop_s", labels(StackNames.CONTENT_HASH, hash("pw")))
            .config("shop_c", labels(StackNames.CONTENT_HASH, hash("a=1")), "a=1");
    assertThat(live.resolve(stack).plan().changes()).isEmpty();
  }

  @Test
  void objectsTheCliCreatedAreAdopted() {
    StackSpec stack = stack("pw", "a=1");
    // no hash labels: the secret cannot be checked, the config is compared by its data
    Live live =
        new Live()
            .deployed(stack, "shop_s", "shop_c")
            .secret("shop_s", labels())
            .config("shop_c", labels(), "a=1");
    assertThat(live.resolve(stack).plan().changes()).isEmpty();
  }

  @Test
  void aContentChangeIsANewVersionAndTheServiceMovesToIt() {
    StackSpec stack = stack("new-pw", "a=2");
    Live live =
        new Live()
            .deployed(stack, "shop_s", "shop_c")
            .secret("shop_s", labels(StackNames.CONTENT_HASH, hash("old-pw")))
            .config("shop_c", labels(), "a=1");
    Resolution r = live.resolve(stack);
    Plan plan = r.plan();
    assertThat(summary(plan))
        .containsExactly("Update SECRET s", "Update CONFIG c", "Update SERVICE web");
    assertThat(((Change.Update) plan.changes().get(0)).fields())
        .containsExactly(new FieldChange("Data", FieldChange.REDACTED, FieldChange.REDACTED));
    assertThat(((Change.Update) plan.changes().get(1)).fields())
        .containsExactly(new FieldChange("Data", hash("a=1"), hash("a=2")));
    assertThat(((Change.Update) plan.changes().get(2)).fields())
        .extracting(FieldChange::path)
        .containsExactly(
            "TaskTemplate.ContainerSpec.Configs", "TaskTemplate.ContainerSpec.Secrets");
    assertThat(plan.toString()).doesNotContain("new-pw").doesNotContain("old-pw");
    // when the engine last wrote each live object: the service's UpdatedAt, and for a new version
    // the version the services use now
    assertThat(plan.changes())
        .extracting(c -> ((Change.Update) c).changedAt())
        .containsExactly(written(5), written(5), java.time.Instant.parse(SERVICE_UPDATED_AT));
    assertThat(r.secrets().get("s").name())
        .isEqualTo(StackNames.versioned("shop_s", hex("new-pw")));
    assertThat(r.secrets().get("s").action()).isEqualTo(Resolution.Action.NEW_VERSION);
    // keyed: neither the label, the name nor the plan holds the bare SHA-256 a guess is tested by
    String bare = FileContent.secret("new-pw").sha256();
    assertThat(hash("new-pw")).startsWith("hmac-sha256:").doesNotContain(bare);
    assertThat(r.secrets().get("s").name()).doesNotContain(bare.substring(0, 10));
    assertThat(plan.toString())
        .doesNotContain(bare.substring(0, 10))
        .doesNotContain(FileContent.plain("a=2").sha256().substring(0, 10));
    assertThat(r.secrets().get("s").labels())
        .containsEntry(StackNames.CONTENT_HASH, hash("new-pw"))
        .containsEntry(StackNames.NAMESPACE, "shop");
    // the old versions are still the live spec's: they become its previous spec, kept for rollback
    assertThat(r.unusedSecrets()).isEmpty();
    assertThat(r.unusedConfigs()).isEmpty();
  }

  @Test
  void oldVersionsGoOnceNeitherTheSpecNorThePreviousSpecUsesThem() {
    StackSpec stack = stack("v3", "a=1");
    String v2 = StackNames.versioned("shop_s", hex("v2"));
    String v3 = StackNames.versioned("shop_s", hex("v3"));
    StackSpec v2Stack = stack("v2", "a=1");
    Live probe = new Live().service(v2Stack, "web", "shop_s", "shop_c", null);
    JsonNode previousOfV2 = probe.services.get(0).spec();
    Live live =
        new Live()
            .service(v2Stack, "web", v2, "shop_c", previousOfV2)
            .service(stack, "worker", "x", "y", null)
            .secret("shop_s", labels(StackNames.CONTENT_HASH, hash("v1")))
            .secret(v2, labels(StackNames.CONTENT_HASH, hash("v2")))
            .config("shop_c", labels(StackNames.CONTENT_HASH, hash("a=1")), "a=1");
    live.networks.add(new LiveNetwork("n1", "shop_backend", "swarm", labels()));
    live.networks.add(new LiveNetwork("n2", "shop_default", "swarm", labels()));
    Plan plan = live.resolve(stack).plan();
    // web changes: its live spec (v2) becomes the previous spec, v1 is released
    assertThat(summary(plan))
        .containsExactly("Update SECRET s", "Update SERVICE web", "Delete SECRET s");
    assertThat(live.resolve(stack).secrets().get("s").name()).isEqualTo(v3);
    assertThat(live.resolve(stack).unusedSecrets())
        .extracting(LiveFile::name)
        .containsExactly("shop_s");
  }

  @Test
  void theNumberOfEarlierVersionsKeptIsTheNewestOnesUsedOnesFirst() {
    String v2 = StackNames.versioned("shop_s", hex("v2"));
    String v3 = StackNames.versioned("shop_s", hex("v3"));
    StackSpec v3Stack = stack("v3", "a=1");
    Live live =
        new Live()
            .deployed(v3Stack, v3, "shop_c")
            .secret("shop_s", labels(StackNames.CONTENT_HASH, hash("v1")), 5)
            .secret(v2, labels(StackNames.CONTENT_HASH, hash("v2")), 9)
            .secret(v3, labels(StackNames.CONTENT_HASH, hash("v3")), 14)
            .config("shop_c", labels(StackNames.CONTENT_HASH, hash("a=1")), "a=1");
    StackSpec v4 = stack("v4", "a=1");
    // v3 stays whatever the count (web's spec uses it now and its previous spec will)
    assertThat(live.resolve(v4, 1).unusedSecrets())
        .extracting(LiveFile::name)
        .containsExactlyInAnyOrder("shop_s", v2);
    assertThat(live.resolve(v4, 2).unusedSecrets())
        .as("the newest unused one next")
        .extracting(LiveFile::name)
        .containsExactly("shop_s");
    assertThat(live.resolve(v4, 5).unusedSecrets()).isEmpty();
    assertThat(summary(live.resolve(v4, 2).plan()))
        .containsExactly("Update SECRET s", "Update SERVICE web", "Delete SECRET s");
    assertThatThrownBy(() -> live.resolve(v4, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void goingBackToAnOlderContentReusesItsObject() {
    StackSpec stack = stack("v1", "a=1");
    String v2 = StackNames.versioned("shop_s", hex("v2"));
    Live live =
        new Live()
            .deployed(stack("v2", "a=1"), v2, "shop_c")
            .secret("shop_s", labels(StackNames.CONTENT_HASH, hash("v1")))
            .secret(v2, labels(StackNames.CONTENT_HASH, hash("v2")))
            .config("shop_c", labels(StackNames.CONTENT_HASH, hash("a=1")), "a=1");
    Resolution r = live.resolve(stack);
    assertThat(r.secrets().get("s").name()).isEqualTo("shop_s");
    assertThat(summary(r.plan())).containsExactly("Update SERVICE web");
  }

  @Test
  void servicesNoLongerDeclaredArePrunedThenWhatOnlyTheyUsed() {
    StackSpec stack = stack("pw", "a=1");
    StackSpec old =
        StackSpec.builder("shop")
            .secret(SecretSpec.of("legacy", FileContent.secret("x")))
            .config(ConfigSpec.of("c", FileContent.plain("a=1")))
            .service(ServiceSpec.builder("old", "img").secret("legacy").build())
            .build();
    Live live =
        new Live()
            .deployed(stack, "shop_s", "shop_c")
            .service(old, "old", "shop_legacy", "shop_c", null)
            .secret("shop_s", labels(StackNames.CONTENT_HASH, hash("pw")))
            .secret("shop_legacy", labels(StackNames.CONTENT_HASH, hash("x")))
            .secret("not-ours", Map.of())
            .config("shop_c", labels(StackNames.CONTENT_HASH, hash("a=1")), "a=1");
    assertThat(summary(live.resolve(stack).plan()))
        .containsExactly("Delete SERVICE old", "Delete SECRET legacy");
  }

  @Test
  void labelOnlyChangesUpdateTheObjectInPlaceWithItsVersion() {
    StackSpec stack =
        stack("pw", "a=1").toBuilder()
            .secret(
                new SecretSpec("s", null, false, FileContent.secret("pw"), Map.of("tier", "gold")))
            .build();
    Live live =
        new Live()
            .deployed(stack, "shop_s", "shop_c")
            .secret("shop_s", labels(StackNames.CONTENT_HASH, hash("pw")))
            .config("shop_c", labels(StackNames.CONTENT_HASH, hash("a=1")), "a=1");
    Plan plan = live.resolve(stack).plan();
    assertThat(plan.changes()).singleElement().isInstanceOf(Change.Update.class);
    Change.Update update = (Change.Update) plan.changes().get(0);
    assertThat(update.version()).isEqualTo(5);
    assertThat(update.fields()).containsExactly(new FieldChange("Labels.tier", null, "gold"));
    assertThat(update.changedAt()).isEqualTo(written(5));
  }

  @Test
  void missingExternalsAndForeignNamesAreReportedTogether() {
    StackSpec stack =
        StackSpec.builder("shop")
            .network(NetworkSpec.external("edge", "edge-net"))
            .secret(SecretSpec.external("cert", "tls-cert"))
            .service(
                ServiceSpec.builder("web", "img")
                    .network("edge")
                    .network("default")
                    .secret("cert")
                    .build())
            .build();
    Live live = new Live();
    live.networks.add(new LiveNetwork("x", "shop_default", "swarm", Map.of()));
    assertThatThrownBy(() -> live.resolve(stack))
        .isInstanceOf(InvalidSpecException.class)
        .satisfies(
            e ->
                assertThat(((InvalidSpecException) e).problems())
                    .extracting(p -> p.path())
                    .containsExactly("networks.edge", "networks.default", "secrets.cert"))
        .hasMessageContaining("could not be found")
        .hasMessageContaining("does not belong to stack shop");
  }

  @Test
  void anExternalNetworkMustBeSwarmScoped() {
    StackSpec stack =
        StackSpec.builder("shop")
            .network(NetworkSpec.external("edge", "edge-net"))
            .service(ServiceSpec.builder("web", "img").network("edge").build())
            .build();
    Live live = new Live();
    live.networks.add(new LiveNetwork("x", "edge-net", "local", Map.of()));
    assertThatThrownBy(() -> live.resolve(stack))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("not in the right scope: \"local\" instead of \"swarm\"");
  }
}
