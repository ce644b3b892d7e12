package io.stackwright.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.it.Shell;
import io.stackwright.it.Shell.Result;
import io.stackwright.traefik.TraefikSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stackwright routes} from the shaded jar, as a person runs it. */
class RoutesCommandIT {

  @Test
  @SuppressWarnings("unchecked")
  void printsTheHttpProviderDocumentOfAComposeFile(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("compose.yml"),
            """
            services:
              api:
                image: stackwright/workload:test
                ports: ["8080"]
                x-stackwright:
                  routing:
                    routes:
                      www: {host: api.example.com, path_prefix: /v1, tls: {cert_resolver: le}}
                    middlewares:
                      strip: {strip_prefix: /v1}
            """);

    Result result = Shell.cli("routes", "-f", file.toString(), "-p", "jar", "--provider", "http");

    assertThat(result.exitCode()).as(result.all()).isZero();
    Map<String, Object> document = new ObjectMapper().readValue(result.out(), Map.class);
    assertThat(TraefikSchemas.validateDynamic(document)).isEmpty();
    assertThat(result.out())
        .contains(
            "Host(`api.example.com`) && PathPrefix(`/v1`)", "http://api:8080", "jar-api-strip");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theFileProviderDocumentHoldsTheUsersOwnTraefikLabels(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("compose.yml"),
            """
            services:
              whoami:
                image: stackwright/workload:test
                deploy:
                  labels:
                    traefik.enable: "true"
                    traefik.http.routers.whoami.rule: Host(`whoami.example.com`)
                    traefik.http.routers.whoami.entrypoints: websecure
                    traefik.http.routers.whoami.middlewares: strip@swarm
                    traefik.http.services.whoami.loadbalancer.server.port: "8080"
                    traefik.http.middlewares.strip.stripprefix.prefixes: /v1,/v2
              api:
                image: stackwright/workload:test
                ports: ["8080"]
                x-stackwright:
                  routing:
                    routes:
                      www: {host: api.example.com}
            """);

    Result result = Shell.cli("routes", "-f", file.toString(), "-p", "jar", "--provider", "file");

    assertThat(result.exitCode()).as(result.all()).isZero();
    Map<String, Object> document =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readValue(result.out(), Map.class);
    assertThat(TraefikSchemas.validateDynamic(document)).isEmpty();
    Map<String, Object> http = (Map<String, Object>) document.get("http");
    assertThat((Map<String, Object>) http.get("routers"))
        .containsKeys("whoami", "jar-api-www")
        .containsEntry(
            "whoami",
            Map.of(
                "rule",
                "Host(`whoami.example.com`)",
                "entryPoints",
                java.util.List.of("websecure"),
                "middlewares",
                java.util.List.of("strip"),
                "service",
                "whoami"));
    assertThat(result.out())
        .contains("http://whoami:8080", "http://api:8080", "prefixes:", "- /v2");
  }
}
