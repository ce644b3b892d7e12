package io.stackwright.it.observability;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** {@code GET /metrics} of a Micrometer Prometheus registry, served by the JDK's HTTP server. */
final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;
  final AtomicLong scrapes = new AtomicLong();

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  static MetricsEndpoint start(PrometheusMeterRegistry registry) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    MetricsEndpoint endpoint = new MetricsEndpoint(server);
    server.createContext(
        "/metrics",
        exchange -> {
          endpoint.scrapes.incrementAndGet();
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return endpoint;
  }

  /** {@code host:port}, as a Prometheus static target. */
  String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
