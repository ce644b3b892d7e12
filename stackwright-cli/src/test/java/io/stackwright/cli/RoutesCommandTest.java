package io.stackwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stackwright.traefik.TraefikSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stackwright routes}: the dynamic configuration of a stack file, for each provider. */
class RoutesCommandTest {
  private static final String STACK =
      """
      x-stackwright:
        routing: {require_tls: true}
      services:
        web:
          image: stackwright/workload:test
          labels:
            traefik.http.routers.shop-web-main.priority: "42"
          deploy:
            labels:
              traefik.http.routers.shop-web-main.priority: "7"
          x-stackwright:
            routing:
              port: 8080
              routes:
                main:
                  host: shop.example.com
                  tls: {cert_resolver: le}
                canary:
                  host: canary.example.com
                  tls: true
                  weights: {web: 90, web-v2: 10}
              middlewares:
                limit: {rate_limit: {average: 100}}
        web-v2:
          image: stackwright/workload:v2
      """;

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void write() throws Exception {
    file = Files.writeString(dir.resolve("compose.yml"), STACK);
  }

  @Test
  void printsSwarmLabelsOfRoutedServicesKeepingTheUsersOwnAndTheWeightedServicesYaml() {
    Run run = run("routes", "-f", file.toString(), "-p", "shop");
    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out)
        .contains(
            "web:\n",
            "  traefik.enable=true\n",
            "  traefik.swarm.network=shop_default\n",
            "  traefik.http.routers.shop-web-main.rule=Host(`shop.example.com`)\n",
            "  traefik.http.routers.shop-web-main.priority=7\n",
            "  traefik.http.routers.shop-web-canary.service=shop-web-canary-split@file\n",
            "# file provider (weighted services)\n",
            "name: shop-web@swarm",
            "url: http://web-v2:8080")
        .doesNotContain("\nweb-v2:\n");
    Map<String, String> web = new TreeMap<>();
    String webSection = run.out.substring(0, run.out.indexOf("# file provider"));
    webSection
        .lines()
        .filter(l -> l.startsWith("  traefik."))
        .forEach(
            l ->
                web.put(
                    l.strip().substring(0, l.strip().indexOf('=')),
                    l.substring(l.indexOf('=') + 1)));
    assertThat(TraefikSchemas.validateDynamic(TraefikSchemas.decodeLabels(web))).isEmpty();
  }

  @Test
  void printsContainerLabelsForTheDockerProvider() {
    Run run = run("routes", "-f", file.toString(), "-p", "shop", "--provider", "docker");
    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out)
        .contains("  traefik.docker.network=shop_default\n", "shop-web-main.priority=42\n");
  }

  @Test
  @SuppressWarnings("unchecked")
  void printsASchemaValidFileProviderDocument() throws Exception {
    Run run = run("routes", "-f", file.toString(), "-p", "shop", "--provider", "file");
    assertThat(run.code).as(run.err).isZero();
    Map<String, Object> yaml = new YAMLMapper().readValue(run.out, Map.class);
    assertThat(TraefikSchemas.validateDynamic(yaml)).isEmpty();
    assertThat(run.out).contains("shop-web-main:", "certResolver: le", "url: http://web:8080");
  }

  @Test
  @SuppressWarnings("unchecked")
  void printsASchemaValidHttpProviderDocument() throws Exception {
    Run run = run("routes", "-f", file.toString(), "-p", "shop", "--provider", "http");
    assertThat(run.code).as(run.err).isZero();
    Map<String, Object> json = new ObjectMapper().readValue(run.out, Map.class);
    assertThat(TraefikSchemas.validateDynamic(json)).isEmpty();
    assertThat(json.toString()).contains("shop-web-canary-split");
  }

  @Test
  void refusesARouteWithoutTlsWhenTheStackDemandsItWithExitCode2() throws Exception {
    Files.writeString(file, STACK.replace(" tls: true\n", " priority: 1\n"));
    Run run = run("routes", "-f", file.toString(), "-p", "shop");
    assertThat(run.code).as(run.out + run.err).isEqualTo(2);
    assertThat(run.err)
        .contains("services.web.x-stackwright.routing.routes[1]: route 'canary' has no TLS");
    assertThat(run.out).isEmpty();
  }

  @Test
  void anUnknownProviderIsAUsageError() {
    Run run = run("routes", "-f", file.toString(), "--provider", "consul");
    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).contains("unknown Traefik provider 'consul'");
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = StackwrightCli.run(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }
}
