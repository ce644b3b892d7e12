package io.stackwright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The engine's {@code GET /version}, over its Unix socket or plain TCP ({@code DOCKER_HOST}), with
 * the JDK alone: one request does not need a Docker client. TLS hosts are not supported here.
 */
record EngineVersion(String version, String apiVersion) {
  static String host() {
    String host = System.getenv("DOCKER_HOST");
    return host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host;
  }

  static EngineVersion read(String host) throws IOException {
    String request = "GET /version HTTP/1.0\r\nHost: docker\r\n\r\n";
    byte[] answer;
    URI uri = URI.create(host);
    if ("unix".equals(uri.getScheme())) {
      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(UnixDomainSocketAddress.of(uri.getPath()));
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        answer = readAll(Channels.newInputStream(channel));
      }
    } else if ("tcp".equals(uri.getScheme())) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(10000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        answer = readAll(socket.getInputStream());
      }
    } else {
      throw new IOException("cannot ask " + host + " (only unix:// and tcp:// hosts)");
    }
    String text = new String(answer, StandardCharsets.UTF_8);
    int body = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || body < 0) {
      throw new IOException("the engine's answer is not HTTP");
    }
    if (!text.substring(9, 12).equals("200")) {
      throw new IOException("the engine answered " + text.substring(9, text.indexOf('\r')));
    }
    JsonNode json = CliJson.lines().readTree(text.substring(body + 4));
    return new EngineVersion(json.path("Version").asText("?"), json.path("ApiVersion").asText("?"));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
