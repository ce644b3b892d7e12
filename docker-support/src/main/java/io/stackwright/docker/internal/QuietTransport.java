package io.stackwright.docker.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 request to the engine that no logger sees: for the calls whose body holds a secret's
 * or a config's content ({@code /secrets/create}, {@code /configs/create}, and the list of configs,
 * whose answer holds their data).
 *
 * <p>docker-java's HTTP client (Apache HttpClient 5) prints every byte of a request, base64 secret
 * data included, when its wire logger {@value #WIRE_LOGGER} is at DEBUG or TRACE, and it decides so
 * per connection from a static logger: nothing can turn that off for one call. So, only while that
 * logger is enabled, these calls go over a plain socket of their own (the engine's Unix socket or
 * plain TCP). Over TLS, where this class has no client of its own, the call is refused instead
 * (fail closed): the message says which logger to lower.
 */
final class QuietTransport {
  /** Apache HttpClient 5's wire logger: request and response bytes. */
  static final String WIRE_LOGGER = "org.apache.hc.client5.http.wire";

  record Answer(int status, byte[] body) {}

  private QuietTransport() {}

  /** Whether the HTTP client would print a request's body now. */
  static boolean wireLogged() {
    return LoggerFactory.getLogger(WIRE_LOGGER).isDebugEnabled();
  }

  /**
   * POSTs {@code body} as JSON to {@code path} on {@code host}; a watchdog closes the socket after
   * {@code deadline}.
   *
   * @param later schedules the watchdog (the engine's timer)
   */
  static Answer post(
      URI host,
      boolean tls,
      String path,
      byte[] body,
      Duration deadline,
      BiFunction<Duration, Runnable, ScheduledFuture<?>> later)
      throws IOException {
    return request(host, tls, "POST", path, body, deadline, later);
  }

  /** A request; {@code body} null for none (a GET whose answer holds config data). */
  static Answer request(
      URI host,
      boolean tls,
      String method,
      String path,
      byte[] body,
      Duration deadline,
      BiFunction<Duration, Runnable, ScheduledFuture<?>> later)
      throws IOException {
    if (tls) {
      throw new IOException(
          "the HTTP client's wire log ("
              + WIRE_LOGGER
              + " at DEBUG or TRACE) would print this request's secret content, and the engine"
              + " is reached over TLS, which has no unlogged path; lower that logger to INFO");
    }
    String scheme = host.getScheme() == null ? "" : host.getScheme().toLowerCase(Locale.ROOT);
    java.io.Closeable connection;
    InputStream in;
    OutputStream out;
    if (scheme.equals("unix")) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(host.getPath()));
      connection = channel;
      in = Channels.newInputStream(channel);
      out = Channels.newOutputStream(channel);
    } else if (scheme.equals("tcp") || scheme.equals("http")) {
      Socket socket = new Socket();
      socket.connect(
          new InetSocketAddress(host.getHost(), host.getPort()), (int) deadline.toMillis());
      socket.setSoTimeout((int) deadline.toMillis());
      connection = socket;
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } else {
      throw new IOException("no unlogged transport for the engine at " + host);
    }
    ScheduledFuture<?> watchdog =
        later.apply(
            deadline,
            () -> {
              try {
                connection.close();
              } catch (IOException ignored) {
                // closing is all the watchdog does
              }
            });
    try (connection) {
      String head =
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: docker\r\n"
              + (body == null
                  ? ""
                  : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
              + "Connection: close\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return parse(in.readAllBytes());
    } finally {
      watchdog.cancel(false);
    }
  }

  static Answer parse(byte[] response) throws IOException {
    int end = indexOf(response, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (end < 0) {
      throw new IOException("the engine's answer ended before its headers did");
    }
    String[] head = new String(response, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = head[0].split(" ");
    if (statusLine.length < 2) {
      throw new IOException("the engine answered with no status line");
    }
    int status = Integer.parseInt(statusLine[1]);
    boolean chunked = false;
    for (int i = 1; i < head.length; i++) {
      String h = head[i].toLowerCase(Locale.ROOT);
      if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
        chunked = true;
      }
    }
    int start = end + 4;
    if (!chunked) {
      byte[] body = new byte[response.length - start];
      System.arraycopy(response, start, body, 0, body.length);
      return new Answer(status, body);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = start;
    while (true) {
      int lineEnd = indexOf(response, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
      if (lineEnd < 0) {
        throw new IOException("the engine's chunked answer was cut short");
      }
      String size = new String(response, at, lineEnd - at, StandardCharsets.US_ASCII).trim();
      int semicolon = size.indexOf(';');
      int length = Integer.parseInt(semicolon < 0 ? size : size.substring(0, semicolon), 16);
      if (length == 0) {
        return new Answer(status, body.toByteArray());
      }
      body.write(response, lineEnd + 2, length);
      at = lineEnd + 2 + length + 2;
    }
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
