package io.stackwright.api.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A step between the proxy and a service: Traefik's HTTP middlewares that Stackwright generates.
 * Each has a name unique among the service's middlewares; the router prefixes it with the stack and
 * service.
 */
public sealed interface Middleware {

  /** Unique among the service's middlewares; lower-case letters, digits or '-'. */
  String name();

  /**
   * Limits the request rate: {@code average} requests per {@code period} on average, with bursts of
   * up to {@code burst}.
   */
  record RateLimit(String name, long average, Duration period, long burst) implements Middleware {
    public RateLimit {
      checkName(name);
      if (average < 1 || burst < 1) {
        throw new IllegalArgumentException(
            "rate limit " + name + ": average and burst must be 1 or more");
      }
      if (period != null && (period.isNegative() || period.isZero())) {
        throw new IllegalArgumentException("rate limit " + name + ": period must be positive");
      }
    }
  }

  /**
   * Adds request and response headers and answers CORS requests.
   *
   * @param allowOrigins CORS {@code Access-Control-Allow-Origin} list; empty for no CORS
   * @param maxAge CORS preflight cache time, or {@code null}
   * @param allowCredentials CORS {@code Access-Control-Allow-Credentials}
   */
  record Headers(
      String name,
      Map<String, String> requestHeaders,
      Map<String, String> responseHeaders,
      List<String> allowOrigins,
      List<String> allowMethods,
      List<String> allowHeaders,
      Duration maxAge,
      boolean allowCredentials)
      implements Middleware {
    public Headers {
      checkName(name);
      requestHeaders = Map.copyOf(requestHeaders == null ? Map.of() : requestHeaders);
      responseHeaders = Map.copyOf(responseHeaders == null ? Map.of() : responseHeaders);
      allowOrigins = List.copyOf(allowOrigins == null ? List.of() : allowOrigins);
      allowMethods = List.copyOf(allowMethods == null ? List.of() : allowMethods);
      allowHeaders = List.copyOf(allowHeaders == null ? List.of() : allowHeaders);
    }

    /** CORS for these origins and methods, all headers allowed, preflight cached {@code maxAge}. */
    public static Headers cors(
        String name, List<String> origins, List<String> methods, Duration maxAge) {
      return new Headers(name, Map.of(), Map.of(), origins, methods, List.of("*"), maxAge, false);
    }
  }

  /**
   * HTTP basic authentication. Only hashed passwords are accepted (htpasswd lines {@code user:hash}
   * with a bcrypt {@code $2y$}/{@code $2a$}/{@code $2b$}, an Apache MD5 {@code $apr1$} or a {@code
   * {SHA}} hash): a plain-text password is refused rather than hashed here, because a fresh salt on
   * every deployment would change the service's labels, and so redeploy it, each time. {@link
   * #toString()} never shows the hashes.
   *
   * @param users htpasswd lines
   * @param realm the realm, or {@code null} for Traefik's
   * @param removeHeader do not forward the {@code Authorization} header to the service
   */
  record BasicAuth(String name, List<String> users, String realm, boolean removeHeader)
      implements Middleware {
    private static final Pattern HASHED =
        Pattern.compile(
            "[^:\\s]+:(\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}|\\$apr1\\$[./A-Za-z0-9]{1,8}\\$[./A-Za-z0-9]{22}|\\{SHA\\}[A-Za-z0-9+/]{27}=)");

    public BasicAuth {
      checkName(name);
      users = List.copyOf(users == null ? List.of() : users);
      if (users.isEmpty()) {
        throw new IllegalArgumentException("basic auth " + name + " needs at least one user");
      }
      for (int i = 0; i < users.size(); i++) {
        String line = users.get(i);
        if (line == null || !HASHED.matcher(line).matches()) {
          int colon = line == null ? -1 : line.indexOf(':');
          String user = colon > 0 ? "'" + line.substring(0, colon) + "'" : "#" + (i + 1);
          throw new IllegalArgumentException(
              "basic auth "
                  + name
                  + ": user "
                  + user
                  + " is not 'user:hash' with a bcrypt ($2y$), $apr1$ or {SHA} hash;"
                  + " plain-text passwords are refused (make one with: htpasswd -nB user)");
        }
      }
    }

    @Override
    public String toString() {
      return "BasicAuth[name="
          + name
          + ", users="
          + users.stream().map(u -> u.substring(0, u.indexOf(':')) + ":***").toList()
          + ", realm="
          + realm
          + ", removeHeader="
          + removeHeader
          + "]";
    }
  }

  /** Lets only clients from these addresses (CIDR or single IP) through. */
  record IpAllowList(String name, List<String> sourceRange) implements Middleware {
    private static final Pattern RANGE = Pattern.compile("[0-9a-fA-F:.]+(/\\d{1,3})?");

    public IpAllowList {
      checkName(name);
      sourceRange = List.copyOf(sourceRange == null ? List.of() : sourceRange);
      if (sourceRange.isEmpty()) {
        throw new IllegalArgumentException("ip allow list " + name + " needs a source range");
      }
      for (String range : sourceRange) {
        if (!RANGE.matcher(range).matches()) {
          throw new IllegalArgumentException(
              "ip allow list " + name + ": '" + range + "' is not an IP address or CIDR range");
        }
      }
    }
  }

  /** Redirects plain-HTTP requests to HTTPS. */
  record RedirectToHttps(String name, boolean permanent) implements Middleware {
    public RedirectToHttps {
      checkName(name);
    }
  }

  /** Removes these path prefixes before forwarding. */
  record StripPrefix(String name, List<String> prefixes) implements Middleware {
    public StripPrefix {
      checkName(name);
      prefixes = List.copyOf(prefixes == null ? List.of() : prefixes);
      if (prefixes.isEmpty() || prefixes.stream().anyMatch(p -> !p.startsWith("/"))) {
        throw new IllegalArgumentException(
            "strip prefix " + name + " needs prefixes starting with '/'");
      }
    }
  }

  /** Retries a request that failed to reach a server, with exponential backoff. */
  record Retry(String name, int attempts, Duration initialInterval) implements Middleware {
    public Retry {
      checkName(name);
      if (attempts < 1) {
        throw new IllegalArgumentException("retry " + name + ": attempts must be 1 or more");
      }
    }
  }

  /**
   * Stops forwarding while {@code expression} holds (Traefik's {@code NetworkErrorRatio() > 0.3},
   * {@code ResponseCodeRatio(500, 600, 0, 600) > 0.25}, {@code LatencyAtQuantileMS(50.0) > 100}).
   */
  record CircuitBreaker(String name, String expression) implements Middleware {
    public CircuitBreaker {
      checkName(name);
      if (expression == null || expression.isBlank()) {
        throw new IllegalArgumentException("circuit breaker " + name + " needs an expression");
      }
    }
  }

  /** Compresses responses. */
  record Compress(String name) implements Middleware {
    public Compress {
      checkName(name);
    }
  }

  private static void checkName(String name) {
    if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "middleware name '" + name + "' must be lower-case letters, digits or '-'");
    }
  }
}
