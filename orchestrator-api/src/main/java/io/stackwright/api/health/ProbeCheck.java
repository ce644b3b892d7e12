package io.stackwright.api.health;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What one probe checks. One of the nested records; each names its {@link #kind()}. */
public sealed interface ProbeCheck {

  /** The kinds of checks, as written in {@code x-stackwright.health}. */
  enum Kind {
    HTTP,
    TCP,
    EXEC,
    ENGINE,
    CUSTOM
  }

  Kind kind();

  /**
   * An HTTP(S) request to the replica. It passes when the status is in {@code [minStatus,
   * maxStatus]} and, where given, the body contains {@code bodyContains} and matches {@code
   * bodyPattern} (a regular expression searched in the body). As in Kubernetes, an HTTPS probe does
   * not verify the replica's certificate: it checks that the replica answers, not who it is.
   *
   * @param headers request headers; values are sent, never logged
   */
  record Http(
      boolean https,
      String method,
      int port,
      String path,
      Map<String, String> headers,
      int minStatus,
      int maxStatus,
      String bodyContains,
      String bodyPattern)
      implements ProbeCheck {
    public Http {
      method = Objects.requireNonNullElse(method, "GET").toUpperCase(java.util.Locale.ROOT);
      if (!method.matches("[A-Z]+")) {
        throw new IllegalArgumentException("HTTP method must be a word such as GET, was " + method);
      }
      checkPort(port);
      path = Objects.requireNonNullElse(path, "/");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("HTTP path must start with /, was " + path);
      }
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      if (minStatus < 100 || maxStatus > 599 || minStatus > maxStatus) {
        throw new IllegalArgumentException(
            "expected status range must lie in 100..599 with min <= max, was "
                + minStatus
                + ".."
                + maxStatus);
      }
      if (bodyPattern != null) {
        try {
          Pattern.compile(bodyPattern);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(
              "body pattern is not a valid regular expression: " + e.getDescription());
        }
      }
    }

    /** GET {@code path} on {@code port}, passing on 200..399 as in Kubernetes. */
    public static Http get(int port, String path) {
      return new Http(false, "GET", port, path, Map.of(), 200, 399, null, null);
    }

    @Override
    public Kind kind() {
      return Kind.HTTP;
    }

    @Override
    public String toString() {
      return (https ? "https " : "http ") + method + " :" + port + path;
    }
  }

  /** A TCP connection to the replica's port: it passes when the connection is accepted. */
  record Tcp(int port) implements ProbeCheck {
    public Tcp {
      checkPort(port);
    }

    @Override
    public Kind kind() {
      return Kind.TCP;
    }
  }

  /** A command run inside the replica's container: it passes on exit code 0. */
  record Exec(List<String> command) implements ProbeCheck {
    public Exec {
      command = List.copyOf(Objects.requireNonNull(command, "command"));
      if (command.isEmpty()) {
        throw new IllegalArgumentException("an exec probe needs a command");
      }
    }

    @Override
    public Kind kind() {
      return Kind.EXEC;
    }

    @Override
    public String toString() {
      return "exec " + command.get(0);
    }
  }

  /**
   * The verdict of the container's own HEALTHCHECK, as the engine reports it: it passes when the
   * container is healthy. Works wherever the replica runs, since the engine reports it.
   */
  record Engine() implements ProbeCheck {
    @Override
    public Kind kind() {
      return Kind.ENGINE;
    }
  }

  /**
   * A probe of a {@link io.stackwright.api.spi.HealthProbe} registered under {@code name}, with its
   * own settings.
   */
  record Custom(String name, Map<String, String> settings) implements ProbeCheck {
    public Custom {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a custom probe needs the name of its HealthProbe");
      }
      settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    @Override
    public Kind kind() {
      return Kind.CUSTOM;
    }
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }
}
