package io.stackwright.loader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeMergerTest {

  private static Object merge(String base, String override) {
    Diagnostics diagnostics = new Diagnostics();
    Node a = YamlTreeReader.read("a.yml", base, diagnostics).get(0);
    Node b = YamlTreeReader.read("b.yml", override, diagnostics).get(0);
    assertThat(diagnostics.problems()).isEmpty();
    return Node.toPlain(TreeMerger.merge(a, b));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(Object root) {
    return (Map<String, Object>)
        ((Map<String, Object>) ((Map<String, Object>) root).get("services")).get("s");
  }

  @Test
  void mappingsMergeRecursivelyAndScalarsAreReplaced() {
    Object merged =
        merge(
            "services: {s: {image: a, deploy: {replicas: 1, resources: {limits: {cpus: '1'}}}}}\nx-a: 1",
            "services: {s: {image: b, deploy: {resources: {limits: {memory: 1g}}}}, t: {image: t}}");
    assertThat(service(merged))
        .isEqualTo(
            Map.of(
                "image",
                "b",
                "deploy",
                Map.of(
                    "replicas",
                    1L,
                    "resources",
                    Map.of("limits", Map.of("cpus", "1", "memory", "1g")))));
    assertThat(((Map<?, ?>) merged).get("x-a")).isEqualTo(1L);
  }

  @Test
  void commandEntrypointAndHealthcheckTestAreReplaced() {
    Object merged =
        merge(
            "services: {s: {command: [a, b], entrypoint: [x], healthcheck: {test: [CMD, a], retries: 1}}}",
            "services: {s: {command: [c], entrypoint: y, healthcheck: {test: [CMD, b]}}}");
    assertThat(service(merged))
        .containsEntry("command", List.of("c"))
        .containsEntry("entrypoint", "y")
        .containsEntry("healthcheck", Map.of("test", List.of("CMD", "b"), "retries", 1L));
  }

  @Test
  void listsMergeByTheirKey() {
    Object merged =
        merge(
            """
            services:
              s:
                ports: ["8080:80", "9090:90", 3000, {target: 5, published: 5000}]
                volumes: ["data:/data", {type: bind, source: ., target: /src}]
                secrets: [a, {source: b, target: x}]
                configs: [c]
            """,
            """
            services:
              s:
                ports: ["8080:81", 3000, {target: 6, published: "5000"}]
                volumes: ["other:/data", "./x:/src", "/new"]
                secrets: [{source: a, target: y}, b]
                configs: [d]
            """);
    Map<String, Object> s = service(merged);
    assertThat(s.get("ports"))
        .isEqualTo(
            List.of(
                "8080:80",
                "9090:90",
                3000L,
                Map.of("target", 5L, "published", 5000L),
                "8080:81",
                Map.of("target", 6L, "published", "5000")));
    // volumes are unique by target: a later entry replaces the one at the same target
    assertThat(s.get("volumes")).isEqualTo(List.of("other:/data", "./x:/src", "/new"));
    // secrets are unique by target (/run/secrets/<source> by default)
    assertThat(s.get("secrets"))
        .isEqualTo(
            List.of(
                "a",
                Map.of("source", "b", "target", "x"),
                Map.of("source", "a", "target", "y"),
                "b"));
    assertThat(s.get("configs")).isEqualTo(List.of("c", "d"));
  }

  @Test
  void listOrMapKeysMergeAsMappingsAndOtherListsAppend() {
    Object merged =
        merge(
            "services: {s: {environment: [A=1, B=1, C], labels: {x: '1'}, networks: [front], cap_add: [A], dns: [1.1.1.1]}}",
            "services: {s: {environment: {B: 2}, labels: [y=2], networks: {back: {aliases: [b]}}, cap_add: [B], dns: [8.8.8.8]}}");
    Map<String, Object> s = service(merged);
    java.util.Map<String, Object> environment = new java.util.HashMap<>();
    environment.put("A", "1");
    environment.put("B", 2L);
    environment.put("C", null);
    assertThat(s.get("environment")).isEqualTo(environment);
    assertThat(s.get("labels")).isEqualTo(Map.of("x", "1", "y", "2"));
    java.util.Map<String, Object> networks = new java.util.HashMap<>();
    networks.put("front", null);
    networks.put("back", Map.of("aliases", List.of("b")));
    assertThat(s.get("networks")).isEqualTo(networks);
    assertThat(s.get("cap_add")).isEqualTo(List.of("A", "B"));
    assertThat(s.get("dns")).isEqualTo(List.of("1.1.1.1", "8.8.8.8"));
  }

  @Test
  void aNullOverrideKeepsTheBase() {
    assertThat(
            service(merge("services: {s: {deploy: {replicas: 2}}}", "services: {s: {deploy: }}")))
        .isEqualTo(Map.of("deploy", Map.of("replicas", 2L)));
  }
}
