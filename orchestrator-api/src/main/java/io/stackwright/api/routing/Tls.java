package io.stackwright.api.routing;

import java.util.List;
import java.util.Objects;

/**
 * TLS termination on a route.
 *
 * @param certResolver the certificate resolver of the proxy's static configuration (ACME), or
 *     {@code null} for the proxy's default certificate
 * @param domains the certificates to request; empty for the hosts of the rule
 */
public record Tls(String certResolver, List<Domain> domains) {

  /** TLS with the proxy's default certificate. */
  public static final Tls DEFAULT = new Tls(null, List.of());

  public Tls {
    domains = List.copyOf(domains == null ? List.of() : domains);
  }

  /** TLS with certificates from {@code certResolver} for the rule's hosts. */
  public static Tls resolver(String certResolver) {
    return new Tls(Objects.requireNonNull(certResolver, "certResolver"), List.of());
  }

  public Tls withDomain(String main, String... sans) {
    List<Domain> more = new java.util.ArrayList<>(domains);
    more.add(new Domain(main, List.of(sans)));
    return new Tls(certResolver, more);
  }

  /** A certificate's main name and its alternative names. */
  public record Domain(String main, List<String> sans) {
    public Domain {
      if (main == null || main.isBlank()) {
        throw new IllegalArgumentException("a TLS domain needs a main name");
      }
      sans = List.copyOf(sans == null ? List.of() : sans);
    }
  }
}
