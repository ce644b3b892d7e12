package io.stackwright.traefik;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A tiny HTTP endpoint (the JDK's {@code com.sun.net.httpserver}) that serves a {@link
 * TraefikRouter}'s {@linkplain TraefikRouter#httpDocument() document} to Traefik's HTTP provider
 * ({@code providers.http.endpoint}). Host applications with their own web server can serve {@link
 * TraefikRouter#httpDocumentJson()} there instead.
 */
public final class TraefikHttpEndpoint implements AutoCloseable {
  /** The path the document is served at. */
  public static final String PATH = "/traefik/dynamic.json";

  private final HttpServer server;

  private TraefikHttpEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving {@code router}'s document at {@code address} (port 0 picks a free port),
   * handling requests on {@code executor} (for example the orchestrator's).
   */
  public static TraefikHttpEndpoint start(
      TraefikRouter router, InetSocketAddress address, Executor executor) {
    Objects.requireNonNull(router, "router");
    try {
      HttpServer server = HttpServer.create(address, 0);
      server.createContext(PATH, exchange -> answer(router, exchange));
      server.setExecutor(executor);
      server.start();
      return new TraefikHttpEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the Traefik HTTP provider at " + address, e);
    }
  }

  private static void answer(TraefikRouter router, HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = router.httpDocumentJson().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The address the endpoint listens on (with the port chosen when 0 was asked). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The URL to give Traefik, with {@code host} as Traefik reaches this process. */
  public String url(String host) {
    return "http://" + host + ":" + address().getPort() + PATH;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
