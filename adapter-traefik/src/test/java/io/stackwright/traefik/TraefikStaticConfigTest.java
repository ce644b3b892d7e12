package io.stackwright.traefik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TraefikStaticConfigTest {

  @Test
  @DisplayName("entry points, HTTPS redirect, ACME HTTP challenge, Swarm and file providers")
  @SuppressWarnings("unchecked")
  void httpChallengeSwarm() throws Exception {
    TraefikStaticConfig config =
        TraefikStaticConfig.builder()
            .entryPoint("web", ":80")
            .entryPoint("websecure", ":443")
            .redirectToHttps("web", "websecure")
            .acmeHttpChallenge("le", "ops@example.com", "/letsencrypt/acme.json", "web")
            .providerFor(
                TraefikRouter.builder(TraefikProvider.SWARM)
                    .directory(java.nio.file.Path.of("/tmp/x"))
                    .build(),
                "shop_front",
                "/etc/traefik/dynamic")
            .build();
    Map<String, Object> yaml = new YAMLMapper().readValue(config.toYaml(), Map.class);
    assertThat(TraefikSchemas.validateStatic(yaml)).isEmpty();
    assertThat(yaml.toString())
        .contains(
            "swarm={endpoint=unix:///var/run/docker.sock, exposedByDefault=false, network=shop_front}",
            "file={directory=/etc/traefik/dynamic, watch=true}",
            "httpChallenge={entryPoint=web}",
            "redirections={entryPoint={");
  }

  @Test
  @DisplayName("ACME TLS challenge with the Docker and HTTP providers")
  void tlsChallenge() {
    TraefikStaticConfig config =
        TraefikStaticConfig.builder()
            .entryPoint("websecure", ":443")
            .acmeTlsChallenge("le", "ops@example.com", "acme.json")
            .dockerProvider("blog_default")
            .httpProvider("http://host.docker.internal:8081/traefik/dynamic.json", "5s")
            .build();
    assertThat(TraefikSchemas.validateStatic(config.tree())).isEmpty();
    assertThat(config.tree().toString()).contains("tlsChallenge={}", "pollInterval=5s");
  }

  @Test
  @DisplayName("the schema check is real: an unknown option fails it")
  void schemasCanFail() {
    assertThat(
            TraefikSchemas.validateStatic(
                Map.of("entryPoints", Map.of("web", Map.of("adress", ":80")))))
        .isNotEmpty();
    assertThat(
            TraefikSchemas.validateDynamic(
                Map.of("http", Map.of("routers", Map.of("r", Map.of("rule", "Host(`a`)"))))))
        .as("a router without a service")
        .isNotEmpty();
    assertThatThrownBy(
            () -> TraefikSchemas.decodeLabels(Map.of("traefik.http.routers.r.rules", "x")))
        .hasMessageContaining("no option 'rules'");
  }

  @Test
  @DisplayName("refuses a configuration Traefik could not use")
  void refusals() {
    assertThatThrownBy(() -> TraefikStaticConfig.builder().entryPoint("web", ":80").build())
        .hasMessageContaining("at least one provider");
    assertThatThrownBy(
            () ->
                TraefikStaticConfig.builder().acmeHttpChallenge("le", "a@b.c", "acme.json", "web"))
        .hasMessageContaining("needs entry point web");
  }
}
