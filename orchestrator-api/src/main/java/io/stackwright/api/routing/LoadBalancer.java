package io.stackwright.api.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How the proxy spreads requests over a service's replicas.
 *
 * @param sticky pins a client to one replica with a cookie, or {@code null}
 * @param passHostHeader forward the client's {@code Host} header (Traefik's default: true)
 * @param healthCheck the proxy's own checks of each server, or {@code null}
 */
public record LoadBalancer(StickyCookie sticky, boolean passHostHeader, HealthCheck healthCheck) {

  public static final LoadBalancer DEFAULT = new LoadBalancer(null, true, null);

  public LoadBalancer withSticky(StickyCookie sticky) {
    return new LoadBalancer(sticky, passHostHeader, healthCheck);
  }

  public LoadBalancer withPassHostHeader(boolean passHostHeader) {
    return new LoadBalancer(sticky, passHostHeader, healthCheck);
  }

  public LoadBalancer withHealthCheck(HealthCheck healthCheck) {
    return new LoadBalancer(sticky, passHostHeader, healthCheck);
  }

  /**
   * A sticky-session cookie. Secure and HttpOnly unless turned off explicitly: a session cookie a
   * script can read, or that travels over plain HTTP, is an easy hijack.
   *
   * @param name the cookie's name, or {@code null} for Traefik's generated one
   * @param sameSite {@code none}, {@code lax}, {@code strict}, or {@code null}
   */
  public record StickyCookie(String name, boolean secure, boolean httpOnly, String sameSite) {
    public StickyCookie {
      if (sameSite != null && !sameSite.matches("none|lax|strict")) {
        throw new IllegalArgumentException(
            "sticky cookie sameSite must be none, lax or strict, was " + sameSite);
      }
    }

    /** A Secure, HttpOnly cookie named {@code name}. */
    public static StickyCookie named(String name) {
      return new StickyCookie(name, true, true, null);
    }
  }

  /**
   * The proxy's checks of each server; a failing server is taken out of rotation.
   *
   * @param path the HTTP path to request
   * @param port the port to check, or {@code null} for the server's
   * @param interval between checks, or {@code null} for Traefik's 30 s
   * @param timeout of one check, or {@code null} for Traefik's 5 s
   */
  public record HealthCheck(String path, Integer port, Duration interval, Duration timeout) {
    public HealthCheck {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("health check path must start with '/', was " + path);
      }
      if (port != null && (port < 1 || port > 65535)) {
        throw new IllegalArgumentException("health check port must be 1-65535, was " + port);
      }
      requirePositive(interval, "interval");
      requirePositive(timeout, "timeout");
    }

    public static HealthCheck of(String path) {
      return new HealthCheck(path, null, null, null);
    }

    private static void requirePositive(Duration d, String what) {
      if (d != null && (d.isNegative() || d.isZero())) {
        throw new IllegalArgumentException("health check " + what + " must be positive");
      }
    }
  }
}
