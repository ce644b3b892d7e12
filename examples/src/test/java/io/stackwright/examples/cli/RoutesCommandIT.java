package io.stackwright.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackwright.examples.Shell;
import io.stackwright.examples.Shell.Result;
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
}
