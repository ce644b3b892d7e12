package io.stackwright.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackwright.api.routing.Route;
import io.stackwright.api.routing.Tls;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The HTTP provider's endpoint, read back over HTTP the way Traefik polls it: from the host, and
 * from a container on Docker's default bridge (where a Traefik container would run).
 */
class TraefikHttpEndpointIT {
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  @DisplayName("serves the published routes as JSON that validates against Traefik's schema")
  @SuppressWarnings("unchecked")
  void servesTheDocument() throws Exception {
    TraefikRouter router = TraefikRouter.http();
    try (TraefikHttpEndpoint endpoint =
        TraefikHttpEndpoint.start(router, new InetSocketAddress("0.0.0.0", 0), executor)) {
      String url = endpoint.url("127.0.0.1");
      assertThat(get(url).body()).isEqualTo("{ }");

      router.publish(RoutedStacks.everything("shop"), e -> {});
      router.publish(
          RoutedStacks.simple(
              "blog",
              Route.builder("www").host("blog.example.com").tls(Tls.resolver("le")).build()),
          e -> {});
      HttpResponse<String> response = get(url);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      Map<String, Object> document = TraefikSchemas.JSON.readValue(response.body(), Map.class);
      assertThat(TraefikSchemas.validateDynamic(document)).isEmpty();
      assertThat(response.body()).contains("shop-web-main", "blog-web-www", "http://web:8080");

      router.readinessChanged("shop", "web", "10.0.9.7", true);
      String afterReadiness = get(url).body();
      assertThat(afterReadiness).contains("http://10.0.9.7:8080");
      assertThat(afterReadiness.split("http://web:8080", -1))
          .as("only blog's web is still listed by its DNS name")
          .hasSize(2);
      router.setWeights("shop", "canary", Map.of("web", 1, "web-canary", 3), e -> {});
      assertThat(get(url).body()).contains("\"weight\" : 3");

      HttpResponse<String> post =
          client.send(
              HttpRequest.newBuilder(URI.create(url))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);

      String fromContainer = fromContainer(endpoint.address().getPort());
      assertThat(
              TraefikSchemas.validateDynamic(
                  TraefikSchemas.JSON.readValue(fromContainer, Map.class)))
          .isEmpty();
      assertThat(fromContainer).contains("blog-web-www");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Fetches the document from a container, through {@code host.docker.internal} (the host's gateway
   * address, as a Traefik container would be configured to reach it).
   */
  private static String fromContainer(int port) throws Exception {
    return run(
        "docker",
        "run",
        "--rm",
        "--add-host",
        "host.docker.internal:host-gateway",
        "--entrypoint",
        "/bin/sh",
        "stackwright/workload:test",
        "-c",
        "timeout 5 wget -q -O- http://host.docker.internal:" + port + TraefikHttpEndpoint.PATH);
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    process.getInputStream().transferTo(out);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(text).isZero();
    return text;
  }
}
