package io.stackwright.api.tenancy;

/** Host ports {@code from} to {@code to}, both included. */
public record PortRange(int from, int to) {
  public PortRange {
    if (from < 1 || to > 65535 || from > to) {
      throw new IllegalArgumentException(
          "a port range is 1 to 65535, from <= to (" + from + "-" + to + ")");
    }
  }

  public static PortRange of(int port) {
    return new PortRange(port, port);
  }

  public boolean contains(int port) {
    return port >= from && port <= to;
  }

  @Override
  public String toString() {
    return from == to ? Integer.toString(from) : from + "-" + to;
  }
}
