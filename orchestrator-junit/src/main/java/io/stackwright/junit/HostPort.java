package io.stackwright.junit;

import java.net.URI;
import java.util.Objects;

/**
 * Where a published port of a service is reached from the test.
 *
 * @param host a host name or address
 * @param port the published port
 */
public record HostPort(String host, int port) {
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, was " + port);
    }
  }

  /** {@code scheme://host:port}, for example {@code http://127.0.0.1:32768}. */
  public URI uri(String scheme) {
    return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
